"""Attendance pages: the grid (mark by hand, threshold, export), the NPO and participant views,
and the report import (upload, preview, mapping, confirm, progress). Views stay thin: parse
input, call one service from `attendance.py`, turn a DomainError into a message or form error."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from apopms.exceptions import DomainError
from apopms.models import MemberCountry, Project
from apopms.permissions import get_project_or_404, require_programme_manager
from apopms.services import set_min_attendance_share
from apopms.timezones import zone_choices, zone_label
from nominations.models import Participant

from . import attendance as svc
from . import zoom
from .attendance_resources import grid_dataset
from .enums import ImportStatus
from .models import AttendanceImport, Session
from .selectors import participants_attended_every_session

# ---------------------------------------------------------------------------------------------
# Forms (kept here: `forms.py` belongs to the programme)
# ---------------------------------------------------------------------------------------------


class ShareForm(forms.Form):
    share = forms.DecimalField(
        label="Minimum attendance (% of each session)", min_value=1, max_value=100, decimal_places=0, max_digits=3
    )


class MarkForm(forms.Form):
    present = forms.TypedChoiceField(
        choices=[("1", "Present"), ("0", "Absent")], coerce=lambda v: v == "1", widget=forms.RadioSelect
    )
    reason = forms.CharField(
        label="Reason for the change", required=False, max_length=500, widget=forms.TextInput(attrs={"size": 30})
    )


class UploadForm(forms.Form):
    session = forms.ModelChoiceField(queryset=Session.objects.none(), empty_label=None)
    report = forms.FileField(
        label="Zoom participant report (CSV)",
        help_text="As Zoom exports it, or saved from Excel: CSV (comma, semicolon or tab) or a workbook (.xlsx).",
    )
    time_zone = forms.ChoiceField(
        label="The report's times are in",
        help_text="Zoom writes times in the host account's zone without saying which: confirm it.",
    )

    def __init__(self, *args, project, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["session"].queryset = Session.objects.filter(project=project).order_by("start_at")
        self.fields["session"].label_from_instance = lambda s: (
            f"{s.title} ({s.start_at.astimezone(project.zone):%d %b %Y %H:%M})"
        )
        self.fields["time_zone"].choices = zone_choices()
        self.fields["time_zone"].initial = project.time_zone


class ZoneForm(forms.Form):
    time_zone = forms.ChoiceField(label="The report's times are in")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["time_zone"].choices = zone_choices()


# ---------------------------------------------------------------------------------------------
# Helpers
# ---------------------------------------------------------------------------------------------


DATALIST_FROM = 200
# Names to resolve shown with a control each, and rows outside the session listed, at most: a report
# with hundreds of unknown observers keeps a small page (the rest: a count, and "ignore all").
UNMATCHED_SHOWN = 25
OUTSIDE_SHOWN = 25
IGNORED_SHOWN = 25


def _managed_project(request, code):
    # Looked up without the visibility filter: a role without the right gets 403, not 404.
    project = get_project_or_404(code)
    require_programme_manager(request.user, project)
    return project


def _grid_url(project):
    return reverse("agenda:attendance_grid", kwargs={"code": project.code})


# ---------------------------------------------------------------------------------------------
# The grid
# ---------------------------------------------------------------------------------------------


@login_required
def attendance_index(request):
    """Where each role finds attendance: grids (managers), country pages (NPO officers), own (participants)."""
    user = request.user
    with_sessions = Project.objects.filter(sessions__isnull=False).distinct().order_by("-start_date", "code")
    if user.is_secretariat:
        managed = list(with_sessions)
    else:
        managed = list(with_sessions.filter(pk__in=user.implementer_project_ids()))
    country = user.npo_country
    country_projects = list(with_sessions.for_country(country).published()) if country else []
    own = list(Participant.objects.filter(user=user).select_related("project").order_by("-project__start_date", "pk"))
    return render(
        request,
        "sessions/attendance/index.html",
        {"managed": managed, "country": country, "country_projects": country_projects, "own": own},
    )


@login_required
def attendance_grid(request, code):
    project = _managed_project(request, code)
    grid = svc.attendance_grid(project)
    imports = (
        AttendanceImport.objects.filter(session__project=project, status=ImportStatus.CONFIRMED)
        .select_related("session", "confirmed_by")
        .order_by("session__start_at")
    )
    share_form = ShareForm(initial={"share": int(project.min_attendance_share * 100)})
    return render(
        request,
        "sessions/attendance/grid.html",
        {"project": project, "grid": grid, "share_form": share_form, "imports": imports, "editable": True},
    )


@login_required
@require_POST
def attendance_share(request, code):
    project = _managed_project(request, code)
    if not request.user.is_secretariat:
        from django.core.exceptions import PermissionDenied

        raise PermissionDenied("Only the APO Secretariat sets the minimum attendance.")
    form = ShareForm(request.POST)
    if form.is_valid():
        try:
            change = set_min_attendance_share(
                project=project, share=form.cleaned_data["share"] / 100, actor=request.user
            )
            messages.success(request, change.summary)
        except DomainError as exc:
            messages.error(request, exc.message)
    else:
        messages.error(request, "Give the minimum attendance as a whole percentage between 1 and 100.")
    return redirect(_grid_url(project))


def _cell_context(project, cell, **extra):
    return {"project": project, "cell": cell, "editable": True, **extra}


@login_required
def attendance_mark(request, code, participant_id, session_id):
    """One cell. POST present=1|0 (and a reason when it changes an imported value).

    htmx gets the cell back (or the cell asking for a reason); without JavaScript the grid
    is redirected to, or this page asks for the reason."""
    project = _managed_project(request, code)
    participant = get_object_or_404(
        Participant.objects.active().select_related("country", "user"), pk=participant_id, project=project
    )
    session = get_object_or_404(Session, pk=session_id, project=project)
    session.project = project
    cell = svc.attendance_cell(participant, session)
    if request.method == "POST":
        form = MarkForm(request.POST)
        if form.is_valid():
            try:
                svc.mark_attendance(
                    participant=participant,
                    session=session,
                    present=form.cleaned_data["present"],
                    reason=form.cleaned_data["reason"],
                    actor=request.user,
                )
            except DomainError as exc:
                form.add_error(exc.field if exc.field in form.fields else None, exc.message)
            else:
                cell = svc.attendance_cell(participant, session)
                if request.htmx:
                    # The cell, and out of band the totals it changes: its row, its column, "every session".
                    extra = {
                        "row": svc.participant_attendance(participant),
                        "total": svc.session_total(session),
                        "participant_count": svc.grid_participants(project).count(),
                        "every_count": participants_attended_every_session(project).count(),
                        "oob": True,
                    }
                    return render(request, "sessions/attendance/_cell.html", _cell_context(project, cell, **extra))
                state = "present" if cell.present else "absent"
                messages.success(request, f"{participant.certificate_name}: {state} at {session.title}.")
                return redirect(f"{_grid_url(project)}#{cell.dom_id}")
    else:
        form = MarkForm(initial={"present": "0" if cell.present else "1"})
    if request.htmx:
        return render(request, "sessions/attendance/_cell.html", _cell_context(project, cell, form=form, asking=True))
    return render(request, "sessions/attendance/mark.html", _cell_context(project, cell, form=form))


@login_required
def attendance_export(request, code, fmt):
    project = _managed_project(request, code)
    dataset = grid_dataset(svc.attendance_grid(project))
    if fmt == "csv":
        response = HttpResponse(dataset.export("csv"), content_type="text/csv; charset=utf-8")
    elif fmt == "xlsx":
        response = HttpResponse(
            dataset.export("xlsx"), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        )
    else:
        raise Http404("Unknown format.")
    response["Content-Disposition"] = f'attachment; filename="attendance-{project.code}.{fmt}"'
    return response


# ---------------------------------------------------------------------------------------------
# NPO officers and participants
# ---------------------------------------------------------------------------------------------


@login_required
def attendance_country(request, code, iso2):
    """A country's participants' attendance: for that country's NPO officers (and the project's managers)."""
    user = request.user
    project = get_project_or_404(code)
    country = get_object_or_404(MemberCountry, iso2=iso2.upper())
    if not user.can_manage_programme(project):
        if user.npo_country is None:
            from django.core.exceptions import PermissionDenied

            raise PermissionDenied("Only NPO officers, the Secretariat and implementers see this page.")
        if user.npo_country.pk != country.pk:
            raise Http404("No such page.")
    participants = svc.grid_participants(project).filter(country=country)
    grid = svc.attendance_grid(project, participants)
    return render(
        request,
        "sessions/attendance/country.html",
        {"project": project, "country": country, "grid": grid, "editable": False},
    )


@login_required
def attendance_mine(request, code):
    """A participant's own attendance (the same partial "My workshop" includes)."""
    project = get_project_or_404(code)
    participant = (
        Participant.objects.filter(project=project, user=request.user).select_related("project", "country").first()
    )
    if participant is None:
        raise Http404("You are not a participant of this project.")
    return render(request, "sessions/attendance/mine.html", {"project": project, "participant": participant})


# ---------------------------------------------------------------------------------------------
# Import
# ---------------------------------------------------------------------------------------------


@login_required
def attendance_import_upload(request, code):
    project = _managed_project(request, code)
    if request.method == "POST":
        form = UploadForm(request.POST, request.FILES, project=project)
        if form.is_valid():
            upload = form.cleaned_data["report"]
            try:
                if upload.size > zoom.MAX_BYTES:  # refuse before reading it into memory
                    raise zoom.ReportError(f"The file is larger than {zoom.MAX_BYTES // (1024 * 1024)} MB.")
                imp, duplicate = svc.upload_attendance_report(
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
                    return redirect(_grid_url(project))
                return redirect("agenda:attendance_import_preview", code=project.code, pk=imp.pk)
    else:
        form = UploadForm(project=project)
    return render(request, "sessions/attendance/upload.html", {"project": project, "form": form})


def _import_for(request, code, pk):
    project = _managed_project(request, code)
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
    preview = svc.build_preview(imp)
    participants = list(svc.grid_participants(project))
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
            "zone_form": ZoneForm(initial={"time_zone": zone}),
            "editable": imp.status == ImportStatus.PREVIEW,
            "unmatched_shown": preview.unmatched[:UNMATCHED_SHOWN],
            "unmatched_rest": max(0, len(preview.unmatched) - UNMATCHED_SHOWN),
            "outside_shown": preview.outside[:OUTSIDE_SHOWN],
            "outside_rest": max(0, len(preview.outside) - OUTSIDE_SHOWN),
            "ignored_shown": preview.ignored[:IGNORED_SHOWN],
            "ignored_rest": max(0, len(preview.ignored) - IGNORED_SHOWN),
            "certificate_losses": svc.certificate_losses(preview) if imp.status == ImportStatus.PREVIEW else [],
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
    form = ZoneForm(request.POST)
    if form.is_valid():
        try:
            svc.set_import_time_zone(
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
    active = {p.pk: p for p in svc.grid_participants(project)}
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
            resolved = svc.resolve_report_names(
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
        svc.request_import_confirmation(
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
        svc.discard_attendance_import(attendance_import=imp, actor=request.user)
        messages.info(request, "The upload was discarded; nothing was saved.")
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect(_grid_url(project))


@login_required
def attendance_import_progress(request, code, pk):
    project, imp = _import_for(request, code, pk)
    progress = svc.get_progress(imp.pk)
    total = progress.get("total") or 0
    percent = int(100 * progress.get("done", 0) / total) if total else 0
    if imp.status == ImportStatus.CONFIRMED:
        percent = 100
    context = {"project": project, "imp": imp, "progress": progress, "percent": percent, "done": imp.status != "queued"}
    template = "sessions/attendance/_progress.html" if request.htmx else "sessions/attendance/progress.html"
    return render(request, template, context)
