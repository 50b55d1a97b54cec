import datetime
import unicodedata

from crispy_forms.helper import FormHelper
from django import forms
from django.core.exceptions import ValidationError

from apopms.enums import Category
from apopms.exceptions import DomainError
from apopms.models import MemberCountry

from . import services
from .dates import DAY_FIRST, MONTH_FIRST, read_single_date
from .enums import Gender, NominationState
from .models import Nomination
from .services import DATA_FIELDS, validate_cv


def validate_latin(value):
    """The certificate is printed in Latin script: letters must be Latin (accents and Turkish or Vietnamese
    letters are fine)."""
    for char in value:
        if char.isalpha() and not unicodedata.name(char, "").startswith("LATIN"):
            raise ValidationError(
                "Write the name for the certificate in Latin letters; put the name in the candidate's own script "
                "in the next field."
            )


def _checked(rule, *args, **kwargs):
    """Run a service's rule on form input; its DomainError becomes the field's error."""
    try:
        return rule(*args, **kwargs)
    except DomainError as exc:
        raise ValidationError(exc.message) from exc


class DateOfBirthField(forms.DateField):
    """A date typed alone: ISO, or a date whose day and month cannot be mistaken (25/08/1985, 3 Aug 1985)."""

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if isinstance(value, datetime.datetime):
            return value.date()
        if isinstance(value, datetime.date):
            return value
        try:
            return read_single_date(value)
        except ValueError as exc:
            raise ValidationError(str(exc), code="invalid") from exc


class StatementField(forms.CharField):
    """Counts a line break as one character, as the browser's own limit does (it sends CR LF)."""

    def to_python(self, value):
        value = super().to_python(value)
        return value.replace("\r\n", "\n").replace("\r", "\n") if value else value


class NominationDataForm(forms.ModelForm):
    """The candidate's data, as an NPO gives it (also validates imported rows).

    With `project`, the date of birth is checked against the project's start (ages 18 to 80).
    """

    def __init__(self, *args, project=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.project = project

    class Meta:
        model = Nomination
        fields = DATA_FIELDS
        field_classes = {"date_of_birth": DateOfBirthField, "statement": StatementField}
        widgets = {
            "date_of_birth": forms.DateInput(attrs={"type": "date"}),
            "statement": forms.Textarea(attrs={"rows": 5}),
            "email": forms.EmailInput(attrs={"autocomplete": "off"}),
            "phone": forms.TextInput(attrs={"inputmode": "tel", "placeholder": "+94 11 2345678"}),
        }
        help_texts = {"phone": "International format, e.g. +94 11 2345678."}

    def clean_certificate_name(self):
        value = _checked(services.clean_name, self.cleaned_data["certificate_name"], field="certificate_name")
        if not value:
            raise ValidationError(self.fields["certificate_name"].error_messages["required"], code="required")
        validate_latin(value)
        return value

    def clean_native_name(self):
        return _checked(services.clean_name, self.cleaned_data.get("native_name", ""), field="native_name")

    def clean_date_of_birth(self):
        value = self.cleaned_data.get("date_of_birth")
        if self.project is not None:
            _checked(services.check_date_of_birth, value, project=self.project)
        return value

    def clean_phone(self):
        return _checked(services.clean_phone, self.cleaned_data.get("phone", ""))

    def clean_statement(self):
        return _checked(services.clean_statement, self.cleaned_data.get("statement", ""))

    def clean_email(self):
        return self.cleaned_data["email"].strip()


class NominationForm(NominationDataForm):
    """The web form: the candidate's data and the CV; for the Secretariat also the country."""

    cv = forms.FileField(
        label="CV or biodata form",
        required=False,
        help_text="PDF or Word (DOCX), at most 5 MB. Kept private: only your NPO and the APO Secretariat can open it.",
        widget=forms.ClearableFileInput(
            attrs={
                "accept": ".pdf,.docx,application/pdf,application/vnd.openxmlformats-officedocument.wordprocessingml.document"
            }
        ),
    )

    candidate_informed = forms.BooleanField(
        label="The candidate was told what is collected, why, who sees it and how long it is kept (the notice above).",
        required=True,
        error_messages={"required": "Confirm that the candidate was informed of the personal data notice."},
    )

    def __init__(self, *args, countries=None, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk and self.instance.candidate_informed_at:
            self.fields["candidate_informed"].initial = True
        if countries is not None:
            self.fields["country"] = forms.ModelChoiceField(
                queryset=countries, label="Country (NPO)", help_text="The NPO this nomination is made for."
            )
            self.order_fields(["country"])
        self.helper = FormHelper()
        self.helper.form_tag = False

    def clean_cv(self):
        upload = self.cleaned_data.get("cv")
        if upload:
            try:
                validate_cv(upload)
            except DomainError as exc:
                raise ValidationError(exc.message) from exc
        return upload

    def data_fields(self):
        return {name: self.cleaned_data[name] for name in DATA_FIELDS}

    def add_domain_error(self, exc):
        self.add_error(exc.field if exc.field in self.fields else None, exc.message)


class CandidateForm(NominationDataForm):
    """The candidate's own biodata: saved as it is (come back later); what sending it to the NPO needs
    is checked by `services.save_candidate_biodata`. The e-mail is their account's."""

    cv = NominationForm.base_fields["cv"]

    class Meta(NominationDataForm.Meta):
        fields = services.CANDIDATE_FIELDS
        help_texts = {
            **NominationDataForm.Meta.help_texts,
            "certificate_name": "As it should be printed on your certificate, in Latin letters.",
            "native_name": "Optional: your name in your own script, as it should be printed under it.",
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            field.required = name == "certificate_name"
        self.fields[
            "cv"
        ].help_text = (
            "PDF or Word (DOCX), at most 5 MB. Kept private: only you, your NPO and the APO Secretariat can open it."
        )
        self.helper = FormHelper()
        self.helper.form_tag = False

    clean_cv = NominationForm.clean_cv

    def data_fields(self):
        return {name: self.cleaned_data[name] for name in services.CANDIDATE_FIELDS}

    def add_domain_error(self, exc):
        self.add_error(exc.field if exc.field in self.fields else None, exc.message)


class InviteCandidateForm(forms.Form):
    full_name = forms.CharField(label="Candidate's name", max_length=150)
    email = forms.EmailField(label="Candidate's e-mail address", widget=forms.EmailInput(attrs={"autocomplete": "off"}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False


class ChangeRequestForm(forms.Form):
    message = forms.CharField(
        label="What should the candidate change?",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Sent to the candidate by e-mail and shown on their nomination.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False


class WithdrawForm(forms.Form):
    reason = forms.CharField(
        label="Reason (optional)", required=False, widget=forms.Textarea(attrs={"rows": 3}), max_length=1000
    )


class ImportForm(forms.Form):
    country = forms.ModelChoiceField(
        queryset=MemberCountry.objects.none(),
        label="Country (NPO)",
        help_text="Every row is nominated by this NPO; a row whose Country column names another country is an error.",
    )
    file = forms.FileField(
        label="Spreadsheet",
        help_text="CSV (UTF-8) or XLSX with a header row, e.g. an export of this page. "
        "Rows are matched on the project and the e-mail address.",
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx"}),
    )
    date_order = forms.ChoiceField(
        label="Dates such as 03/08/1985 are written",
        choices=[
            ("", "Decide from the file (its dates such as 25/08/1985 show the order)"),
            (DAY_FIRST, "Day first (03/08/1985 is 3 August 1985)"),
            (MONTH_FIRST, "Month first (03/08/1985 is 8 March 1985)"),
        ],
        required=False,
        initial="",
        widget=forms.RadioSelect,
        help_text="ISO dates (1985-08-03) and dates with the month as a word (3 Aug 1985) are always read as written.",
    )

    def __init__(self, *args, project, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["country"].queryset = project.nominating_countries().order_by("name")


class FilterForm(forms.Form):
    q = forms.CharField(label="Search", required=False, max_length=200, help_text="Name, e-mail or organization.")
    country = forms.ModelChoiceField(queryset=MemberCountry.objects.none(), required=False, empty_label="All")
    state = forms.ChoiceField(choices=[("", "All"), *NominationState.choices], required=False)
    category = forms.ChoiceField(required=False)
    gender = forms.ChoiceField(choices=[("", "All"), *Gender.choices], required=False)

    def __init__(self, *args, project, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["country"].queryset = project.nominating_countries().order_by("name")
        self.fields["category"].choices = [("", "All"), *Category.choices]
