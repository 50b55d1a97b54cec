"""The report's page (its versions, generating a new one, the worker's progress) and the downloads. Thin."""

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from apopms.exceptions import DomainError
from apopms.permissions import get_project_or_404, secretariat_required

from . import selectors, services
from .forms import GenerateForm
from .models import ReportVersion

CONTENT_TYPES = {
    "pdf": "application/pdf",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def _progress_context(project):
    running = selectors.running_version(project)
    progress = services.get_progress(running.pk) if running else {}
    total = progress.get("total") or len(services.STAGES)
    return {
        "project": project,
        "running": running,
        "progress": progress,
        "percent": int(100 * (progress.get("done") or 0) / total),
    }


@secretariat_required
def project_page(request, code):
    project = get_project_or_404(code, request.user)
    context = _progress_context(project)
    context.update(form=GenerateForm(), versions=selectors.report_versions(project))
    return render(request, "reports/project.html", context)


@secretariat_required
def progress(request, code):
    """The running version's stage, polled by htmx; once it is ready, the page reloads to list it."""
    project = get_project_or_404(code, request.user)
    context = _progress_context(project)
    response = render(request, "reports/_progress.html", context)
    if context["running"] is None and request.htmx:
        response["HX-Refresh"] = "true"
    return response


@require_POST
@secretariat_required
def generate(request, code):
    project = get_project_or_404(code, request.user)
    form = GenerateForm(request.POST)
    form.is_valid()
    version = services.generate_report(
        project=project, actor=request.user, include_participants=form.cleaned_data.get("include_participants", False)
    )
    messages.success(
        request, f"Version {version.number} of the report is being generated: this page shows its progress."
    )
    return redirect("reports:project", code=project.code)


@secretariat_required
def download(request, code, number, fmt):
    """A stored file of a ready version (never re-rendered); each download audited."""
    project = get_project_or_404(code, request.user)
    version = get_object_or_404(ReportVersion.objects.select_related("project"), project=project, number=number)
    try:
        stored = services.record_download(version=version, fmt=fmt, actor=request.user)
    except DomainError as exc:
        raise Http404(exc.message) from None
    with stored.open("rb") as handle:
        content = handle.read()
    response = HttpResponse(content, content_type=CONTENT_TYPES[fmt])
    response["Content-Disposition"] = f'attachment; filename="APO-report-{project.code}-v{version.number}.{fmt}"'
    return response
