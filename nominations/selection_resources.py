"""Export of a project's participants (CSV/XLSX) with django-import-export, formula cells neutralised."""

import re

from import_export import fields, resources
from import_export.formats import base_formats

from .models import Participant

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
# Phone numbers and plain numbers ("+94 11 2345678", "-3.5") run nothing: they stay readable.
HARMLESS = re.compile(r"^[+-]?[\d\s().,/-]*\d[\d\s().,/-]*$")


def neutralise(value):
    """A cell value no spreadsheet runs as a formula: a leading ' where it starts like one.

    (import-export's own IMPORT_EXPORT_ESCAPE_FORMULAE_ON_EXPORT strips one leading "=" only.)
    """
    if isinstance(value, str) and value.startswith(FORMULA_START) and not HARMLESS.match(value):
        return "'" + value
    return value


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


FORMATS = {"csv": base_formats.CSV, "xlsx": base_formats.XLSX}


def export_participants(project, fmt):
    """(content, content type) of the project's participants in `fmt` ("csv" or "xlsx")."""
    if fmt not in FORMATS:
        from django.http import Http404

        raise Http404("Unknown export format.")
    queryset = (
        Participant.objects.filter(project=project)
        .select_related("country", "nomination", "user")
        .order_by("country__name", "certificate_name", "pk")
    )
    dataset = ParticipantResource().export(queryset=queryset)
    export_format = FORMATS[fmt]()
    if fmt == "csv":
        # The byte-order mark makes Excel read UTF-8, so names in their own scripts stay readable.
        return "\ufeff" + export_format.export_data(dataset), "text/csv; charset=utf-8"
    return export_format.export_data(dataset), export_format.get_content_type()
