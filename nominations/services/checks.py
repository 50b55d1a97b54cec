"""Checks of a nomination's data, shared by the services, the forms and the import.

Each raises `DomainError` naming the field it concerns; the forms turn it into that field's error.
"""

import datetime
import re

import filetype
from django.core.exceptions import ValidationError
from django.utils.dateformat import format as date_format

from apopms.exceptions import DomainError
from apopms.names import clean_person_name
from apopms.timezones import zone_label

DATA_FIELDS = (
    "certificate_name",
    "native_name",
    "gender",
    "date_of_birth",
    "email",
    "phone",
    "organization",
    "organization_type",
    "position",
    "years_experience",
    "statement",
    "english_proficiency",
)
NAME_FIELDS = ("certificate_name", "native_name")
MAX_CV_BYTES = 5 * 1024 * 1024
STATEMENT_MAX_CHARS = 3000  # also Nomination.statement's max_length and a database check
MIN_AGE, MAX_AGE = 18, 80  # at the project's start
PHONE_RE = re.compile(r"\+?[0-9 ().-]+")
PHONE_DIGITS = (7, 15)  # E.164 allows at most 15; shorter than 7 is no reachable number
CV_TYPES = {"application/pdf": "pdf", "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "docx"}


def deadline_text(project):
    local = project.nomination_deadline.astimezone(project.zone)
    return f"{date_format(local, 'j M Y, H:i')} {zone_label(project.zone, project.nomination_deadline)}"


def validate_cv(upload):
    """Check an uploaded CV by its content: PDF or DOCX, at most 5 MB. Returns the extension to store."""
    if upload.size > MAX_CV_BYTES:
        raise DomainError(f"The file is {upload.size / 1048576:.1f} MB; at most 5 MB is accepted.", field="cv")
    upload.seek(0)
    head = upload.read(8192)
    upload.seek(0)
    kind = filetype.guess(head)
    if kind is None or kind.mime not in CV_TYPES:
        raise DomainError("Upload the CV or biodata form as a PDF or Word (DOCX) document.", field="cv")
    return CV_TYPES[kind.mime]


def clean_name(value, *, field):
    """A person's name as stored (apopms.names.clean_person_name); DomainError naming `field` if refused."""
    try:
        return clean_person_name(value)
    except ValidationError as exc:
        raise DomainError(exc.messages[0], field=field) from exc


def clean_phone(value):
    """A phone number: an optional +, then digits with spaces, hyphens, dots or brackets, 7 to 15 digits.

    Refuses what a spreadsheet reads as arithmetic and no telephone dials ("+1-2-3-4-5-6", 6 digits).
    """
    value = " ".join(str(value or "").split())
    if not value:
        return ""
    if not PHONE_RE.fullmatch(value):
        raise DomainError(
            "Write the phone number with digits, spaces, brackets, dots or hyphens, and a leading + "
            "for the country code, e.g. +94 11 2345678.",
            field="phone",
        )
    digits = sum(c.isdigit() for c in value)
    low, high = PHONE_DIGITS
    if not low <= digits <= high:
        raise DomainError(
            f"A phone number has {low} to {high} digits (country code included); this one has {digits}.",
            field="phone",
        )
    return value


def clean_statement(value):
    """The statement, line breaks as one character each; DomainError if longer than STATEMENT_MAX_CHARS."""
    value = str(value or "").replace("\r\n", "\n").replace("\r", "\n").strip()
    if len(value) > STATEMENT_MAX_CHARS:
        raise DomainError(
            f"The statement has {len(value):,} characters; at most {STATEMENT_MAX_CHARS:,} are accepted.",
            field="statement",
        )
    return value


def age_on(born, day):
    """Completed years of a person born on `born`, on `day`."""
    return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


def check_date_of_birth(date_of_birth, *, project):
    """Refuse a date of birth that makes the candidate younger than 18 or older than 80 at the project's start."""
    if date_of_birth is None:
        return
    start = project.start_date
    start_text = date_format(start, "j M Y")
    if date_of_birth >= start:
        raise DomainError(
            f"The date of birth {date_of_birth.isoformat()} is not before the project starts ({start_text}).",
            field="date_of_birth",
        )
    age = age_on(date_of_birth, start)
    if not MIN_AGE <= age <= MAX_AGE:
        raise DomainError(
            f"With the date of birth {date_of_birth.isoformat()} the candidate would be {age} when the project "
            f"starts ({start_text}); candidates are {MIN_AGE} to {MAX_AGE} years old.",
            field="date_of_birth",
        )


def clean_data(data):
    unknown = set(data) - set(DATA_FIELDS)
    if unknown:
        raise ValueError(f"Unknown nomination fields: {sorted(unknown)}")
    cleaned = dict(data)
    if "email" in cleaned:
        cleaned["email"] = (cleaned["email"] or "").strip()
    for key in ("organization", "position"):
        if key in cleaned and cleaned[key] is not None:
            cleaned[key] = cleaned[key].strip()
    for key in NAME_FIELDS:
        if key in cleaned:
            cleaned[key] = clean_name(cleaned[key], field=key)
    if cleaned.get("certificate_name") == "":
        raise DomainError("The name for the certificate is required.", field="certificate_name")
    if isinstance(cleaned.get("date_of_birth"), str):
        text = cleaned["date_of_birth"].strip()
        try:
            cleaned["date_of_birth"] = datetime.date.fromisoformat(text) if text else None
        except ValueError:
            raise DomainError("Give the date of birth as YYYY-MM-DD.", field="date_of_birth") from None
    if "phone" in cleaned:
        cleaned["phone"] = clean_phone(cleaned["phone"])
    if "statement" in cleaned:
        cleaned["statement"] = clean_statement(cleaned["statement"])
    return cleaned


WINDOW_OPEN, WINDOW_CLOSED, WINDOW_NOT_ACCEPTING = "open", "closed", "not_accepting"


def nomination_window(project, at):
    """Where `project`'s nominations stand at instant `at`: open, closed (the deadline passed, read by
    `project.deadline_passed`), or not accepting (never opened to NPOs, or closed by the Secretariat)."""
    if not project.nominations_open or project.notification_issued_at is None:
        return WINDOW_NOT_ACCEPTING
    return WINDOW_CLOSED if project.deadline_passed(at) else WINDOW_OPEN
