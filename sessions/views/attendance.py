"""Attendance pages: the grid (mark by hand, threshold, export), and the NPO officers' and
participants' views. Thin: parse input, call one service, turn a DomainError into a message or
form error; PermissionDenied (403) propagates."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from apopms import audit
from apopms.exceptions import DomainError
from apopms.models import MemberCountry, Project
from apopms.permissions import get_project_or_404
from apopms.services import set_min_attendance_share
from nominations.models import Participant

from .. import selectors, services
from ..enums import ImportStatus
from ..forms import AbsenteesForm, MarkForm, ShareForm
from ..models import AttendanceImport, Session
from ..permissions import (
    COUNTRY_PAGE_ROLES,
    can_see_country_attendance,
    can_set_attendance_share,
    projects_recording_attendance,
    require_record_attendance,
    require_set_attendance_share,
)
from ..resources import grid_dataset


def recording_project(request, code):
    """The project whose attendance the user records (looked up without the visibility filter: a role
    without the right gets 403, not 404)."""
    project = get_project_or_404(code)
    require_record_attendance(request.user, project)
    return project


def grid_url(project):
    return reverse("agenda:attendance_grid", kwargs={"code": project.code})


@login_required
def attendance_index(request):
    """Where each role finds attendance: grids (managers), country pages (NPO officers), own (participants)."""
    user = request.user
    with_sessions = Project.objects.filter(sessions__isnull=False).distinct().order_by("-start_date", "code")
    managed = list(projects_recording_attendance(user, with_sessions))
    country = user.npo_country
    country_projects = list(with_sessions.for_country(country).published()) if country else []
    own = list(Participant.objects.filter(user=user).select_related("project").order_by("-project__start_date", "pk"))
    return render(
        request,
        "sessions/attendance/index.html",
        {"managed": managed, "country": country, "country_projects": country_projects, "own": own},
    )


@login_required
def attendance_grid(request, code, absentee_form=None):
    project = recording_project(request, code)
    grid = selectors.attendance_grid(project)
    absentee_form = absentee_form or AbsenteesForm(project=project)
    imports = (
        AttendanceImport.objects.filter(session__project=project, status=ImportStatus.CONFIRMED)
        .select_related("session", "confirmed_by")
        .order_by("session__start_at")
    )
    share_form = ShareForm(initial={"share": int(project.min_attendance_share * 100)})
    return render(
        request,
        "sessions/attendance/grid.html",
        {
            "project": project,
            "grid": grid,
            "share_form": share_form,
            "can_set_share": can_set_attendance_share(request.user, project),
            "imports": imports,
            "editable": True,
            "absentee_form": absentee_form,
        },
    )


@login_required
@require_POST
def attendance_bulk(request, code):
    """Marks for a room: `action` = session (everyone present at `session`), participant (present at
    every session), or absentees (a session's pasted list; everyone else present)."""
    project = recording_project(request, code)
    action = request.POST.get("action")
    try:
        if action == "absentees":
            form = AbsenteesForm(request.POST, project=project)
            if not form.is_valid():
                return attendance_grid(request, code, absentee_form=form)
            session = form.cleaned_data["session"]
            session.project = project
            try:
                result = services.mark_absentees(
                    session=session, actor=request.user, text=form.cleaned_data["absentees"]
                )
            except DomainError as exc:
                for message in exc.errors.get("absentees") or [exc.message]:
                    form.add_error("absentees", message)
                return attendance_grid(request, code, absentee_form=form)
            absent = result.absent
            done = (
                f"{session.title}: {absent} absent, everyone else present"
                if absent
                else f"{session.title}: everyone present"
            )
        elif action == "session":
            session = get_object_or_404(Session, pk=request.POST.get("session"), project=project)
            session.project = project
            result = services.mark_session_present(session=session, actor=request.user)
            done = f"{session.title}: everyone present"
        elif action == "participant":
            participant = get_object_or_404(
                Participant.objects.active(), pk=request.POST.get("participant"), project=project
            )
            participant.project = project
            result = services.mark_participant_present(participant=participant, actor=request.user)
            done = f"{participant.certificate_name}: present at every session"
        else:
            raise Http404("Unknown action.")
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, f"{done}. {result.summary}")
    return redirect(grid_url(project))


@login_required
@require_POST
def attendance_share(request, code):
    project = recording_project(request, code)
    require_set_attendance_share(request.user, project)
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
    return redirect(grid_url(project))


def _cell_context(project, cell, **extra):
    return {"project": project, "cell": cell, "editable": True, **extra}


@login_required
def attendance_mark(request, code, participant_id, session_id):
    """One cell. POST present=1|0 (and a reason when it changes an imported value).

    htmx gets the cell back (or the cell asking for a reason); without JavaScript the grid
    is redirected to, or this page asks for the reason."""
    project = recording_project(request, code)
    participant = get_object_or_404(
        Participant.objects.active().select_related("country", "user"), pk=participant_id, project=project
    )
    session = get_object_or_404(Session, pk=session_id, project=project)
    session.project = project
    cell = selectors.attendance_cell(participant, session)
    if request.method == "POST":
        form = MarkForm(request.POST)
        if form.is_valid():
            try:
                services.mark_attendance(
                    participant=participant,
                    session=session,
                    present=form.cleaned_data["present"],
                    reason=form.cleaned_data["reason"],
                    actor=request.user,
                )
            except DomainError as exc:
                form.add_error(exc.field if exc.field in form.fields else None, exc.message)
            else:
                cell = selectors.attendance_cell(participant, session)
                if request.htmx:
                    # The cell, and out of band the totals it changes: its row, its column, "every session".
                    extra = {
                        "row": selectors.participant_attendance(participant),
                        "total": selectors.session_total(session),
                        "participant_count": selectors.grid_participants(project).count(),
                        "every_count": selectors.participants_attended_every_session(project).count(),
                        "oob": True,
                    }
                    return render(request, "sessions/attendance/_cell.html", _cell_context(project, cell, **extra))
                state = "present" if cell.present else "absent"
                messages.success(request, f"{participant.certificate_name}: {state} at {session.title}.")
                return redirect(f"{grid_url(project)}#{cell.dom_id}")
    else:
        form = MarkForm(initial={"present": "0" if cell.present else "1"})
    if request.htmx:
        return render(request, "sessions/attendance/_cell.html", _cell_context(project, cell, form=form, asking=True))
    return render(request, "sessions/attendance/mark.html", _cell_context(project, cell, form=form))


def _export(request, project, grid, fmt, name, country=None):
    """The grid as CSV or XLSX; audited with who, when and which filter (a country, or all)."""
    dataset = grid_dataset(grid)
    if fmt == "csv":
        response = HttpResponse(dataset.export("csv"), content_type="text/csv; charset=utf-8")
    elif fmt == "xlsx":
        response = HttpResponse(
            dataset.export("xlsx"), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        )
    else:
        raise Http404("Unknown format.")
    audit.record(
        "agenda.attendance.exported",
        actor=request.user,
        target=project,
        format=fmt,
        rows=len(grid.rows),
        country=country.name if country else "",
    )
    response["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    return response


@login_required
def attendance_export(request, code, fmt):
    project = recording_project(request, code)
    return _export(request, project, selectors.attendance_grid(project), fmt, f"attendance-{project.code}")


# ---------------------------------------------------------------------------------------------
# NPO officers and participants
# ---------------------------------------------------------------------------------------------


def _country_grid(request, code, iso2):
    user = request.user
    project = get_project_or_404(code)
    country = get_object_or_404(MemberCountry, iso2=iso2.upper())
    if not can_see_country_attendance(user, project, country):
        if user.npo_country is None:
            raise PermissionDenied(COUNTRY_PAGE_ROLES)
        raise Http404("No such page.")  # another country's page: nothing says it exists
    participants = selectors.grid_participants(project).filter(country=country)
    return project, country, selectors.attendance_grid(project, participants)


@login_required
def attendance_country(request, code, iso2):
    """A country's participants' attendance: for that country's NPO officers (and the project's managers)."""
    project, country, grid = _country_grid(request, code, iso2)
    return render(
        request,
        "sessions/attendance/country.html",
        {"project": project, "country": country, "grid": grid, "editable": False},
    )


@login_required
def attendance_country_export(request, code, iso2, fmt):
    """The country's page as a spreadsheet: its participants only, as the page shows them (audited)."""
    project, country, grid = _country_grid(request, code, iso2)
    return _export(request, project, grid, fmt, f"attendance-{project.code}-{country.iso2}", country=country)


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
