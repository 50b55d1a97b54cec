"""Exports of nominations and participants as CSV or XLSX (django-import-export).

Export neutralises formulae itself: the library's IMPORT_EXPORT_ESCAPE_FORMULAE_ON_EXPORT strips a
single leading "=" only (so "==1+1" stays live) and does nothing for XLSX cells typed by openpyxl.
The import takes that apostrophe off again, and reports XLSX formula cells instead of reading
their cached results. The CSV export starts with a byte-order mark, so Excel reads it as UTF-8.
"""

import datetime
import re

from import_export import fields, resources, widgets
from import_export.fields import Field
from import_export.formats.base_formats import CSV, XLSX

from ..models import Nomination, Participant

# What spreadsheets run as formulae when a cell starts with it.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# Phone numbers stay readable: "+94 11 2345678", "+1 (555) 123-4567", "-" is never first.
PHONE_RE = re.compile(r"\+\d[\d ().-]{5,}\d")
NUMBER_RE = re.compile(r"[+-]?\d+(\.\d+)?")
# What a spreadsheet computes although it looks like a phone number: "+1-234-567-8901" is -9701.
ARITHMETIC_RE = re.compile(r"[+-]?\d+(\.\d+)?([+-]\d+(\.\d+)?)+")


def neutralise(value):
    """A cell value no spreadsheet runs as a formula.

    Text starting with = + - @, tab or carriage return gets a leading apostrophe, except phone
    numbers (+ then digits, spaces, brackets, dots, hyphens) and plain numbers, which no
    spreadsheet can turn into a call; a phone number written only with digits and hyphens is
    arithmetic to a spreadsheet, so it gets the apostrophe too.
    """
    if not isinstance(value, str) or not value or not value.startswith(FORMULA_STARTS):
        return value
    if (PHONE_RE.fullmatch(value) and not ARITHMETIC_RE.fullmatch(value)) or NUMBER_RE.fullmatch(value):
        return value
    return "'" + value


def unneutralise(value):
    """The value `neutralise` was given: its apostrophe is taken off again, and only that one."""
    if isinstance(value, str) and value.startswith("'") and neutralise(value[1:]) == value:
        return value[1:]
    return value


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
    content = format_.export_data(dataset)
    if fmt == "csv":
        # Without the byte-order mark Excel reads the file in the machine's code page, and names in
        # their own scripts turn into mojibake.
        return "\ufeff" + content, "text/csv; charset=utf-8"
    return content, format_.get_content_type()


class ParticipantResource(resources.ModelResource):
    name = fields.Field(attribute="certificate_name", column_name="Name")
    native_name = fields.Field(attribute="native_name", column_name="Name in own script")
    country = fields.Field(attribute="country__name", column_name="Country")
    category = fields.Field(column_name="Category")
    gender = fields.Field(column_name="Gender")
    organization = fields.Field(attribute="nomination__organization", column_name="Organization")
    position = fields.Field(attribute="nomination__position", column_name="Position")
    email = fields.Field(attribute="user__email", column_name="E-mail")
    status = fields.Field(column_name="Status")

    class Meta:
        model = Participant
        fields = ("name", "native_name", "country", "category", "gender", "organization", "position", "email", "status")
        export_order = (
            "name",
            "native_name",
            "country",
            "category",
            "gender",
            "organization",
            "position",
            "email",
            "status",
        )

    def dehydrate_category(self, participant):
        return participant.get_category_display()

    def dehydrate_gender(self, participant):
        return participant.nomination.get_gender_display()

    def dehydrate_status(self, participant):
        return participant.get_status_display()

    def export_field(self, field, instance, **kwargs):
        return neutralise(super().export_field(field, instance, **kwargs))


def export_participants(project, fmt):
    """(content, content type) of the project's participants in `fmt` ("csv" or "xlsx")."""
    queryset = (
        Participant.objects.filter(project=project)
        .select_related("country", "nomination", "user")
        .order_by("country__name", "certificate_name", "pk")
    )
    dataset = ParticipantResource().export(queryset=queryset)
    export_format = EXPORT_FORMATS[fmt]()
    if fmt == "csv":
        # The byte-order mark makes Excel read UTF-8, so names in their own scripts stay readable.
        return "\ufeff" + export_format.export_data(dataset), "text/csv; charset=utf-8"
    return export_format.export_data(dataset), export_format.get_content_type()
