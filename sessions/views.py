"""Views of the programme: the public page, its iCalendar feed and PDF, the editor, and "My workshop".

Thin: parse input, call one service, turn a DomainError into a form error or message.
"""

import zoneinfo

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core import signing
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from apopms.exceptions import DomainError, add_to_form
from apopms.models import Project
from apopms.permissions import get_project_or_404, require_programme_manager
from nominations.models import Participant

from . import services
from .forms import AgendaItemForm, AnnounceForm, PublishUpdateForm, ResourcePersonForm, SessionForm, ZoneForm
from .ical import programme_calendar
from .models import AgendaItem, ProgrammeVersion, ResourcePerson, Session
from .programme import present
from .selectors import (
    active_participation,
    latest_programme_version,
    programme_history,
    programme_sessions,
    programme_snapshot,
    resource_persons,
)

ZONE_KEY = "agenda_viewer_zone"


# ---------------------------------------------------------------- helpers


def _project(request, code):
    """A project whose notification is public; the Secretariat also sees unpublished ones."""
    qs = Project.objects.select_related("host_country")
    user = request.user
    if not (user.is_authenticated and (user.is_secretariat or user.implementer_project_ids())):
        qs = qs.published()
    project = get_object_or_404(qs, code=code)
    if not project.notification_issued_at and not (user.is_authenticated and user.can_manage_programme(project)):
        raise Http404("No such project.")
    return project


def _valid_zone(name):
    if not name:
        return None
    try:
        return zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return None


def viewer_zone(request, participation=None):
    """The zone to show beside the project's: one chosen on the page, else the person's own."""
    chosen = _valid_zone(request.session.get(ZONE_KEY))
    if chosen is not None:
        return chosen
    user = request.user
    if not user.is_authenticated:
        return None
    if user.time_zone:
        return _valid_zone(user.time_zone)
    if participation is not None:
        return participation.zone
    country = user.npo_country
    return country.zone if country is not None else None


def _may_see_participants(user, project, participation):
    """Names of participants are for those taking part, not for every visitor."""
    if not user.is_authenticated:
        return False
    if participation is not None or user.can_manage_programme(project):
        return True
    country = user.npo_country
    return country is not None and project.participating_countries.filter(pk=country.pk).exists()


def _programme_source(request, project):
    """(snapshot, version or None, is_draft). The draft only for those who manage the programme:
    before publication, and afterwards with ?draft=1 (a preview of changes not yet published)."""
    manager = request.user.is_authenticated and request.user.can_manage_programme(project)
    version = latest_programme_version(project)
    if version is not None and not (manager and request.GET.get("draft")):
        return version.snapshot, version, False
    if not request.user.is_authenticated:
        return None, None, True
    if manager:
        return programme_snapshot(project), None, True
    raise Http404("The programme has not been published yet.")


# ---------------------------------------------------------------- public


def programme(request, code):
    """The programme page: published for everyone; the draft for the Secretariat and implementers."""
    project = _project(request, code)
    snapshot, version, is_draft = _programme_source(request, project)
    if snapshot is None:
        return redirect_to_login(request.get_full_path())
    participation = active_participation(request.user, project)
    zone = viewer_zone(request, participation)
    context = {
        "project": project,
        "version": version,
        "is_draft": is_draft,
        "history": list(programme_history(project)) if version or project.programme_published_at else [],
        "programme": present(
            snapshot,
            project=project,
            viewer_zone=zone,
            show_join=participation is not None,
            show_participants=_may_see_participants(request.user, project, participation),
        ),
        "can_manage": request.user.is_authenticated and request.user.can_manage_programme(project),
        "zone_form": ZoneForm(initial={"zone": getattr(zone, "key", ""), "next": request.get_full_path()}),
    }
    return render(request, "sessions/programme.html", context)


def programme_ics(request, code):
    """The sessions as an iCalendar feed (published programme only; participants also get the link)."""
    project = _project(request, code)
    version = latest_programme_version(project)
    if version is None:
        raise Http404("The programme has not been published yet.")
    participation = active_participation(request.user, project)
    if participation is None and request.GET.get("key"):
        participation = participant_for_feed_key(request.GET["key"], project)
    url = request.build_absolute_uri(reverse("agenda:programme", kwargs={"code": project.code}))
    body = programme_calendar(project, version, url=url, with_join_links=participation is not None)
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{project.code}-programme.ics"'
    if participation is not None:
        response["Cache-Control"] = "private, no-store"
    return response


FEED_SALT = "agenda.programme_ics"


def feed_key(participant):
    """A participant's own calendar subscription key: calendar programs send no cookies, and the
    key lets their feed carry the links to join. Signed, so it cannot be guessed or altered."""
    return signing.dumps({"p": participant.pk, "u": participant.user_id}, salt=FEED_SALT, compress=True)


def participant_for_feed_key(key, project):
    try:
        data = signing.loads(key, salt=FEED_SALT)
    except signing.BadSignature:
        return None
    return (
        Participant.objects.active()
        .filter(pk=data.get("p"), user_id=data.get("u"), project=project, user__is_active=True)
        .first()
    )


def programme_pdf(request, code):
    """The printable programme (the draft, marked so, for those who manage it before publication)."""
    from .pdf import render_programme_pdf

    project = _project(request, code)
    snapshot, version, is_draft = _programme_source(request, project)
    if snapshot is None:
        return redirect_to_login(request.get_full_path())
    participation = active_participation(request.user, project)
    pdf = render_programme_pdf(
        project,
        snapshot,
        version=version,
        draft=is_draft,
        show_participants=_may_see_participants(request.user, project, participation),
    )
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{project.code}-programme.pdf"'
    return response


@require_POST
def set_zone(request):
    """Remember the zone a visitor chose to see times in (for this browser session)."""
    form = ZoneForm(request.POST)
    target = request.POST.get("next") or reverse("home")
    if not url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        target = reverse("home")
    if form.is_valid() and form.cleaned_data["zone"]:
        request.session[ZONE_KEY] = form.cleaned_data["zone"]
    elif form.is_valid():
        request.session.pop(ZONE_KEY, None)
    return redirect(target)


@login_required
def my_workshop(request):
    """A participant's workshops: programme in their zone, links to join, attendance and certificate."""
    participations = list(
        Participant.objects.active()
        .filter(user=request.user)
        .select_related("project", "project__host_country", "country", "user")
        .order_by("-project__start_date")
    )
    if not participations:
        raise PermissionDenied("This page is for participants of a workshop.")
    latest = {}
    for v in ProgrammeVersion.objects.filter(project__in=[p.project_id for p in participations]).order_by("number"):
        latest[v.project_id] = v
    workshops = []
    for participant in participations:
        version = latest.get(participant.project_id)
        zone = viewer_zone(request, participant)
        workshops.append(
            {
                "feed_key": feed_key(participant),
                "participant": participant,
                "project": participant.project,
                "version": version,
                "programme": present(version.snapshot, project=participant.project, viewer_zone=zone, show_join=True)
                if version
                else None,
            }
        )
    return render(request, "sessions/my_workshop.html", {"workshops": workshops})


# ---------------------------------------------------------------- the editor


def _managed_project(request, code):
    project = get_project_or_404(code, request.user)
    require_programme_manager(request.user, project)
    return project


@login_required
def manage(request, code):
    project = _managed_project(request, code)
    latest, changes = services.pending_changes(project)
    sessions = list(programme_sessions(project))
    for session in sessions:
        session.project = project  # day_number needs it: no query per session
    speakers = list(resource_persons(project))
    context = {
        "project": project,
        "sessions": sessions,
        "speakers": speakers,
        "latest": latest,
        "changes": changes,
        "honorarium_count": sum(1 for p in speakers if p.local_honorarium),
        "honorarium_cap": services.HONORARIUM_CAP,
        "warnings": [] if latest else services.announcement_warnings(project),
    }
    return render(request, "sessions/manage.html", context)


def _form_page(request, project, form, *, title, back=None):
    return render(
        request,
        "sessions/form.html",
        {"project": project, "form": form, "title": title, "back": back or _manage_url(project)},
    )


def _manage_url(project):
    return reverse("agenda:manage", kwargs={"code": project.code})


@login_required
def session_create(request, code):
    project = _managed_project(request, code)
    form = SessionForm(request.POST or None, project=project)
    if request.method == "POST" and form.is_valid():
        try:
            services.create_session(project=project, actor=request.user, **form.service_kwargs())
        except DomainError as error:
            add_to_form(form, error)
        else:
            messages.success(request, "Session added to the draft programme.")
            return redirect(_manage_url(project))
    return _form_page(request, project, form, title="New session")


@login_required
def session_edit(request, code, pk):
    project = _managed_project(request, code)
    session = get_object_or_404(Session, project=project, pk=pk)
    form = SessionForm(request.POST or None, project=project, session=session)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_session(session=session, actor=request.user, **form.service_kwargs())
        except DomainError as error:
            add_to_form(form, error)
        else:
            messages.success(request, "Session changed.")
            return redirect(_manage_url(project))
    return _form_page(request, project, form, title=f"Change “{session.title}”")


def _confirm_delete(request, project, what, *, action):
    return render(request, "sessions/confirm_delete.html", {"project": project, "what": what, "action": action})


@login_required
def session_delete(request, code, pk):
    project = _managed_project(request, code)
    session = get_object_or_404(Session, project=project, pk=pk)
    if request.method == "POST":
        try:
            services.delete_session(session=session, actor=request.user)
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, f"Session “{session.title}” removed.")
        return redirect(_manage_url(project))
    return _confirm_delete(request, project, f"the session “{session.title}” and its agenda", action=request.path)


@login_required
def item_create(request, code, session_pk):
    project = _managed_project(request, code)
    session = get_object_or_404(Session.objects.select_related("project"), project=project, pk=session_pk)
    form = AgendaItemForm(request.POST or None, session=session)
    if request.method == "POST" and form.is_valid():
        try:
            services.create_agenda_item(session=session, actor=request.user, **form.service_kwargs())
        except DomainError as error:
            add_to_form(form, error)
        else:
            messages.success(request, "Agenda item added.")
            return redirect(_manage_url(project))
    return _form_page(request, project, form, title=f"New agenda item in “{session.title}”")


def _item(project, pk):
    return get_object_or_404(
        AgendaItem.objects.select_related("session", "session__project"), session__project=project, pk=pk
    )


@login_required
def item_edit(request, code, pk):
    project = _managed_project(request, code)
    item = _item(project, pk)
    form = AgendaItemForm(request.POST or None, session=item.session, item=item)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_agenda_item(item=item, actor=request.user, **form.service_kwargs())
        except DomainError as error:
            add_to_form(form, error)
        else:
            messages.success(request, "Agenda item changed.")
            return redirect(_manage_url(project))
    return _form_page(request, project, form, title=f"Change “{item.title}”")


@login_required
def item_delete(request, code, pk):
    project = _managed_project(request, code)
    item = _item(project, pk)
    if request.method == "POST":
        services.delete_agenda_item(item=item, actor=request.user)
        messages.success(request, f"“{item.title}” removed.")
        return redirect(_manage_url(project))
    return _confirm_delete(request, project, f"the agenda item “{item.title}”", action=request.path)


@login_required
@require_POST
def item_move(request, code, pk):
    project = _managed_project(request, code)
    item = _item(project, pk)
    try:
        services.move_agenda_item(item=item, actor=request.user, direction=request.POST.get("direction"))
    except DomainError as error:
        messages.error(request, error.message)
    return redirect(f"{_manage_url(project)}#session-{item.session_id}")


@login_required
def speaker_create(request, code):
    project = _managed_project(request, code)
    form = ResourcePersonForm(request.POST or None, instance=ResourcePerson(project=project))
    if request.method == "POST" and form.is_valid():
        try:
            services.create_resource_person(project=project, actor=request.user, **form.service_kwargs())
        except DomainError as error:
            add_to_form(form, error)
        else:
            messages.success(request, "Resource person added.")
            return redirect(f"{_manage_url(project)}#speakers")
    return _form_page(request, project, form, title="New resource person")


@login_required
def speaker_edit(request, code, pk):
    project = _managed_project(request, code)
    person = get_object_or_404(ResourcePerson, project=project, pk=pk)
    form = ResourcePersonForm(request.POST or None, instance=ResourcePerson.objects.get(pk=person.pk))
    if request.method == "POST" and form.is_valid():
        try:
            services.update_resource_person(person=person, actor=request.user, **form.service_kwargs())
        except DomainError as error:
            add_to_form(form, error)
        else:
            messages.success(request, "Resource person changed.")
            return redirect(f"{_manage_url(project)}#speakers")
    return _form_page(request, project, form, title=f"Change {person.name}")


@login_required
def speaker_delete(request, code, pk):
    project = _managed_project(request, code)
    person = get_object_or_404(ResourcePerson, project=project, pk=pk)
    if request.method == "POST":
        services.delete_resource_person(person=person, actor=request.user)
        messages.success(request, f"{person.name} removed.")
        return redirect(f"{_manage_url(project)}#speakers")
    return _confirm_delete(request, project, f"the resource person {person.name}", action=request.path)


@login_required
def publish(request, code):
    """Announce the programme (version 1), or publish the draft's changes as a new version."""
    project = _managed_project(request, code)
    latest, changes = services.pending_changes(project)
    if latest is None:
        form = AnnounceForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                version = services.announce_programme(project=project, actor=request.user, **form.cleaned_data)
            except DomainError as error:
                add_to_form(form, error)
            else:
                messages.success(
                    request,
                    "Programme announced"
                    + (" with the selected participants." if version.with_participants else " (without participants).")
                    + " NPO officers and participants are told by e-mail.",
                )
                return redirect("agenda:programme", code=project.code)
    else:
        form = PublishUpdateForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                version, created = services.publish_programme_update(
                    project=project, actor=request.user, change_note=form.cleaned_data["change_note"]
                )
            except DomainError as error:
                add_to_form(form, error)
            else:
                if created:
                    messages.success(request, f"Version {version.number} published; everyone concerned is told.")
                else:
                    messages.info(request, f"Nothing changed since version {version.number}: no new version.")
                return redirect("agenda:programme", code=project.code)
    context = {
        "project": project,
        "form": form,
        "latest": latest,
        "changes": changes,
        "warnings": services.announcement_warnings(project) if latest is None else [],
        "programme": present(programme_snapshot(project), project=project, show_participants=True),
    }
    return render(request, "sessions/publish.html", context)
