"""Views of the programme for everyone: the public page, its iCalendar feed and PDF, the viewer's
zone, and "My workshop". Thin: parse input, read through `selectors`, render."""

import functools
import zoneinfo

from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core import signing
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from apopms.fragments import anonymous_fragment, project_key_parts
from apopms.models import Project
from nominations.models import Participant

from ..forms import ZoneForm
from ..ical import programme_calendar
from ..models import ProgrammeVersion
from ..pdf import render_programme_pdf
from ..permissions import can_manage_programme
from ..programme import present, zone_labels
from ..selectors import (
    active_participation,
    latest_programme_version,
    latest_version_of,
    programme_history,
    programme_over,
    programme_snapshot,
    programme_version_loaded,
    programme_version_snapshot,
    public_programme_project,
)
from ..services import queue_programme_pdf

ZONE_KEY = "agenda_viewer_zone"


# ---------------------------------------------------------------- helpers


def _project(request, code):
    """A project whose notification is public; the Secretariat also sees unpublished ones."""
    user = request.user
    if not user.is_authenticated:
        try:
            return public_programme_project(code)  # one query compiled once per process (the hot path)
        except Project.DoesNotExist:
            raise Http404("No such project.") from None
    qs = Project.objects.select_related("host_country")
    if not (user.is_authenticated and (user.is_secretariat or user.implementer_project_ids())):
        qs = qs.published()
    project = get_object_or_404(qs, code=code)
    if not project.notification_issued_at and not can_manage_programme(user, project):
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
    if participation is not None or can_manage_programme(user, project):
        return True
    country = user.npo_country
    return country is not None and project.accepts_country(country)


def _programme_source(request, project):
    """(snapshot, version or None, is_draft), the snapshot a callable (a version's is read only when
    its fragment is rendered: a visitor's page is mostly kept). The draft only for those who manage
    the programme: before publication, and afterwards with ?draft=1 (a preview of changes not yet
    published)."""
    manager = can_manage_programme(request.user, project)
    version = latest_version_of(project)
    if version is not None and not (manager and request.GET.get("draft")):
        return functools.partial(programme_version_snapshot, version), version, False
    if not request.user.is_authenticated:
        return None, None, True
    if manager:
        snapshot = programme_snapshot(project)
        return lambda: snapshot, None, True
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
    show_join = participation is not None
    show_participants = _may_see_participants(request.user, project, participation)
    has_history = version is not None or project.programme_published_at is not None
    history = functools.cache(lambda: list(programme_history(project)) if has_history else [])

    def public_part():
        return {
            "programme": present(
                snapshot(),
                project=project,
                viewer_zone=zone,
                show_join=show_join,
                show_participants=show_participants,
            ),
            "history": history(),
        }

    parts = (*project_key_parts(project), getattr(version, "pk", None), getattr(zone, "key", ""), show_join)
    context = {
        "project": project,
        "version": version,
        # What the version says of itself (its date, what changed), kept for visitors as well.
        "version_html": anonymous_fragment(
            request,
            "programme-version",
            (project.pk, version.pk),
            "sessions/_programme_version.html",
            lambda: {"version": programme_version_loaded(version)},
        )
        if version is not None and not is_draft
        else "",
        "is_draft": is_draft,
        "history": history() if is_draft else [],
        "zones": zone_labels(project, zone),
        "programme_html": anonymous_fragment(
            request, "programme", (*parts, show_participants), "sessions/_programme_public.html", public_part
        ),
        "can_manage": can_manage_programme(request.user, project),
        "zone_form": ZoneForm(
            initial={"zone": getattr(zone, "key", ""), "next": request.get_full_path()},
            every_zone=request.GET.get("zones") == "all",
        ),
        "every_zone_url": _with_every_zone(request),
    }
    return render(request, "sessions/programme.html", context)


def _with_every_zone(request):
    """This page's address asking for the select of every zone (`?zones=all`), its other
    parameters kept (a draft preview stays one)."""
    query = request.GET.copy()
    query["zones"] = "all"
    return f"?{query.urlencode()}#id_zone"


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


def _stored_programme_pdf(version, with_names):
    """The bytes of the version's stored PDF, or None while the worker has not made it yet."""
    field = version.pdf_with_participants if with_names else version.pdf
    if not field:
        return None
    with field.open("rb") as handle:
        return handle.read()


def programme_pdf(request, code):
    """The printable programme. A published version's is rendered once by the worker and served from
    storage (queued again if missing); the draft, marked so, only for those who manage the programme."""
    project = _project(request, code)
    snapshot, version, is_draft = _programme_source(request, project)
    if snapshot is None:
        return redirect_to_login(request.get_full_path())
    participation = active_participation(request.user, project)
    show_participants = _may_see_participants(request.user, project, participation)
    if is_draft:
        pdf = render_programme_pdf(project, snapshot(), draft=True, show_participants=show_participants)
    else:
        programme_version_loaded(version)
        with_names = show_participants and version.with_participants
        pdf = _stored_programme_pdf(version, with_names)
        if pdf is None:
            queue_programme_pdf(version)
            version.refresh_from_db(fields=["pdf", "pdf_with_participants"])  # made already without a broker
            pdf = _stored_programme_pdf(version, with_names)
        if pdf is None:
            response = render(request, "sessions/programme_pdf_wait.html", {"project": project}, status=503)
            response["Retry-After"] = "10"
            return response
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
        .select_related("project", "project__host_country", "project__seat_confirmation", "country", "user")
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
                "over": programme_over(participant.project),
                "participant": participant,
                "project": participant.project,
                "version": version,
                "programme": present(version.snapshot, project=participant.project, viewer_zone=zone, show_join=True)
                if version
                else None,
            }
        )
    return render(request, "sessions/my_workshop.html", {"workshops": workshops})
