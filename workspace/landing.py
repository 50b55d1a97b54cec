"""The landing page's sections: one per role a person holds, most urgent first.

Roles are memberships, so one person may be Secretariat staff, an NPO officer, an implementer of
two projects and a participant; each role gets its own section with what it should do next.
"""

import datetime
from dataclasses import dataclass, field

from django.db.models import Count, Exists, Max, Min, OuterRef, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.dateformat import format as date_format

from apopms.deadlines import deadline_sentence
from apopms.models import Project
from certificates.models import Certificate
from nominations.enums import ParticipantStatus
from nominations.models import Nomination, Participant
from nominations.selectors import country_results, open_windows_for_country, projects_for_officer, result_label
from sessions.models import Attendance, Session
from sessions.selectors import participants_attended_every_session_of

CLOSING_SOON = datetime.timedelta(days=7)
PROGRAMME_DUE = datetime.timedelta(days=14)
# Certificates are checked for projects whose last session ended within this time.
CERTIFICATES_WINDOW = datetime.timedelta(days=120)


@dataclass
class Action:
    project: Project
    text: str
    url: str
    due: datetime.datetime | None = None


@dataclass
class Section:
    key: str
    title: str
    intro: str = ""
    actions: list = field(default_factory=list)  # [Action], soonest first
    items: list = field(default_factory=list)  # role-specific rows, shown by the template

    @property
    def urgency(self):
        """(has actions, soonest due): sections with something to do now come first."""
        dues = [a.due for a in self.actions if a.due is not None]
        far = datetime.datetime.max.replace(tzinfo=datetime.UTC)
        return (0 if self.actions else 1, min(dues) if dues else far)


def _date(value):
    return date_format(value, "j F Y")


def _day_start(date, project):
    return datetime.datetime.combine(date, datetime.time.min, tzinfo=project.zone)


def secretariat_actions(now=None):
    """The projects that need the Secretariat's action, soonest first."""
    now = now or timezone.now()
    projects = list(
        Project.objects.select_related("host_country")
        .annotate(
            session_count=Count("sessions", distinct=True),
            first_start=Min("sessions__start_at"),
            last_end=Max("sessions__end_at"),
        )
        .filter(Q(certificates_issued_at__isnull=True) | Q(last_end__gte=now - CERTIFICATES_WINDOW))
        .order_by("start_date", "code")
    )
    # Attendance: sessions started, rows recorded for active participants, per project.
    started = dict(Session.objects.filter(start_at__lte=now).order_by().values_list("project").annotate(n=Count("pk")))
    recorded = dict(
        Attendance.objects.filter(session__start_at__lte=now, participant__status=ParticipantStatus.ACTIVE)
        .order_by()
        .values_list("session__project")
        .annotate(n=Count("pk"))
    )
    active = dict(
        Participant.objects.filter(status=ParticipantStatus.ACTIVE)
        .order_by()
        .values_list("project")
        .annotate(n=Count("pk"))
    )
    over = [p.pk for p in projects if p.last_end is not None and p.last_end <= now]
    eligible = participants_attended_every_session_of(over)
    live = Certificate.objects.live()
    # The certificates' own rules (certificates.selectors.participants_without_certificate, to_revoke)
    # for every finished project at once.
    certificates_waiting = dict(
        eligible.exclude(Exists(live.filter(participant=OuterRef("pk"))))
        .order_by()
        .values_list("project")
        .annotate(n=Count("pk"))
    )
    certificates_to_revoke = dict(
        live.filter(project__in=over)
        .exclude(participant__in=eligible.values("pk"))
        .order_by()
        .values_list("project")
        .annotate(n=Count("pk"))
    )
    actions = []
    for project in projects:
        code = project.code
        if project.accepts_nominations(now) and project.nomination_deadline - now <= CLOSING_SOON:
            actions.append(
                Action(
                    project,
                    f"{deadline_sentence(project, now)}.",
                    reverse("nominations:project", kwargs={"code": code}),
                    project.nomination_deadline,
                )
            )
        if (
            project.notification_issued_at
            and project.selection_published_at is None
            and not project.accepts_nominations(now)
        ):
            actions.append(
                Action(
                    project,
                    "The selection is to be decided and published.",
                    reverse("nominations:selection_board", kwargs={"code": code}),
                    project.nomination_deadline,
                )
            )
        start = _day_start(project.start_date, project)
        over = _day_start(project.end_date + datetime.timedelta(days=1), project) <= now
        if (
            project.notification_issued_at
            and project.programme_published_at is None
            and start - now <= PROGRAMME_DUE
            and not over
        ):
            actions.append(
                Action(
                    project,
                    f"The programme is to be published before {_date(project.start_date)}."
                    if now < start
                    else f"The workshop began on {_date(project.start_date)} and its programme is not published yet.",
                    reverse("agenda:manage", kwargs={"code": code}),
                    start,
                )
            )
        expected = started.get(project.pk, 0) * active.get(project.pk, 0)
        missing = expected - recorded.get(project.pk, 0)
        if missing > 0:
            actions.append(
                Action(
                    project,
                    f"Attendance is not recorded yet for {missing} participant-session{'s' if missing != 1 else ''}.",
                    reverse("agenda:attendance_grid", kwargs={"code": code}),
                    project.first_start,
                )
            )
        if project.last_end is not None and project.last_end <= now:
            waiting = certificates_waiting.get(project.pk, 0)
            to_revoke = certificates_to_revoke.get(project.pk, 0)
            if waiting or to_revoke:
                parts = []
                if waiting:
                    parts.append(f"{waiting} certificate{'s' if waiting != 1 else ''} to issue")
                if to_revoke:
                    parts.append(f"{to_revoke} to revoke")
                actions.append(
                    Action(
                        project,
                        " and ".join(parts).capitalize() + ".",
                        reverse("certificates:project", kwargs={"code": code}),
                        project.last_end,
                    )
                )
    actions.sort(key=lambda a: (a.due is None, a.due or now, a.project.code))
    return actions


def officer_rows(user, now=None):
    """The officer's country's projects: open ones with deadline and counts; after publication, outcomes."""
    now = now or timezone.now()
    country = user.npo_country
    windows = {w.project_id: w for w in open_windows_for_country(country, now)}
    rows = []
    for project in projects_for_officer(user):
        if project.accepts_nominations(now):
            rows.append({"project": project, "open": True, "deadline": project.nomination_deadline})
        elif project.selection_published_at and now.astimezone(project.zone).date() <= project.end_date:
            outcomes = [(n, result_label(n)) for n in country_results(project, country)]
            rows.append(
                {"project": project, "open": False, "outcomes": outcomes, "replacement": windows.get(project.pk)}
            )
    return rows


def sections_for(user, now=None):
    """The landing page's sections for `user`, most urgent first."""
    now = now or timezone.now()
    sections = []
    if user.is_secretariat:
        actions = secretariat_actions(now)
        sections.append(
            Section(
                "secretariat",
                "Secretariat: projects needing action",
                "" if actions else "No project needs action now.",
                actions=actions,
            )
        )
    if user.npo_country is not None:
        rows = officer_rows(user, now)
        section = Section(
            "npo",
            f"NPO officer of {user.npo_country.name}",
            "" if rows else "No project is open to your country now.",
            items=rows,
        )
        for row in rows:
            if row["open"]:
                section.actions.append(
                    Action(
                        row["project"],
                        "Nominate",
                        reverse("nominations:project", kwargs={"code": row["project"].code}),
                        row["deadline"],
                    )
                )
            elif row.get("replacement"):
                section.actions.append(
                    Action(
                        row["project"],
                        "Nominate a replacement",
                        reverse("nominations:project", kwargs={"code": row["project"].code}),
                        row["replacement"].closes_at,
                    )
                )
        sections.append(section)
    ids = user.implementer_project_ids()
    if ids:
        projects = list(
            Project.objects.filter(pk__in=ids).select_related("host_country").order_by("-start_date", "code")
        )
        sections.append(Section("implementer", "Implementer: your projects", items=projects))
    participations = list(
        Participant.objects.filter(user=user, status=ParticipantStatus.ACTIVE)
        .select_related("project")
        .order_by("-project__start_date", "pk")
    )
    if participations:
        sections.append(Section("participant", "Participant: your workshops", items=participations))
    # A candidate's account holds no role (`invite_candidate` refuses an address with one).
    holds_role = user.is_secretariat or user.npo_country is not None or bool(ids)
    candidacies = (
        []
        if holds_role
        else list(
            Nomination.objects.filter(candidate=user).select_related("project").order_by("-project__start_date", "pk")
        )
    )
    if candidacies:
        sections.append(Section("candidate", "Candidate: your nomination", items=candidacies))
    sections.sort(key=lambda s: s.urgency)
    return sections
