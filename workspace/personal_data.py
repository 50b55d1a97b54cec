"""Everything the portal holds about one person (by e-mail), across projects: the subject access export.

It walks `apopms.privacy.PERSONAL_FIELDS`: for each model the rows that concern the person, each
with every declared personal field of that model (files by their stored name; the password only
as whether one is set). It lives at the top of the apps because it reads all of them.
"""

import json
from typing import NamedTuple

from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.db.models import Q
from django.db.models.functions import Cast
from django.utils import timezone

from apopms import audit, privacy
from apopms.models import AuditEntry, Invitation, OutboxMessage, User
from apopms.signals import person_data_requested
from certificates.models import Certificate, IssueFailure
from evaluations.models import Answer
from nominations.models import Nomination, NominationImport, Participant
from sessions.models import Attendance, AttendanceImport, ProgrammeVersion, ReportMapping, ResourcePerson


def mentions(queryset, field, words):
    words = [w for w in words if w]
    if not words:
        return queryset.none()
    q = Q()
    for word in words:
        q |= Q(**{f"{field}_text__icontains": word})
    return queryset.annotate(**{f"{field}_text": Cast(field, models.TextField())}).filter(q)


def _value(obj, name):
    value = getattr(obj, name)
    if name == "password":
        return "set (not shown)" if value and obj.has_usable_password() else "not set"
    if isinstance(value, models.fields.files.FieldFile):
        return value.name or ""
    return value


def _rows(label, objects):
    fields = privacy.personal_fields(label)
    return [{"id": str(obj.pk), **{name: _value(obj, name) for name in fields}} for obj in objects]


def _own_entries(rows, names):
    """A programme version's snapshot lists every announced participant: the person's export keeps
    their own entries (by name), and the programme around them, not the others'."""
    names = {name.casefold() for name in names if name}
    for row in rows:
        snapshot = row.get("snapshot")
        if isinstance(snapshot, dict) and snapshot.get("participants"):
            own = [p for p in snapshot["participants"] if _entry_name(p).casefold() in names]
            row["snapshot"] = {**snapshot, "participants": own}
    return rows


def _entry_name(entry):
    return str(entry.get("name", "") if isinstance(entry, dict) else entry)


class _Person(NamedTuple):
    """The person behind an address: their accounts, nominations and participations, and the names
    they go by in the portal (their nominations' and participations')."""

    users: list
    nominations: list
    participants: list
    names: set


def _person(email):
    users = list(User.objects.filter(email__iexact=email))
    nominations = list(Nomination.objects.filter(email__iexact=email))
    participants = list(Participant.objects.filter(Q(user__in=users) | Q(nomination__in=nominations)))
    names = {n.certificate_name for n in nominations} | {p.certificate_name for p in participants}
    return _Person(users, nominations, participants, names)


def _querysets(email, person):
    users, nominations, participants = person.users, person.nominations, person.participants
    targets = Q()
    for model, objs in ((Nomination, nominations), (Participant, participants), (User, users)):
        if objs:
            targets |= Q(
                content_type__app_label=model._meta.app_label,
                content_type__model=model._meta.model_name,
                object_id__in=[str(o.pk) for o in objs],
            )
    audit_q = Q(actor__in=users) | targets if targets else Q(actor__in=users)
    querysets = {
        "apopms.User": users,
        "apopms.Invitation": Invitation.objects.filter(user__in=users),
        "apopms.OutboxMessage": OutboxMessage.objects.filter(recipient__iexact=email),
        "apopms.AuditEntry": AuditEntry.objects.filter(audit_q).order_by("created_at", "pk"),
        "nominations.Nomination": nominations,
        "nominations.Participant": participants,
        "nominations.NominationImport": mentions(NominationImport.objects.all(), "rows", [email]),
        "agenda.ResourcePerson": ResourcePerson.objects.filter(email__iexact=email),
        "agenda.ProgrammeVersion": mentions(ProgrammeVersion.objects.all(), "snapshot", sorted(person.names - {email})),
        "agenda.Attendance": Attendance.objects.filter(participant__in=participants).order_by("session__start_at"),
        "agenda.AttendanceImport": mentions(AttendanceImport.objects.all(), "rows", [email]),
        "agenda.ReportMapping": ReportMapping.objects.filter(Q(key__iexact=email) | Q(participant__in=participants)),
        "certificates.Certificate": Certificate.objects.filter(participant__in=participants),
        "certificates.IssueFailure": IssueFailure.objects.filter(participant__in=participants),
        "evaluations.Answer": Answer.objects.filter(evaluation__participant__in=participants).order_by(
            "evaluation_id", "question__position"
        ),
    }
    # The apps above this one (the end-of-project reports) add their rows through the core's signal.
    for _receiver, rows in person_data_requested.send(sender=User, email=email, participants=participants):
        querysets.update(rows or {})
    return querysets


def person_data(email):
    """{"email", "generated_at", "records": {model label: [rows]}} for one person; labels without rows are left out."""
    email = (email or "").strip()
    person = _person(email)
    records = {}
    for label, objects in _querysets(email, person).items():
        rows = _rows(label, objects)
        if label == "agenda.ProgrammeVersion":
            rows = _own_entries(rows, person.names)
        if rows:
            records[label] = rows
    return {"email": email, "generated_at": timezone.now(), "records": records}


def record_export(*, email, actor, scope, fmt):
    """Audit that `actor` exported what is held about `email` (who, when, whose, how, in which format)."""
    audit.record("workspace.person.data_exported", actor=actor, email=email, scope=scope, format=fmt)


def export_person_data(*, email, actor, scope):
    """The person's data as JSON bytes; audited with who asked, for whom, and how (`scope`)."""
    data = person_data(email)
    record_export(email=data["email"], actor=actor, scope=scope, fmt="json")
    return json.dumps(data, cls=DjangoJSONEncoder, indent=2, ensure_ascii=False).encode()
