"""Where personal data lives, why it is held, and how long it is kept.

Every model field that holds something about a person (a name, an e-mail address, a phone
number, a date of birth, a file, or a free text or JSON a person's data ends up in) is declared
here, with its purpose and retention class. `tests/apopms/test_privacy.py` walks every model of
the project and fails on a field that looks personal (by its type or its name) and is declared
neither here nor in `NOT_PERSONAL`, so the list cannot go stale when a field is added.

The registry names models by their label (``app_label.Model``) rather than importing them, so
the core keeps to its place below every other app.

Retention classes (the limits are per project, with defaults in settings):

- ``cv``: deleted `PRIVACY_CV_RETENTION_DAYS` after the project's selection is published;
- ``nominee``: a nominee who was not selected keeps only what statistics need (country, gender,
  organization type, category, outcome) `PRIVACY_NOMINEE_RETENTION_MONTHS` after the project ends;
- ``participant``: a participant's data and attendance are kept
  `PRIVACY_PARTICIPANT_RETENTION_YEARS` after the project ends, then reduced the same way,
  keeping what verifying their certificate needs;
- ``operational``: working copies (import rows, outbox messages, report mappings, resource
  persons' contacts) that go with the project's nominee limit;
- ``account``: a person's own account, kept while it is active and erased on request;
- ``audit``: the audit trail; entries about an erased person are pseudonymised, never deleted;
- ``certificate``: what an issued certificate certifies (its snapshot and PDF), kept so that it
  can still be verified; revoked with the reason "erased on request" only if the person asks.
"""

import calendar
import datetime
import zoneinfo
from dataclasses import dataclass

from django.conf import settings
from django.db import models

CV = "cv"
NOMINEE = "nominee"
PARTICIPANT = "participant"
OPERATIONAL = "operational"
ACCOUNT = "account"
AUDIT = "audit"
CERTIFICATE = "certificate"
RETENTION_CLASSES = (CV, NOMINEE, PARTICIPANT, OPERATIONAL, ACCOUNT, AUDIT, CERTIFICATE)

# What an erased nominee or participant keeps: what the statistics need.
KEPT_FOR_STATISTICS = ("country", "gender", "organization_type", "category", "decision", "status")


@dataclass(frozen=True)
class Personal:
    purpose: str
    retention: str


SELECTION = "selecting participants (read by the Secretariat and the nominating NPO)"
CONTACT = "contacting the person about the project"
CERTIFYING = "printing and verifying the certificate of attendance"
ATTENDING = "recording attendance, which decides the certificate"
SIGN_IN = "signing in and being addressed by name"
ACCOUNTABILITY = "accountability: who did what, when"
DELIVERY = "delivering e-mail and proving what was sent"
IMPORTING = "checking an uploaded file before its rows are imported"
PROGRAMME = "showing the programme and its speakers"
REPORTING = "reporting on the project when it ends (the Secretariat only)"
EVALUATING = "evaluating the workshop (reported in aggregate; the per-person view is audited)"


PERSONAL_FIELDS = {
    "apopms.User": {
        "email": Personal(SIGN_IN, ACCOUNT),
        "full_name": Personal(SIGN_IN, ACCOUNT),
        "password": Personal(SIGN_IN, ACCOUNT),
        "last_login": Personal(ACCOUNTABILITY, ACCOUNT),
    },
    "apopms.AuditEntry": {
        "object_repr": Personal(ACCOUNTABILITY, AUDIT),
        "details": Personal(ACCOUNTABILITY, AUDIT),
    },
    "apopms.Invitation": {
        # The invitee is the user the invitation points to; nothing personal is copied onto it.
    },
    "apopms.OutboxMessage": {
        "recipient": Personal(DELIVERY, OPERATIONAL),
        "key": Personal(DELIVERY, OPERATIONAL),
        "recipient_name": Personal(DELIVERY, OPERATIONAL),
        "cc": Personal(DELIVERY, OPERATIONAL),
        "body_text": Personal(DELIVERY, OPERATIONAL),
        "body_html": Personal(DELIVERY, OPERATIONAL),
    },
    "nominations.Nomination": {
        "certificate_name": Personal(SELECTION, NOMINEE),
        "native_name": Personal(SELECTION, NOMINEE),
        "gender": Personal("statistics of the workshops", NOMINEE),
        "date_of_birth": Personal(SELECTION, NOMINEE),
        "email": Personal(CONTACT, NOMINEE),
        "phone": Personal(CONTACT, NOMINEE),
        "organization": Personal(SELECTION, NOMINEE),
        "position": Personal(SELECTION, NOMINEE),
        "years_experience": Personal(SELECTION, NOMINEE),
        "statement": Personal(SELECTION, NOMINEE),
        "english_proficiency": Personal(SELECTION, NOMINEE),
        "cv": Personal(SELECTION, CV),
        "cv_original_name": Personal(SELECTION, CV),
        "withdrawal_reason": Personal(SELECTION, NOMINEE),
        "decision_reason": Personal(SELECTION, NOMINEE),
    },
    "nominations.Participant": {
        "certificate_name": Personal(CERTIFYING, PARTICIPANT),
        "native_name": Personal(CERTIFYING, PARTICIPANT),
        "withdrawal_reason": Personal(ATTENDING, PARTICIPANT),
    },
    "nominations.NominationImport": {
        "file": Personal(IMPORTING, OPERATIONAL),
        "file_name": Personal(IMPORTING, OPERATIONAL),
        "rows": Personal(IMPORTING, OPERATIONAL),
        "summary": Personal(IMPORTING, OPERATIONAL),
        "error": Personal(IMPORTING, OPERATIONAL),
    },
    "agenda.ResourcePerson": {
        # Named on the published programme, kept with it; the e-mail goes with the working copies.
        "name": Personal(PROGRAMME, PARTICIPANT),
        "title": Personal(PROGRAMME, PARTICIPANT),
        "organization": Personal(PROGRAMME, PARTICIPANT),
        "email": Personal(CONTACT, OPERATIONAL),
        "biography": Personal(PROGRAMME, PARTICIPANT),
    },
    "agenda.ProgrammeVersion": {
        # The published programme names its speakers, and (the version with participants) them.
        "snapshot": Personal(PROGRAMME, PARTICIPANT),
        "pdf": Personal(PROGRAMME, PARTICIPANT),
        "pdf_with_participants": Personal(PROGRAMME, PARTICIPANT),
    },
    "agenda.Attendance": {
        "seconds": Personal(ATTENDING, PARTICIPANT),
        "intervals": Personal(ATTENDING, PARTICIPANT),
        "reason": Personal(ATTENDING, PARTICIPANT),
        "report_seconds": Personal(ATTENDING, PARTICIPANT),
    },
    "agenda.AttendanceImport": {
        # Everyone in a video-conference report, guests included: names, e-mails, minutes.
        "file_name": Personal(IMPORTING, OPERATIONAL),
        "rows": Personal(IMPORTING, OPERATIONAL),
        "meta": Personal(IMPORTING, OPERATIONAL),
        "summary": Personal(IMPORTING, OPERATIONAL),
    },
    "agenda.ReportMapping": {
        "key": Personal(ATTENDING, OPERATIONAL),
        "label": Personal(ATTENDING, OPERATIONAL),
    },
    "certificates.Certificate": {
        "snapshot": Personal(CERTIFYING, CERTIFICATE),
        "pdf": Personal(CERTIFYING, CERTIFICATE),
        "revocation_reason": Personal(CERTIFYING, CERTIFICATE),
    },
    "certificates.IssueFailure": {
        "reason": Personal(CERTIFYING, OPERATIONAL),
    },
    "reports.ReportVersion": {
        # The end-of-project report: aggregates, free-text evaluation answers without names, and the
        # participants' names when the Secretariat includes the list. Old versions go at the nominee
        # limit, those naming participants at the participant limit or on erasure (reports.receivers).
        "pdf": Personal(REPORTING, PARTICIPANT),
        "xlsx": Personal(REPORTING, PARTICIPANT),
    },
    "evaluations.Answer": {
        # A participant's own words go when their data is reduced; their ratings and choices stay
        # for the statistics, tied by then to a pseudonym only.
        "text": Personal(EVALUATING, PARTICIPANT),
        "rating": Personal(EVALUATING, PARTICIPANT),
        "choice": Personal(EVALUATING, PARTICIPANT),
    },
}

# Fields that look personal by their type or name but hold nothing about a person, with why.
NOT_PERSONAL = {
    "apopms.MemberCountry.name": "a country's name",
    "apopms.MemberCountry.npo_name": "an organization's name",
    "apopms.MemberCountry.npo_name_verified": "whether the NPO's name was checked",
    "apopms.Project.contact_email": "the Secretariat's programme officer mailbox, published on the notification",
    "apopms.Project.signatory_name": "a public office holder signing every certificate, published",
    "apopms.OutboxMessage.reply_to": "the project's contact mailbox",
    "apopms.Project.cv_retention_days": "the project's retention limit",
    "apopms.Project.cvs_purged_at": "when the project's CVs were deleted",
    "agenda.AttendanceImport.file_hash": "a digest recognising the same report twice",
}

# Words in a field's name that mean it may hold something about a person.
PERSONAL_NAME_PARTS = ("name", "email", "phone", "birth", "cv", "file", "recipient", "address")


def personal_fields(label):
    """The declared personal fields of one model (``app_label.Model``): {field name: Personal}."""
    return PERSONAL_FIELDS.get(label, {})


def looks_personal(field):
    """Whether a model field may hold a name, e-mail, phone, date of birth or file, by its type or name."""
    if isinstance(field, models.EmailField | models.FileField):
        return True
    return any(part in field.name.lower() for part in PERSONAL_NAME_PARTS)


def _add_months(day, months):
    year, month = divmod(day.month - 1 + months, 12)
    year += day.year
    month += 1
    last = calendar.monthrange(year, month)[1]
    return day.replace(year=year, month=month, day=min(day.day, last))


def cv_limit(project):
    days = project.cv_retention_days
    days = settings.PRIVACY_CV_RETENTION_DAYS if days is None else days
    if not project.selection_published_at:
        return None
    return project.selection_published_at + datetime.timedelta(days=days)


def _after_end(project, months):
    """The first instant of the day `months` after the project's last day, in its zone."""
    day = _add_months(project.end_date, months) + datetime.timedelta(days=1)
    return datetime.datetime.combine(day, datetime.time(), tzinfo=zoneinfo.ZoneInfo(project.time_zone))


def nominee_limit(project):
    months = project.nominee_retention_months
    return _after_end(project, settings.PRIVACY_NOMINEE_RETENTION_MONTHS if months is None else months)


def participant_limit(project):
    years = project.participant_retention_years
    return _after_end(project, 12 * (settings.PRIVACY_PARTICIPANT_RETENTION_YEARS if years is None else years))


def erased_email(pk):
    """The erased form of a required e-mail: unique, and undeliverable (RFC 2606 `.invalid`)."""
    return f"erased-{pk}@erased.invalid"


def pseudonym(pk):
    return f"erased person #{pk}"


def limits(project=None):
    """The retention limits in force: the project's own, else the settings' defaults."""

    def pick(attr, default):
        value = getattr(project, attr, None)
        return default if value is None else value

    return {
        "cv_days": pick("cv_retention_days", settings.PRIVACY_CV_RETENTION_DAYS),
        "nominee_months": pick("nominee_retention_months", settings.PRIVACY_NOMINEE_RETENTION_MONTHS),
        "participant_years": pick("participant_retention_years", settings.PRIVACY_PARTICIPANT_RETENTION_YEARS),
    }
