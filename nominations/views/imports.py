"""The Secretariat's spreadsheets of nominations: the export, and the import (upload, preview, progress)."""

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone

from apopms.permissions import get_project_or_404, secretariat_required

from .. import resources, services
from ..forms import ImportForm
from ..tasks import run_nomination_import
from .nominations import filtered


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
    """Upload a spreadsheet of one NPO's nominations; next comes the preview."""
    project = get_project_or_404(code, request.user)
    form = ImportForm(request.POST or None, request.FILES or None, project=project)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            content = resources.read_upload(upload)
            resources.read_dataset(content, upload.name)
        except ValueError as exc:
            form.add_error("file", str(exc))
        else:
            job_id = resources.create_job(
                project=project,
                country=form.cleaned_data["country"],
                actor=request.user,
                content=content,
                name=upload.name,
                date_order=form.cleaned_data["date_order"],
            )
            return redirect("nominations:import_preview", code=project.code, job=job_id)
    return render(request, "nominations/import_start.html", {"project": project, "form": form})


def _job(project, job_id):
    job = resources.get_job(job_id)
    if job is None or job["project_id"] != project.pk:
        raise Http404("No such import (it may have expired).")
    return job


@secretariat_required
def import_preview(request, code, job):
    """Every row with its problems (line and field) and the rows already present; confirm to import all."""
    project = get_project_or_404(code, request.user)
    job_data = _job(project, job)
    country = get_object_or_404(project.participating_countries, pk=job_data["country_id"])
    if job_data["state"] != "previewed":
        return redirect("nominations:import_progress", code=project.code, job=job)
    try:
        rows = resources.job_rows(job_data, project=project, country=country)
        read_error = ""
    except ValueError as exc:
        rows, read_error = [], str(exc)
    bad = [r for r in rows if r.errors]
    present = [r for r in rows if r.present and not r.errors]
    new = [r for r in rows if not r.present and not r.errors]
    if request.method == "POST":
        if bad or read_error or not rows:
            messages.error(request, "Nothing was imported: correct the rows named below and upload the file again.")
        else:
            resources.update_job(job, state="queued", total=len(rows))
            run_nomination_import.apply_async(kwargs={"job_id": job})
            return redirect("nominations:import_progress", code=project.code, job=job)
    return render(
        request,
        "nominations/import_preview.html",
        {
            "project": project,
            "country": country,
            "job": job_data,
            "rows": rows,
            "bad": bad,
            "present": present,
            "new": new,
            "read_error": read_error,
        },
    )


@secretariat_required
def import_progress(request, code, job):
    project = get_project_or_404(code, request.user)
    job_data = _job(project, job)
    percent = int(100 * job_data["done"] / job_data["total"]) if job_data.get("total") else 0
    if job_data["state"] == "done":
        percent = 100
    template = "nominations/import_progress.html"
    if request.htmx:
        template += "#progress"
    return render(request, template, {"project": project, "job": job_data, "percent": percent})
