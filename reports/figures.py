"""Every number of the end-of-project report, read once from the database into plain data.

`report_figures(project, include_participants=...)` returns a `Figures` (no model instances in it):
the PDF (`reports.pdf`) and the XLSX (`reports.xlsx`) are both drawn from it, so they never
disagree. Names of participants are read only when the Secretariat includes the participant list;
otherwise the figures hold aggregates only (`participant_list`, `attendance_by_participant` and
`certificate_list` are then None).

The definitions (the tests compute each one again with plain ORM queries):
- nominations: submitted nominations (status submitted) per country and category; withdrawn
  nominations counted apart;
- participants: selected participants still taking part (status active), by country, gender and
  organization type (of their nomination);
- attendance: per session, of those participants, present / absent / not recorded; per participant,
  the sessions attended and the minutes;
- certificates: every certificate made (issued), those revoked, and those that replace a revoked one
  (reissued); valid = not revoked.
"""

import datetime
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, Q, Sum
from django.utils import timezone

from apopms.models import ProjectRevision
from certificates.models import Certificate
from nominations.enums import Gender, NominationStatus, OrganizationType, ParticipantStatus
from nominations.models import Nomination, Participant
from sessions.models import ResourcePerson, Session
from sessions.selectors import programme_history

from .evaluation import evaluation_figures


@dataclass
class SessionFigures:
    title: str
    start: datetime.datetime  # in the project's zone
    end: datetime.datetime
    room: str
    items: list  # [(start time "HH:MM", kind label, title, speakers "A, B")]
    present: int
    absent: int
    not_recorded: int


@dataclass
class Figures:
    project: dict
    include_participants: bool
    generated_at: datetime.datetime
    revisions: list = field(default_factory=list)  # [{"number", "at", "changes": [text], "note"}]
    categories: list = field(default_factory=list)  # [(value, label)] of the project's quotas
    nominations: list = field(default_factory=list)  # [(country, [submitted per category], total)]
    nominations_withdrawn: int = 0
    participants_by_country: list = field(default_factory=list)  # [(country, n)]
    participants_by_gender: list = field(default_factory=list)  # [(label, n)], every gender
    participants_by_organization_type: list = field(default_factory=list)  # [(label, n)], those with some
    participants_withdrawn: int = 0
    sessions: list = field(default_factory=list)  # [SessionFigures]
    programme_versions: list = field(default_factory=list)  # [{"number", "published_at", "note", "changes", ...}]
    resource_persons: list = field(default_factory=list)  # [{"name", "title", ..., "honorarium"}]
    attendance_distribution: list = field(default_factory=list)  # [(sessions attended, participants)]
    attendance_by_participant: list | None = None  # [{"name", "country", "present", "minutes", "every"}]
    certificates: dict = field(default_factory=dict)  # issued, valid, revoked, reissued
    certificate_list: list | None = None  # [{"number", "name", "issued_at", "revoked_at", "reason", "replaces"}]
    participant_list: list | None = None  # [{"name", "country", "gender", "organization_type", "organization"}]
    evaluation: object = None  # reports.evaluation.EvaluationFigures

    @property
    def nominations_submitted(self):
        return sum(total for _, _, total in self.nominations)

    @property
    def participants(self):
        return sum(n for _, n in self.participants_by_country)

    @property
    def honoraria(self):
        return sum(1 for person in self.resource_persons if person["honorarium"])

    @property
    def attended_every_session(self):
        count = len(self.sessions)
        return sum(n for attended, n in self.attendance_distribution if count and attended == count)

    @property
    def headline(self):
        """The evaluation's first rating question with answers (the overall satisfaction), or None."""
        if self.evaluation is None:
            return None
        rated = [q for q in self.evaluation.questions if q.question.kind == "rating" and q.average is not None]
        return rated[0] if rated else None

    @property
    def summary(self):
        """[(label, value)]: the front page's key numbers."""
        evaluation = self.evaluation
        rows = [
            ("Nominations submitted", self.nominations_submitted),
            ("Countries nominating", len(self.nominations)),
            ("Participants", self.participants),
            ("Participants withdrawn", self.participants_withdrawn),
            ("Sessions delivered", len(self.sessions)),
            ("Programme versions", len(self.programme_versions)),
            ("Notification revisions", len(self.revisions)),
            ("Resource persons", len(self.resource_persons)),
            ("Local honoraria", self.honoraria),
            ("Attended every session", self.attended_every_session),
            ("Certificates valid", self.certificates.get("valid", 0)),
            ("Certificates revoked", self.certificates.get("revoked", 0)),
        ]
        if evaluation is not None:
            rows.append(("Evaluations submitted", f"{evaluation.submitted} of {evaluation.asked}"))
        return rows


def _local(value, zone):
    return value.astimezone(zone) if value else None


def _project(project):
    zone = project.zone
    return {
        "code": project.code,
        "title": project.title,
        "modality": project.get_modality_display(),
        "host": project.host_country.name,
        "venue": project.venue,
        "start_date": project.start_date,
        "end_date": project.end_date,
        "time_zone": project.time_zone,
        "implementing_organizations": [line for line in project.implementing_organizations.splitlines() if line],
        "countries": list(project.nominating_countries().order_by("name").values_list("name", flat=True)),
        "quotas": project.quota_summary,
        "objectives": project.objectives,
        "notification_issued_at": _local(project.notification_issued_at, zone),
        "selection_published_at": _local(project.selection_published_at, zone),
        "certificates_issued_at": _local(project.certificates_issued_at, zone),
    }


def _revisions(project):
    return [
        {
            "number": r.number,
            "at": _local(r.created_at, project.zone),
            "changes": [change.get("text") or change.get("clause", "") for change in r.changes],
            "note": r.note,
        }
        for r in ProjectRevision.objects.filter(project=project).order_by("number")
    ]


def _nominations(project, figures):
    categories = list(project.categories)
    figures.categories = [(c.value, c.label) for c in categories]
    rows = (
        Nomination.objects.filter(project=project, status=NominationStatus.SUBMITTED)
        .order_by()
        .values_list("country__name", "category")
        .annotate(n=Count("pk"))
    )
    by_country = defaultdict(Counter)
    for country, category, n in rows:
        by_country[country][category] += n
    figures.nominations = [
        (country, [counts[c] for c in categories], sum(counts.values()))
        for country, counts in sorted(by_country.items())
    ]
    figures.nominations_withdrawn = Nomination.objects.filter(
        project=project, status=NominationStatus.WITHDRAWN
    ).count()


def _participants(project, figures):
    active = Participant.objects.filter(project=project, status=ParticipantStatus.ACTIVE)
    rows = list(active.order_by().values_list("country__name", "nomination__gender", "nomination__organization_type"))
    countries = Counter(country for country, _, _ in rows)
    genders = Counter(gender for _, gender, _ in rows)
    types = Counter(kind for _, _, kind in rows)
    figures.participants_by_country = sorted(countries.items())
    figures.participants_by_gender = [(g.label, genders[g.value]) for g in Gender]
    figures.participants_by_organization_type = [(t.label, types[t.value]) for t in OrganizationType if types[t.value]]
    figures.participants_withdrawn = Participant.objects.filter(
        project=project, status=ParticipantStatus.WITHDRAWN
    ).count()
    if figures.include_participants:
        figures.participant_list = [
            {
                "name": p.certificate_name,
                "country": p.country.name,
                "gender": p.nomination.get_gender_display(),
                "organization_type": p.nomination.get_organization_type_display(),
                "organization": p.nomination.organization,
            }
            for p in active.select_related("country", "nomination").order_by("country__name", "certificate_name")
        ]
    return active


def _sessions(project, figures, active):
    zone = project.zone
    counted = Q(attendances__participant__status=ParticipantStatus.ACTIVE)
    sessions = (
        Session.objects.filter(project=project)
        .annotate(
            n_present=Count("attendances", filter=counted & Q(attendances__present=True)),
            n_absent=Count("attendances", filter=counted & Q(attendances__present=False)),
        )
        .prefetch_related("agenda_items__speakers")
        .order_by("start_at", "pk")
    )
    total = active.count()
    for s in sessions:
        items = [
            (
                item.start_at.astimezone(zone).strftime("%H:%M"),
                item.get_kind_display(),
                item.title,
                ", ".join(sorted(p.name for p in item.speakers.all())),
            )
            for item in sorted(s.agenda_items.all(), key=lambda i: (i.position, i.pk))
        ]
        figures.sessions.append(
            SessionFigures(
                title=s.title,
                start=s.start_at.astimezone(zone),
                end=s.end_at.astimezone(zone),
                room=s.room,
                items=items,
                present=s.n_present,
                absent=s.n_absent,
                not_recorded=total - s.n_present - s.n_absent,
            )
        )
    figures.programme_versions = [
        {
            "number": v.number,
            "published_at": _local(v.published_at, zone),
            "note": v.change_note,
            "changes": len(v.changes or []),
            "with_participants": v.with_participants,
        }
        for v in programme_history(project).order_by("number")
    ]
    figures.resource_persons = [
        {
            "name": p.name,
            "title": p.title,
            "organization": p.organization,
            "country": p.country,
            "category": p.get_category_display(),
            "honorarium": p.local_honorarium,
        }
        for p in ResourcePerson.objects.filter(project=project).order_by("name")
    ]


def _attendance(project, figures, active):
    per_participant = {
        row["pk"]: row
        for row in active.annotate(
            n_present=Count("attendances", filter=Q(attendances__present=True, attendances__session__project=project)),
            seconds=Sum("attendances__seconds", filter=Q(attendances__session__project=project)),
        ).values("pk", "certificate_name", "country__name", "n_present", "seconds")
    }
    distribution = Counter(row["n_present"] for row in per_participant.values())
    figures.attendance_distribution = [(k, distribution[k]) for k in range(len(figures.sessions), -1, -1)]
    if figures.include_participants:
        figures.attendance_by_participant = [
            {
                "name": row["certificate_name"],
                "country": row["country__name"],
                "present": row["n_present"],
                "minutes": (row["seconds"] or 0) // 60,
                "every": bool(figures.sessions) and row["n_present"] == len(figures.sessions),
            }
            for row in sorted(per_participant.values(), key=lambda r: (r["country__name"], r["certificate_name"]))
        ]


def _certificates(project, figures):
    certificates = Certificate.objects.filter(project=project)
    figures.certificates = certificates.aggregate(
        issued=Count("pk"),
        valid=Count("pk", filter=Q(revoked_at__isnull=True)),
        revoked=Count("pk", filter=Q(revoked_at__isnull=False)),
        reissued=Count("pk", filter=Q(replaces__isnull=False)),
    )
    if figures.include_participants:
        figures.certificate_list = [
            {
                "number": c.number,
                "name": c.snapshot.get("certificate_name", ""),
                "issued_at": _local(c.issued_at, project.zone),
                "revoked_at": _local(c.revoked_at, project.zone),
                "reason": c.revocation_reason,
                "replaces": c.replaces.number if c.replaces_id else "",
            }
            for c in certificates.select_related("replaces").order_by("serial")
        ]


def report_figures(project, *, include_participants=False, now=None):
    """The figures of `project`'s report; names of participants only with `include_participants`."""
    figures = Figures(
        project=_project(project),
        include_participants=include_participants,
        generated_at=(now or timezone.now()).astimezone(project.zone),
    )
    figures.revisions = _revisions(project)
    _nominations(project, figures)
    active = _participants(project, figures)
    _sessions(project, figures, active)
    _attendance(project, figures, active)
    _certificates(project, figures)
    figures.evaluation = evaluation_figures(project)
    return figures
