"""Spreadsheets of nominations: export (django-import-export) and import (preview, then all or nothing).

Export neutralises formulae itself: the library's IMPORT_EXPORT_ESCAPE_FORMULAE_ON_EXPORT strips a
single leading "=" only (so "==1+1" stays live) and does nothing for XLSX cells typed by openpyxl.
"""

import datetime
import re
import uuid
from dataclasses import dataclass, field

import filetype
from django.core.cache import cache
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db.models.functions import Lower
from import_export import resources, widgets
from import_export.fields import Field
from import_export.formats.base_formats import CSV, XLSX

from .enums import EnglishProficiency, Gender, NominationStatus, OrganizationType
from .models import Nomination

# What spreadsheets run as formulae when a cell starts with it.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# Phone numbers stay readable: "+94 11 2345678", "+1 (555) 123-4567", "-" is never first.
PHONE_RE = re.compile(r"\+\d[\d ().-]{5,}\d")
NUMBER_RE = re.compile(r"[+-]?\d+(\.\d+)?")


def neutralise(value):
    """A cell value no spreadsheet runs as a formula.

    Text starting with = + - @, tab or carriage return gets a leading apostrophe, except phone
    numbers (+ then digits, spaces, brackets, dots, hyphens) and plain numbers, which no
    spreadsheet can turn into a call.
    """
    if not isinstance(value, str) or not value or not value.startswith(FORMULA_STARTS):
        return value
    if PHONE_RE.fullmatch(value) or NUMBER_RE.fullmatch(value):
        return value
    return "'" + value


class NominationResource(resources.ModelResource):
    """The export of a project's nominations (one row per nomination, choices by their labels)."""

    project = Field(column_name="Project")
    country = Field(column_name="Country")
    category = Field(column_name="Category")
    state = Field(column_name="State")
    priority = Field(attribute="priority", column_name="Priority", widget=widgets.IntegerWidget())
    certificate_name = Field(attribute="certificate_name", column_name="Name for the certificate")
    native_name = Field(attribute="native_name", column_name="Name in own script")
    gender = Field(column_name="Gender")
    date_of_birth = Field(attribute="date_of_birth", column_name="Date of birth", widget=widgets.DateWidget("%Y-%m-%d"))
    email = Field(attribute="email", column_name="E-mail")
    phone = Field(attribute="phone", column_name="Phone")
    organization = Field(attribute="organization", column_name="Organization")
    organization_type = Field(column_name="Organization type")
    position = Field(attribute="position", column_name="Position/title")
    years_experience = Field(
        attribute="years_experience", column_name="Years of relevant experience", widget=widgets.IntegerWidget()
    )
    english_proficiency = Field(column_name="English proficiency")
    statement = Field(attribute="statement", column_name="Statement")
    is_late = Field(column_name="Late")
    submitted_at = Field(column_name="Submitted at (UTC)")

    class Meta:
        model = Nomination
        fields = (
            "project",
            "country",
            "category",
            "state",
            "priority",
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
            "english_proficiency",
            "statement",
            "is_late",
            "submitted_at",
        )
        export_order = fields

    def dehydrate_project(self, n):
        return n.project.code

    def dehydrate_country(self, n):
        return n.country.name

    def dehydrate_category(self, n):
        return n.get_category_display()

    def dehydrate_state(self, n):
        return n.get_state_display()

    def dehydrate_gender(self, n):
        return n.get_gender_display()

    def dehydrate_organization_type(self, n):
        return n.get_organization_type_display()

    def dehydrate_english_proficiency(self, n):
        return n.get_english_proficiency_display()

    def dehydrate_is_late(self, n):
        return "yes" if n.is_late else "no"

    def dehydrate_submitted_at(self, n):
        return n.submitted_at.astimezone(datetime.UTC).strftime("%Y-%m-%d %H:%M") if n.submitted_at else ""

    def export_field(self, field, instance, **kwargs):
        return neutralise(super().export_field(field, instance, **kwargs))


EXPORT_FORMATS = {"csv": CSV, "xlsx": XLSX}


def export_nominations(queryset, fmt):
    """(bytes or str, content type) of the nominations in `queryset` as CSV or XLSX."""
    format_ = EXPORT_FORMATS[fmt]()
    # XLSX keeps numbers and dates as typed cells; CSV is text anyway.
    dataset = NominationResource().export(queryset, force_native_type=fmt == "xlsx")
    return format_.export_data(dataset), format_.get_content_type()


# --- Import -------------------------------------------------------------------------------------

# Column headers accepted (case-insensitive): the export's own, and the field names.
HEADERS = {
    "certificate_name": ["name for the certificate", "certificate name", "name"],
    "native_name": ["name in own script", "native name"],
    "gender": ["gender"],
    "date_of_birth": ["date of birth", "dob"],
    "email": ["e-mail", "email"],
    "phone": ["phone", "telephone"],
    "organization": ["organization", "organisation"],
    "organization_type": ["organization type", "organisation type"],
    "position": ["position/title", "position", "title"],
    "years_experience": ["years of relevant experience", "years of experience", "experience"],
    "english_proficiency": ["english proficiency", "english"],
    "statement": ["statement"],
}
CHOICES = {
    "gender": Gender,
    "organization_type": OrganizationType,
    "english_proficiency": EnglishProficiency,
}
MAX_IMPORT_BYTES = 10 * 1024 * 1024
JOB_KEY = "nominations:import:{id}"
JOB_SECONDS = 24 * 3600


def _header_map(headers):
    found = {}
    for index, header in enumerate(headers or []):
        name = str(header or "").strip().lower()
        for field_name, aliases in HEADERS.items():
            if name == field_name or name in aliases:
                found.setdefault(field_name, index)
    return found


def _choice_value(enum, raw):
    text = str(raw or "").strip()
    for value, label in enum.choices:
        if text.lower() in (value.lower(), label.lower()):
            return value
    return text


def read_dataset(content, name):
    """A tablib Dataset from CSV or XLSX bytes; raises ValueError with a user-safe message."""
    kind = filetype.guess(content[:8192])
    is_xlsx = name.lower().endswith(".xlsx") or (kind is not None and kind.extension in ("xlsx", "zip"))
    try:
        if is_xlsx:
            return XLSX().create_dataset(content)
        return CSV().create_dataset(content.decode("utf-8-sig"))
    except UnicodeDecodeError as exc:
        raise ValueError("The CSV file is not UTF-8 text; save it as “CSV UTF-8”.") from exc
    except Exception as exc:
        raise ValueError("The file could not be read as a CSV or XLSX spreadsheet.") from exc


@dataclass
class ImportRow:
    line: int
    data: dict
    errors: list = field(default_factory=list)  # (field label, message)
    present: bool = False


def parse_rows(dataset, *, project, country):
    """Every data row of `dataset`, validated. Line numbers count the header as line 1."""
    from .forms import NominationDataForm

    columns = _header_map(dataset.headers)
    missing = [f for f in ("certificate_name", "email") if f not in columns]
    if missing:
        labels = ", ".join(HEADERS[f][0] for f in missing)
        raise ValueError(f"The header row lacks the column(s): {labels}.")
    existing = dict(
        Nomination.objects.filter(project=project)
        .exclude(status=NominationStatus.WITHDRAWN)
        .annotate(e=Lower("email"))
        .values_list("e", "country_id")
    )
    seen = {}
    rows = []
    for offset, values in enumerate(dataset, start=2):
        if all(v in (None, "") for v in values):
            continue
        raw = {}
        for name, index in columns.items():
            value = values[index] if index < len(values) else None
            if name in CHOICES:
                value = _choice_value(CHOICES[name], value)
            elif isinstance(value, float) and value.is_integer():
                value = int(value)
            if isinstance(value, datetime.datetime) and name == "date_of_birth":
                value = value.date()
            raw[name] = "" if value is None else value
        form = NominationDataForm(data=raw)
        row = ImportRow(line=offset, data={})
        if form.is_valid():
            row.data = {k: v for k, v in form.cleaned_data.items() if k in HEADERS}
        else:
            for name, messages in form.errors.items():
                label = form.fields[name].label if name in form.fields else name
                row.errors.extend((str(label), str(m)) for m in messages)
        email = str(raw.get("email", "")).strip().lower()
        if email:
            if email in seen:
                row.errors.append(("E-mail", f"The same e-mail is already on line {seen[email]}."))
            else:
                seen[email] = offset
            owner = existing.get(email)
            if owner == country.pk:
                row.present = True
            elif owner is not None:
                row.errors.append(("E-mail", "This person is already nominated for this project by another NPO."))
        rows.append(row)
    return rows


def _job_key(job_id):
    return JOB_KEY.format(id=job_id)


def create_job(*, project, country, actor, content, name):
    """Store an uploaded file privately and open an import job for it. Returns the job id."""
    job_id = uuid.uuid4().hex
    ext = "xlsx" if name.lower().endswith(".xlsx") else "csv"
    path = default_storage.save(f"private/imports/{job_id}.{ext}", ContentFile(content))
    cache.set(
        _job_key(job_id),
        {
            "id": job_id,
            "project_id": project.pk,
            "country_id": country.pk,
            "actor_id": actor.pk,
            "path": path,
            "name": name,
            "state": "previewed",
            "done": 0,
            "total": 0,
            "created": 0,
            "skipped": 0,
            "error": "",
        },
        JOB_SECONDS,
    )
    return job_id


def get_job(job_id):
    return cache.get(_job_key(job_id))


def update_job(job_id, **changes):
    job = get_job(job_id) or {}
    job.update(changes)
    cache.set(_job_key(job_id), job, JOB_SECONDS)
    return job


def job_rows(job, *, project, country):
    """The parsed rows of a job's stored file (raises ValueError if unreadable)."""
    with default_storage.open(job["path"], "rb") as handle:
        content = handle.read()
    return parse_rows(read_dataset(content, job["name"]), project=project, country=country)


def load_rows_for_job(job, *, project, country):
    """(row dicts in file order, error count) of a job, re-validated against the database now."""
    rows = job_rows(job, project=project, country=country)
    errors = sum(len(r.errors) for r in rows)
    return [r.data for r in rows], errors


def discard_file(job):
    if job.get("path") and default_storage.exists(job["path"]):
        default_storage.delete(job["path"])


def read_upload(upload):
    if upload.size > MAX_IMPORT_BYTES:
        raise ValueError("The spreadsheet is larger than 10 MB; split it.")
    return upload.read()


__all__ = ["NominationResource", "export_nominations", "neutralise"]
