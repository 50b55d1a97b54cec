"""Reads of the certificates shared by views, the template tag, services and tasks."""

from django.db.models import Count, Exists, IntegerField, OuterRef, Subquery
from django.db.models.functions import Coalesce

from apopms.models import Project
from apopms.selectors import first_sent, outbox_key
from nominations.models import Participant
from sessions.models import Attendance, Session
from sessions.selectors import participants_attended_every_session, programme_over

from . import codes, permissions
from .models import READY_KEY, Certificate, IssueBatch, IssueFailure


def issuing_open(project, at=None):
    """Whether certificates of `project` may be issued at instant `at` (now): its programme is over
    (`sessions.selectors.programme_over`, the one reading of "the last session has ended")."""
    return programme_over(project, at)


def project_counts(project):
    """Eligible / issued / revoked / failed (in the latest batch) for the Secretariat's progress counters."""
    latest = _batches_newest_first(project).values("pk")[:1]
    return {
        "eligible": participants_attended_every_session(project).count(),
        "issued": Certificate.objects.live().filter(project=project).count(),
        "revoked": Certificate.objects.revoked().filter(project=project).count(),
        "failed": IssueFailure.objects.filter(batch=Subquery(latest)).count(),
    }


def _batches_newest_first(project):
    return IssueBatch.objects.filter(project=project).order_by("-started_at", "-pk")


def latest_batch(project):
    return _batches_newest_first(project).first()


def batch_failures(batch):
    if batch is None:
        return IssueFailure.objects.none()
    return batch.failures.select_related("participant__country").order_by("participant__certificate_name", "pk")


def project_certificates(project):
    """The project's certificates, each with `notified_at`: when the "ready" e-mail went out (its outbox row's)."""
    return (
        Certificate.objects.filter(project=project)
        .select_related("participant__country", "revoked_by")
        .annotate(notified_at=first_sent(key=outbox_key(READY_KEY)))
        .order_by("serial")
    )


def to_revoke(project):
    """Live certificates whose holder no longer qualifies (attendance corrected, or withdrawn)."""
    eligible = participants_attended_every_session(project).values("pk")
    return (
        Certificate.objects.live()
        .filter(project=project)
        .exclude(participant__in=eligible)
        .select_related("participant__country")
        .order_by("serial")
    )


def participants_without_certificate(project):
    """Eligible participants (attended every session) who hold no live certificate yet."""
    return participants_attended_every_session(project).exclude(
        Exists(Certificate.objects.live().filter(participant=OuterRef("pk")))
    )


def eligible_without_certificate(project):
    """The same, for the Secretariat's list of who is waiting."""
    return (
        participants_without_certificate(project)
        .select_related("country")
        .order_by("country__name", "certificate_name", "pk")
    )


def participants_with_state(project):
    """Every active participant of the project with their live certificate (if any), for the name list."""
    return (
        Participant.objects.active()
        .filter(project=project)
        .select_related("country")
        .order_by("country__name", "certificate_name", "pk")
    )


def live_certificate(participant, fields=()):
    """The participant's live certificate (only `fields` loaded, when given), or None."""
    certificates = Certificate.objects.live().filter(participant=participant)
    return (certificates.only(*fields) if fields else certificates).first()


def certificate_by_code(typed):
    """The certificate whose verification code `typed` stands for (see codes.candidates), or None."""
    candidates = codes.candidates(typed)
    if not candidates:
        return None
    return (
        Certificate.objects.filter(verification_code__in=candidates)
        .only("number", "snapshot", "revoked_at", "issued_at", "participant_id", "serial")
        .first()
    )


def valid_replacement(certificate):
    """The live certificate issued to the same participant after `certificate`, or None."""
    return (
        Certificate.objects.live()
        .filter(participant_id=certificate.participant_id, serial__gt=certificate.serial)
        .only("number")
        .first()
    )


def visible_certificate(user, number):
    """The certificate `number` if `user` may download it: holder, holder's NPO, or Secretariat; else None."""
    certificate = (
        Certificate.objects.select_related("participant__user", "participant__country", "project")
        .filter(number=number)
        .first()
    )
    if certificate is None or not permissions.can_download(user, certificate):
        return None
    return certificate


def projects_overview():
    """Projects with their certificate counts, for the Secretariat's index.

    Each count is a subquery of its own: counting two relations in one join would
    multiply one by the other (certificates x sessions).
    """

    def count_of(queryset):
        counted = queryset.filter(project=OuterRef("pk")).order_by().values("project").annotate(n=Count("pk"))
        return Coalesce(Subquery(counted.values("n"), output_field=IntegerField()), 0)

    return (
        Project.objects.select_related("host_country")
        .annotate(
            live_count=count_of(Certificate.objects.live()),
            session_count=count_of(Session.objects.all()),
        )
        .order_by("-start_date", "code")
    )


def not_eligible(project):
    """Active participants who did not attend every session, each with the sessions they missed.

    Who is eligible is `participants_attended_every_session`'s answer, not re-derived here; the
    missed sessions are listed for the Secretariat. Four queries whatever the size: the sessions,
    their count (for the eligibility rule), the present attendance pairs, the participants.
    """
    sessions = list(Session.objects.filter(project=project).order_by("start_at", "pk"))
    if not sessions:
        return []
    eligible = participants_attended_every_session(project).values("pk")
    present = set(
        Attendance.objects.filter(session__project=project, present=True).values_list("participant_id", "session_id")
    )
    return [
        (participant, [s for s in sessions if (participant.pk, s.pk) not in present])
        for participant in participants_with_state(project).exclude(pk__in=eligible)
    ]
