"""The Secretariat's spreadsheets of nominations: the export, and the import (upload, preview, progress)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from apopms.exceptions import DomainError, add_to_form
from apopms.permissions import get_project_or_404, secretariat_required

from .. import resources, services
from ..enums import ImportStatus
from ..forms import ImportForm
from ..models import NominationImport
from .nominations import filtered

ROWS_SHOWN = 200  # new or present rows listed on a preview; every row with an error is listed


@secretariat_required
def export(request, code, fmt):
    if fmt not in resources.EXPORT_FORMATS:
        raise Http404("Unknown format.")
    project = get_project_or_404(code, request.user)
    _, filters, qs = filtered(request, project)
    qs = qs.select_related("project", "country")
    content, content_type = resources.export_nominations(qs, fmt)
    services.record_export(
        project=project,
        actor=request.user,
        fmt=fmt,
        count=qs.count(),
        filters={k: str(v) for k, v in filters.items()},
    )
    response = HttpResponse(content, content_type=content_type)
    stamp = timezone.localdate().isoformat()
    response["Content-Disposition"] = f'attachment; filename="nominations-{project.code}-{stamp}.{fmt}"'
    return response


@secretariat_required
def import_start(request, code):
    """Upload a spreadsheet of one NPO's nominations; the worker reads it, then comes the preview."""
    project = get_project_or_404(code, request.user)
    form = ImportForm(request.POST or None, request.FILES or None, project=project)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            content = resources.read_upload(upload)
            job = services.upload_nomination_import(
                project=project,
                country=form.cleaned_data["country"],
                actor=request.user,
                content=content,
                file_name=upload.name,
                date_order=form.cleaned_data["date_order"],
            )
        except ValueError as exc:
            form.add_error("file", str(exc))
        except DomainError as exc:
            add_to_form(form, exc)
        else:
            return redirect("nominations:import_preview", code=project.code, job=job.pk)
    return render(request, "nominations/import_start.html", {"project": project, "form": form})


def _job(project, job_id, *, rows=False):
    """The project's import `job_id`; its rows (megabytes for a large file) only when asked for."""
    qs = NominationImport.objects.select_related("country")
    if not rows:
        qs = qs.defer("rows")
    try:
        return qs.get(pk=job_id, project=project)
    except (NominationImport.DoesNotExist, ValidationError):
        raise Http404("No such import.") from None


class _Row:
    """A stored JSON row as the preview template reads it."""

    def __init__(self, row):
        self.line, self.data, self.present = row["line"], row["data"], row["present"]
        self.errors = [tuple(e) for e in row["errors"]]


@secretariat_required
def import_preview(request, code, job):
    """Every row with its problems (line and field) and the rows already present; confirm to import all.

    Shows the rows the worker stored; while it is still reading, or once confirmed, the progress page.
    """
    project = get_project_or_404(code, request.user)
    job = _job(project, job, rows=True)
    if job.status == ImportStatus.READING or (job.status != ImportStatus.PREVIEW and job.summary.get("rows")):
        return redirect("nominations:import_progress", code=project.code, job=job.pk)
    if request.method == "POST":
        try:
            services.confirm_nomination_import(job=job, actor=request.user)
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            return redirect("nominations:import_progress", code=project.code, job=job.pk)
    rows = [_Row(r) for r in job.rows]
    bad = [r for r in rows if r.errors]
    present = [r for r in rows if r.present and not r.errors]
    new = [r for r in rows if not r.present and not r.errors]
    return render(
        request,
        "nominations/import_preview.html",
        {
            "project": project,
            "country": job.country,
            "job": job,
            "rows": rows,
            "bad": bad,
            "present": present,
            "new": new,
            # A large file lists its first rows; every row with an error is always listed.
            "present_shown": present[:ROWS_SHOWN],
            "new_shown": new[:ROWS_SHOWN],
            "rows_shown": ROWS_SHOWN,
            "read_error": job.error if job.status == ImportStatus.FAILED else "",
            "date_order_text": job.summary.get("date_order_text", ""),
        },
    )


@secretariat_required
def import_progress(request, code, job):
    """The worker's progress, reading the file or importing it; polled with htmx until it ends."""
    project = get_project_or_404(code, request.user)
    job = _job(project, job)
    if job.status == ImportStatus.PREVIEW and not request.htmx:
        # Read before this page was shown (a small file): straight on to the preview it would poll for.
        return redirect("nominations:import_preview", code=project.code, job=job.pk)
    progress = services.get_progress(job.pk)
    total = progress.get("total") or 0
    percent = int(100 * progress.get("done", 0) / total) if total else 0
    if job.status in (ImportStatus.DONE, ImportStatus.PREVIEW):
        percent = 100
    context = {"project": project, "job": job, "progress": progress, "percent": percent}
    if request.htmx:
        response = render(request, "nominations/import_progress.html#progress", context)
        if job.status == ImportStatus.PREVIEW:
            response["HX-Redirect"] = reverse(
                "nominations:import_preview", kwargs={"code": project.code, "job": job.pk}
            )
        return response
    return render(request, "nominations/import_progress.html", context)
