"""Erasing one person's data on their request (the Secretariat acts), across projects, audited.

The same reduction as the retention purge (workspace.retention), at once and for one person: their
nominations keep only country, gender, organization type, category and outcome; CVs and import
rows naming them go; attendance keeps present/seconds; their free-text evaluation answers go; the outbox's rows to them lose address and
body; audit entries naming them are pseudonymised; their account is closed and its name and e-mail
erased. Certificates already issued stay (a certificate can still be verified by its number and
the printed name) unless the person asks: then each live one is revoked with the reason
"erased on request", and the names go too.
"""

from django.db import transaction
from django.db.models import Q, TextField, Value
from django.db.models.functions import Cast, Replace
from django.utils import timezone

from apopms import audit, privacy
from apopms.exceptions import DomainError
from apopms.models import AuditEntry, OutboxMessage, Project, User
from apopms.permissions import require_secretariat
from certificates import services as certificate_services
from certificates.models import Certificate
from evaluations.models import Answer
from nominations.models import Nomination, Participant
from sessions.models import Attendance, ReportMapping, ResourcePerson

from .retention import erase_nominations, purge_higher_apps

ERASED_ON_REQUEST = "erased on request"


def erase_person(*, email, actor, revoke_certificates=False):
    """Erase what is held about the person with this e-mail; the counts of what changed.

    Side effects: with `revoke_certificates`, live certificates revoked (their audit entries, no
    e-mail: the address is gone); audit `workspace.person.erased` (naming the person by pseudonym).
    """
    require_secretariat(actor)
    email = (email or "").strip()
    now = timezone.now()
    with transaction.atomic():
        users = list(User.objects.select_for_update().filter(email__iexact=email))
        participants = list(Participant.objects.filter(Q(user__in=users) | Q(nomination__email__iexact=email)))
        nominations = list(
            Nomination.objects.select_for_update()
            .filter(Q(email__iexact=email) | Q(pk__in=[p.nomination_id for p in participants]))
            .filter(personal_data_erased_at__isnull=True)
        )
        if not users and not nominations:
            raise DomainError(f"Nothing is held about {email}.", field="email")
        live = Certificate.objects.filter(participant__in=participants, revoked_at__isnull=True)
        revoked = 0
        if revoke_certificates:
            for certificate in live:
                certificate_services.revoke_certificate(
                    certificate=certificate, actor=actor, reason=ERASED_ON_REQUEST, notify=False
                )
                revoked += 1
        certified = set(live.values_list("participant__nomination_id", flat=True))
        words = {email: privacy.erased_email(nominations[0].pk if nominations else users[0].pk)}
        for n in nominations:
            if n.pk not in certified:
                for name in (n.certificate_name, n.native_name):
                    if name:
                        words[name] = privacy.pseudonym(n.pk)
        projects = {n.project_id for n in nominations}
        entries = AuditEntry.objects.annotate(details_text=Cast("details", TextField())).filter(
            Q(details_text__icontains=email) | Q(object_repr__icontains=email) | Q(project__in=projects)
        )
        pseudonymised = entries.pseudonymise(words)
        OutboxMessage.objects.filter(recipient__iexact=email).update(
            recipient=words[email],
            key=Replace("key", Value(email), Value(words[email])),
            recipient_name="",
            cc=[],
            body_text="",
            body_html="",
        )
        files = erase_nominations(nominations, now=now, keep_name=certified)
        named = [p for p in participants if p.nomination_id not in certified]
        for p in named:
            p.certificate_name, p.native_name = privacy.pseudonym(p.nomination_id), ""
        Participant.objects.bulk_update(named, ["certificate_name", "native_name"], batch_size=500)
        Attendance.objects.filter(participant__in=participants).update(intervals=[], reason="")
        # Their own words in the evaluation go; ratings and choices stay for the statistics.
        texts = Answer.objects.filter(evaluation__participant__in=participants).exclude(text="").update(text="")
        ResourcePerson.objects.filter(email__iexact=email).update(email="")
        mappings = ReportMapping.objects.filter(Q(participant__in=participants) | Q(key__iexact=email)).delete()[0]
        for user in users:
            user.email, user.full_name, user.is_active = privacy.erased_email(f"u{user.pk}"), "", False
            user.set_unusable_password()
            user.save(update_fields=["email", "full_name", "is_active", "password"])
        report_files = sum(
            purge_higher_apps(project, stage="erasure", now=now)["report_files"]
            for project in Project.objects.filter(pk__in={p.project_id for p in participants}).order_by("pk")
        )
        counts = {
            "nominations": len(nominations),
            "accounts": len(users),
            "files": files,
            "report_mappings": mappings,
            "audit_entries": pseudonymised,
            "certificates_revoked": revoked,
            "report_files": report_files,
            "evaluation_texts": texts,
        }
        audit.record("workspace.person.erased", actor=actor, person=words[email], **counts)
    return counts
