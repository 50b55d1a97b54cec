"""Imports of one NPO's nominations from CSV or XLSX: read, preview every row, then all or nothing.

The import takes the export's apostrophe off again (`exports.unneutralise`), and reports XLSX
formula cells instead of reading their cached results. The worker reads a file once
(`nominations.services.imports`); its rows are kept as JSON on the job row.
"""

import io
import unicodedata
from dataclasses import dataclass, field

import filetype
import openpyxl
import tablib
from django.db.models.functions import Lower
from import_export.formats.base_formats import CSV

from apopms.models import MemberCountry

from ..dates import ORDER_LABELS, decide_order, read_date
from ..enums import EnglishProficiency, Gender, NominationStatus, OrganizationType
from ..forms import NominationDataForm
from ..models import Nomination
from .exports import unneutralise

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
# Columns that say where a row belongs; checked, never taken as they are.
CONTEXT_HEADERS = {
    "country": ["country", "country (npo)", "npo"],
    "project": ["project", "project code"],
}
CHOICES = {
    "gender": Gender,
    "organization_type": OrganizationType,
    "english_proficiency": EnglishProficiency,
}
MAX_IMPORT_BYTES = 10 * 1024 * 1024
PROGRESS_EVERY = 250


def _header_map(headers, known=HEADERS):
    found = {}
    for index, header in enumerate(headers or []):
        name = " ".join(str(header or "").split()).lower()
        for field_name, aliases in known.items():
            if name == field_name or name in aliases:
                found.setdefault(field_name, index)
    return found


class Formula(str):
    """An XLSX cell's formula (its text, starting with "="), read instead of its cached result."""


def _fold(text):
    """Case, accents and spacing ignored: "turkiye" finds Türkiye."""
    decomposed = unicodedata.normalize("NFKD", " ".join(str(text).split()).casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def _read_xlsx(content):
    """The first sheet as a Dataset; formula cells become `Formula`s (openpyxl without data_only)."""
    book = openpyxl.load_workbook(io.BytesIO(content), read_only=True, data_only=False)
    try:
        rows = book.active.iter_rows()
        header = next(rows, None)
        dataset = tablib.Dataset()
        if header is None:
            return dataset
        headers = [cell.value for cell in header]
        while headers and headers[-1] is None:
            headers.pop()
        dataset.headers = headers
        width = len(headers)
        for cells in rows:
            values = []
            for cell in cells[:width]:
                value = cell.value
                if cell.data_type == "f":
                    value = Formula(getattr(value, "text", None) or value)
                values.append(value)
            values += [None] * (width - len(values))
            dataset.append(values)
        return dataset
    finally:
        book.close()


class RowForm(NominationDataForm):
    """The biodata form for one row of a file, without the per-instance database queries.

    A ModelForm checks the model's constraints with one query per constraint and row; for a file
    those are checked once for all rows instead (e-mails in `parse_rows`, and the database's own
    constraints when the rows are inserted), and the statement's length is already a field check.
    """

    def validate_constraints(self):
        pass

    def validate_unique(self):
        pass

    def bind(self, data):
        """This form bound afresh to one row's `data`, returned. Building a form deep-copies every
        field, which took half the time of checking a file; the fields are not changed by checking,
        so one form checks every row in turn, with a new instance and no state of the row before."""
        self.data = data
        self.is_bound = True
        self._errors = None
        self._bound_fields_cache = {}
        self.instance = self._meta.model()
        self.__dict__.pop("cleaned_data", None)
        return self


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
            return _read_xlsx(content)
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


class ImportRows(list):
    """The rows of a file, with how its day/month order was decided (`date_order`, `date_order_reason`)."""

    date_order = None
    date_order_reason = ""

    @property
    def date_order_text(self):
        if not self.date_order:
            return ""
        return f"Dates such as 03/08/1985 are read {ORDER_LABELS[self.date_order]}, {self.date_order_reason}."


def _country_lookup():
    lookup = {}
    for country in MemberCountry.objects.all():
        lookup[_fold(country.name)] = country
        lookup[_fold(country.iso2)] = country
    return lookup


def _check_context(values, columns, *, project, country, countries, participating):
    """(label, message) for a row whose Country or Project column says it belongs elsewhere."""
    errors = []
    if "country" in columns:
        named = _cell(values, columns["country"])
        if isinstance(named, Formula):
            errors.append(("Country", _formula_message(named)))
        elif named not in (None, "") and _fold(named) != _fold(country.name):
            text = " ".join(str(named).split())
            found = countries.get(_fold(text))
            if found is None:
                errors.append(
                    (
                        "Country",
                        f"“{text}” is not an APO member country; write the country as the export does "
                        f"(e.g. “{country.name}”) or as its ISO code (“{country.iso2}”).",
                    )
                )
            elif found.pk not in participating:
                errors.append(("Country", f"{found.name} does not take part in this project."))
            elif found.pk != country.pk:
                errors.append(
                    (
                        "Country",
                        f"This row is for {found.name}, but this import is for {country.name}; "
                        f"import {found.name}'s rows separately, choosing {found.name} on the upload form.",
                    )
                )
    if "project" in columns:
        code = _cell(values, columns["project"])
        if code not in (None, "") and _fold(code) != _fold(project.code):
            errors.append(("Project", f"This row is for project “{code}”, not {project.code}."))
    return errors


def _cell(values, index):
    return values[index] if index < len(values) else None


def _formula_message(formula):
    shown = formula if len(formula) <= 40 else formula[:39] + "…"
    return (
        f"The cell holds a formula ({shown}), not a value; type the value itself "
        "(in Excel: Copy, then Paste Special > Values)."
    )


def parse_rows(dataset, *, project, country, date_order=None, progress=None):
    """Every data row of `dataset`, validated. Line numbers count the header as line 1.

    Set-based: one query each for the e-mails already nominated, the member countries and the
    participating countries, whatever the number of rows. `progress(done, total)` is called every
    `PROGRESS_EVERY` rows.

    The dates of birth decide the file's day/month order together (see `nominations.dates`),
    unless `date_order` ("dmy" or "mdy") was chosen on the upload form.
    """
    columns = _header_map(dataset.headers)
    context_columns = _header_map(dataset.headers, CONTEXT_HEADERS)
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
    countries = _country_lookup() if "country" in context_columns else {}
    participating = set(project.nominating_countries().values_list("pk", flat=True))
    labels = {name: str(f.label) for name, f in NominationDataForm.base_fields.items()}
    seen = {}
    reported = set()  # (line, field) whose error is already said
    pending = []
    readings = {}
    for offset, values in enumerate(dataset, start=2):
        if all(v in (None, "") for v in values):
            continue
        row = ImportRow(line=offset, data={})
        raw = {}
        for name, index in columns.items():
            value = _cell(values, index)
            if isinstance(value, Formula):
                row.errors.append((labels[name], _formula_message(value)))
                reported.add((offset, name))
                value = None
            value = unneutralise(value)
            if name in CHOICES:
                value = _choice_value(CHOICES[name], value)
            elif isinstance(value, float) and value.is_integer():
                value = int(value)
            raw[name] = "" if value is None else value
        born = raw.pop("date_of_birth", "")
        if born != "":
            try:
                readings[offset] = read_date(born)
            except ValueError as exc:
                row.errors.append((labels["date_of_birth"], str(exc)))
        row.errors.extend(
            _check_context(
                values,
                context_columns,
                project=project,
                country=country,
                countries=countries,
                participating=participating,
            )
        )
        pending.append((row, raw))
    decision = decide_order(readings, date_order or None)
    rows = ImportRows()
    rows.date_order = decision.order if any(r.ambiguous or r.evidence for r in readings.values()) else None
    rows.date_order_reason = decision.reason
    total = len(pending)
    checker = RowForm(data={}, project=project)
    for done, (row, raw) in enumerate(pending, 1):
        if progress and done % PROGRESS_EVERY == 0:
            progress(done, total)
        reading = readings.get(row.line)
        if row.line in decision.errors:
            row.errors.append((labels["date_of_birth"], decision.errors[row.line]))
        elif reading is not None:
            raw["date_of_birth"] = reading.resolve(decision.order)
        form = checker.bind(raw)
        if form.is_valid():
            row.data = {k: v for k, v in form.cleaned_data.items() if k in HEADERS}
        else:
            for name, messages in form.errors.items():
                if (row.line, name) in reported:
                    continue
                label = form.fields[name].label if name in form.fields else name
                row.errors.extend((str(label), str(m)) for m in messages)
        email = str(raw.get("email", "")).strip().lower()
        if email:
            if email in seen:
                row.errors.append(("E-mail", f"The same e-mail is already on line {seen[email]}."))
            else:
                seen[email] = row.line
            owner = existing.get(email)
            if owner == country.pk:
                row.present = True
            elif owner is not None:
                row.errors.append(("E-mail", "This person is already nominated for this project by another NPO."))
        rows.append(row)
    return rows


def rows_as_json(rows):
    """The parsed rows as JSON for the job row: dates as ISO text, errors as [label, message]."""
    return [
        {
            "line": r.line,
            "data": {k: v.isoformat() if hasattr(v, "isoformat") else v for k, v in r.data.items()},
            "errors": [list(e) for e in r.errors],
            "present": r.present,
        }
        for r in rows
    ]


def read_upload(upload):
    if upload.size > MAX_IMPORT_BYTES:
        raise ValueError("The spreadsheet is larger than 10 MB; split it.")
    return upload.read()
