"""Reads of the programme, and the attendance rules other apps use (eligibility, the programme's end)."""

from django.apps import apps
from django.db.models import Count, Exists, F, Max, OuterRef, Prefetch, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from apopms.selectors import PublicProjectQuery, first_sent, outbox_key, public_project
from nominations.models import Participant

from ..models import AgendaItem, Attendance, ProgrammeVersion, ResourcePerson, Session
from ..programme import iso


def _sessions_present(project):
    """How many sessions of `project` (an instance or an OuterRef) the participant was present at."""
    present = (
        Attendance.objects.filter(participant=OuterRef("pk"), present=True, session__project=project)
        .order_by()
        .values("participant")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(present), 0)


def participants_attended_every_session(project, *, session_count=None):
    """Active participants of `project` present at every one of its sessions.

    "Attended every session" is derived here and nowhere else: the certificates and the attendance
    grid use this rule. A project without sessions has nobody who attended them all. A caller that
    has just read the project's sessions passes their number (`session_count`) to save a query.
    """
    if session_count is None:
        session_count = Session.objects.filter(project=project).count()
    if session_count == 0:
        return Participant.objects.none()
    return (
        Participant.objects.active()
        .filter(project=project)
        .annotate(present_count=_sessions_present(project))
        .filter(present_count=session_count)
    )


def participants_attended_every_session_of(projects):
    """`participants_attended_every_session` for many projects at once, in one query: the same rule
    (active, present at every session of their project, which has sessions), for a dashboard that
    must not ask project by project. tests/sessions/test_selectors.py checks both agree."""
    sessions = (
        Session.objects.filter(project=OuterRef("project"))
        .order_by()
        .values("project")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return (
        Participant.objects.active()
        .filter(project__in=projects)
        .annotate(session_count=Coalesce(Subquery(sessions), 0), present_count=_sessions_present(OuterRef("project")))
        .filter(session_count__gt=0, present_count=F("session_count"))
    )


def last_session_end(project):
    """When the project's last session ends, or None when it has no sessions."""
    return Session.objects.filter(project=project).aggregate(end=Max("end_at"))["end"]


def programme_over(project, at=None):
    """True once the last session has ended (at `at`, default now): certificates may be issued.

    A project without sessions is never over. The one reading of "issuing is open"."""
    end = last_session_end(project)
    return end is not None and end <= (at or timezone.now())


def attended_every_session(participant):
    return participants_attended_every_session(participant.project).filter(pk=participant.pk).exists()


def attendance_standing(participant):
    """In one query: when the participant's project's last session ends (None without sessions),
    how many sessions it has and how many of them the participant was present at. The same rule
    as `programme_over` and `attended_every_session`, for a caller checking both at once."""
    sessions = Session.objects.filter(project=OuterRef("project")).order_by().values("project")
    return (
        Participant.objects.filter(pk=participant.pk)
        .annotate(
            last_end=Subquery(sessions.annotate(end=Max("end_at")).values("end")),
            sessions=Coalesce(Subquery(sessions.annotate(n=Count("pk")).values("n")), 0),
            present=_sessions_present(OuterRef("project")),
        )
        .values("last_end", "sessions", "present")
        .get()
    )


def live_certificate_holders(project, participant_ids):
    """Of `participant_ids`, those holding a live (not revoked) certificate of `project`.

    The certificates app sits above this one and imports it, so its model is looked up through the
    app registry at call time, never imported here; without that app installed nobody holds one."""
    if not apps.is_installed("certificates"):
        return set()
    certificate = apps.get_model("certificates", "Certificate")
    return set(
        certificate.objects.filter(project=project, participant_id__in=list(participant_ids), revoked_at__isnull=True)
        .values_list("participant_id", flat=True)
        .distinct()
    )


def missed_sessions(participant):
    """The sessions of the participant's project they were not present at, in time order."""
    return (
        Session.objects.filter(project=participant.project)
        .exclude(Exists(Attendance.objects.filter(session=OuterRef("pk"), participant=participant, present=True)))
        .order_by("start_at")
    )


def programme_sessions(project):
    """The project's sessions in time order, each with its agenda items (in order) and their speakers."""
    items = AgendaItem.objects.order_by("position", "pk").prefetch_related(
        Prefetch("speakers", queryset=ResourcePerson.objects.order_by("name", "pk"))
    )
    return (
        Session.objects.filter(project=project)
        .order_by("start_at", "pk")
        .prefetch_related(Prefetch("agenda_items", queryset=items))
    )


def resource_persons(project):
    return ResourcePerson.objects.filter(project=project).order_by("name", "pk")


def announced_participants(project):
    """Names and countries of the active participants, once the selection is published."""
    if project.selection_published_at is None:
        return None
    rows = (
        Participant.objects.active()
        .filter(project=project)
        .order_by("country__name", "certificate_name", "pk")
        .values_list("certificate_name", "country__name")
    )
    return [{"name": name, "country": country} for name, country in rows]


def programme_snapshot(project):
    """The draft programme as plain JSON data (a fixed number of queries, whatever its size)."""
    sessions = []
    for session in programme_sessions(project):
        sessions.append(
            {
                "id": session.pk,
                "title": session.title,
                "start_at": iso(session.start_at),
                "end_at": iso(session.end_at),
                "join_url": session.join_url,
                "room": session.room,
                "revision": session.revision,
                "items": [
                    {
                        "id": item.pk,
                        "position": item.position,
                        "kind": item.kind,
                        "kind_label": item.get_kind_display(),
                        "title": item.title,
                        "topics": item.topic_list,
                        "description": item.description,
                        "start_at": iso(item.start_at),
                        "end_at": iso(item.end_at),
                        "speakers": [p.pk for p in item.speakers.all()],
                    }
                    for item in session.agenda_items.all()
                ],
            }
        )
    speakers = [
        {
            "id": p.pk,
            "name": p.name,
            "title": p.title,
            "organization": p.organization,
            "country": p.country,
            "category": p.category,
            "biography": p.biography,
        }
        for p in resource_persons(project)
    ]
    return {"sessions": sessions, "speakers": speakers, "participants": announced_participants(project)}


def latest_programme_version(project):
    return ProgrammeVersion.objects.filter(project=project).order_by("-number").first()


def programme_version_snapshot(version):
    """A version's snapshot, read now if it was left out."""
    if "snapshot" in version.get_deferred_fields():
        version.refresh_from_db(fields=["snapshot"])
    return version.snapshot


def programme_version_loaded(version):
    """`version` with every field but its snapshot read (one query if some were left out)."""
    missing = version.get_deferred_fields() - {"snapshot"}
    if missing:
        version.refresh_from_db(fields=sorted(missing))
    return version


_PUBLIC_PROGRAMME = PublicProjectQuery(
    latest_programme_version_pk=Subquery(
        ProgrammeVersion.objects.filter(project=OuterRef("pk")).order_by("-number").values("pk")[:1]
    )
)


def public_programme_project(code):
    """`apopms.selectors.public_project` and, in the same query, the pk of its latest programme
    version (`latest_programme_version_pk`, None before the first): a visitor's programme page
    is keyed by it, and its version is read only when a kept fragment has to be rendered."""
    return public_project(code, query=_PUBLIC_PROGRAMME)


def latest_version_of(project):
    """The latest published version of a project from `public_programme_project`, as a stand-in
    holding only its key (`programme_version_loaded` reads the rest); else read now, whole (a
    signed-in person's programme is rendered for them each time)."""
    if not hasattr(project, "latest_programme_version_pk"):
        return latest_programme_version(project)
    pk = project.latest_programme_version_pk
    return None if pk is None else ProgrammeVersion.from_db("default", ["id", "project_id"], [pk, project.pk])


def programme_history(project):
    """Every published version, newest first, without the (large) snapshots."""
    return ProgrammeVersion.objects.filter(project=project).defer("snapshot").order_by("-number")


def active_participation(user, project):
    """The user's active participation in `project`, or None."""
    if not user.is_authenticated:
        return None
    return Participant.objects.active().filter(project=project, user=user).select_related("country", "user").first()


def versions_with_notified_at(queryset=None):
    """Programme versions with `notified_at`: when the first of their notices went out (from the outbox)."""
    queryset = ProgrammeVersion.objects.all() if queryset is None else queryset
    return queryset.annotate(notified_at=first_sent(key__startswith=outbox_key(ProgrammeVersion.NOTICE_KEY, ":")))
