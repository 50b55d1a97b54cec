"""The attendance report import: upload, preview, time zone, name mapping, confirm, discard and
the progress of the save. Thin: parse input, call one service, turn a DomainError into a message
or form error; PermissionDenied (403) propagates."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from apopms.exceptions import DomainError
from apopms.timezones import zone_label

from .. import selectors, services, zoom
from ..enums import ImportStatus
from ..forms import ReportZoneForm, UploadForm
from ..models import AttendanceImport
from .attendance import grid_url, recording_project

DATALIST_FROM = 200
# Names to resolve shown with a control each, and rows outside the session listed, at most: a report
# with hundreds of unknown observers keeps a small page (the rest: a count, and "ignore all").
UNMATCHED_SHOWN = 25
OUTSIDE_SHOWN = 25
IGNORED_SHOWN = 25


@login_required
def attendance_import_upload(request, code):
    project = recording_project(request, code)
    if not project.has_links:
        messages.info(request, "This project meets in person: its attendance is marked in the grid, not imported.")
        return redirect(grid_url(project))
    if request.method == "POST":
        form = UploadForm(request.POST, request.FILES, project=project)
        if form.is_valid():
            upload = form.cleaned_data["report"]
            try:
                if upload.size > zoom.MAX_BYTES:  # refuse before reading it into memory
                    raise zoom.ReportError(f"The file is larger than {zoom.MAX_BYTES // (1024 * 1024)} MB.")
                imp, duplicate = services.upload_attendance_report(
                    session=form.cleaned_data["session"],
                    data=upload.read(),
                    file_name=upload.name,
                    time_zone=form.cleaned_data["time_zone"],
                    actor=request.user,
                )
            except DomainError as exc:
                form.add_error(exc.field if exc.field in form.fields else "report", exc.message)
            else:
                if duplicate:
                    messages.info(
                        request,
                        f"This report was already imported for {imp.session.title} on "
                        f"{imp.confirmed_at:%d %b %Y %H:%M} UTC: nothing changed.",
                    )
                    return redirect(grid_url(project))
                return redirect("agenda:attendance_import_preview", code=project.code, pk=imp.pk)
    else:
        form = UploadForm(project=project)
    return render(request, "sessions/attendance/upload.html", {"project": project, "form": form})


def _import_for(request, code, pk):
    project = recording_project(request, code)
    imp = get_object_or_404(
        AttendanceImport.objects.select_related("session", "uploaded_by", "confirmed_by"),
        pk=pk,
        session__project=project,
    )
    imp.session.project = project
    return project, imp


@login_required
def attendance_import_preview(request, code, pk):
    project, imp = _import_for(request, code, pk)
    if imp.status == ImportStatus.QUEUED:
        return redirect("agenda:attendance_import_progress", code=project.code, pk=imp.pk)
    preview = selectors.build_preview(imp)
    participants = list(selectors.grid_participants(project))
    zone = imp.time_zone
    return render(
        request,
        "sessions/attendance/preview.html",
        {
            "project": project,
            "imp": imp,
            "preview": preview,
            "participants": participants,
            "zone": zone,
            "zone_label": zone_label(zone, imp.session.start_at),
            "zone_form": ReportZoneForm(initial={"time_zone": zone}),
            "editable": imp.status == ImportStatus.PREVIEW,
            "unmatched_shown": preview.unmatched[:UNMATCHED_SHOWN],
            "unmatched_rest": max(0, len(preview.unmatched) - UNMATCHED_SHOWN),
            "outside_shown": preview.outside[:OUTSIDE_SHOWN],
            "outside_rest": max(0, len(preview.outside) - OUTSIDE_SHOWN),
            "ignored_shown": preview.ignored[:IGNORED_SHOWN],
            "ignored_rest": max(0, len(preview.ignored) - IGNORED_SHOWN),
            "certificate_losses": selectors.certificate_losses(preview) if imp.status == ImportStatus.PREVIEW else [],
            # Past a few hundred participants, one shared list instead of every option in every row.
            "use_datalist": len(participants) > DATALIST_FROM,
        },
    )


def _back_to_preview(project, imp):
    return redirect("agenda:attendance_import_preview", code=project.code, pk=imp.pk)


@login_required
@require_POST
def attendance_import_zone(request, code, pk):
    project, imp = _import_for(request, code, pk)
    form = ReportZoneForm(request.POST)
    if form.is_valid():
        try:
            services.set_import_time_zone(
                attendance_import=imp, time_zone=form.cleaned_data["time_zone"], actor=request.user
            )
        except DomainError as exc:
            messages.error(request, exc.message)
    else:
        messages.error(request, "Choose a time zone from the list.")
    return _back_to_preview(project, imp)


@login_required
@require_POST
def attendance_import_map(request, code, pk):
    """Each unmatched name: `map:<key>` = a participant's id, "ignore", or "" (decide later);
    `ignore_rest` ignores every name still unmatched after these choices."""
    project, imp = _import_for(request, code, pk)
    active = {p.pk: p for p in selectors.grid_participants(project)}
    decisions, labels = {}, {}
    for name, value in request.POST.items():
        if not name.startswith("map:") or not value:
            continue
        key = name.removeprefix("map:")
        labels[key] = request.POST.get(f"label:{key}", "")
        value = value.strip()
        chosen = value.split(" ", 1)[0]  # a datalist entry reads "123 · Name (Country)"
        if value.casefold() == "ignore":
            decisions[key] = None
        elif chosen.isdigit() and int(chosen) in active:
            decisions[key] = active[int(chosen)]
        else:
            messages.error(request, "Choose a participant of this project, or ignore the name.")
            return _back_to_preview(project, imp)
    ignore_rest = request.POST.get("ignore_rest") == "1"
    if decisions or ignore_rest:
        try:
            resolved = services.resolve_report_names(
                attendance_import=imp, decisions=decisions, labels=labels, ignore_rest=ignore_rest, actor=request.user
            )
            messages.success(request, f"{resolved} name(s) resolved; remembered for this project's other sessions.")
        except DomainError as exc:
            messages.error(request, exc.message)
    return _back_to_preview(project, imp)


@login_required
@require_POST
def attendance_import_confirm(request, code, pk):
    project, imp = _import_for(request, code, pk)
    try:
        services.request_import_confirmation(
            attendance_import=imp, actor=request.user, acknowledged=request.POST.get("acknowledge") == "1"
        )
    except DomainError as exc:
        messages.error(request, exc.message)
        return _back_to_preview(project, imp)
    return redirect("agenda:attendance_import_progress", code=project.code, pk=imp.pk)


@login_required
@require_POST
def attendance_import_discard(request, code, pk):
    project, imp = _import_for(request, code, pk)
    try:
        services.discard_attendance_import(attendance_import=imp, actor=request.user)
        messages.info(request, "The upload was discarded; nothing was saved.")
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect(grid_url(project))


@login_required
def attendance_import_progress(request, code, pk):
    project, imp = _import_for(request, code, pk)
    progress = services.get_progress(imp.pk)
    total = progress.get("total") or 0
    percent = int(100 * progress.get("done", 0) / total) if total else 0
    if imp.status == ImportStatus.CONFIRMED:
        percent = 100
    context = {"project": project, "imp": imp, "progress": progress, "percent": percent, "done": imp.status != "queued"}
    template = "sessions/attendance/_progress.html" if request.htmx else "sessions/attendance/progress.html"
    return render(request, template, context)
