import re
import unicodedata

from crispy_forms.helper import FormHelper
from django import forms
from django.core.exceptions import ValidationError

from apopms.exceptions import DomainError
from apopms.models import MemberCountry

from .enums import Gender
from .models import Nomination, NominationState
from .services import DATA_FIELDS, validate_cv

PHONE_CHARS = re.compile(r"[+0-9 ().-]*")


def validate_latin(value):
    """The certificate is printed in Latin script: letters must be Latin (accents and Turkish or Vietnamese
    letters are fine)."""
    for char in value:
        if char.isalpha() and not unicodedata.name(char, "").startswith("LATIN"):
            raise ValidationError(
                "Write the name for the certificate in Latin letters; put the name in the candidate's own script "
                "in the next field."
            )


class NominationDataForm(forms.ModelForm):
    """The candidate's data, as an NPO gives it (also validates imported rows)."""

    class Meta:
        model = Nomination
        fields = DATA_FIELDS
        widgets = {
            "date_of_birth": forms.DateInput(attrs={"type": "date"}),
            "statement": forms.Textarea(attrs={"rows": 5}),
            "email": forms.EmailInput(attrs={"autocomplete": "off"}),
            "phone": forms.TextInput(attrs={"inputmode": "tel", "placeholder": "+94 11 2345678"}),
        }
        help_texts = {"phone": "International format, e.g. +94 11 2345678."}

    def clean_certificate_name(self):
        value = " ".join(self.cleaned_data["certificate_name"].split())
        validate_latin(value)
        return value

    def clean_native_name(self):
        return " ".join(self.cleaned_data.get("native_name", "").split())

    def clean_phone(self):
        value = self.cleaned_data.get("phone", "").strip()
        if not PHONE_CHARS.fullmatch(value):
            raise ValidationError("Use digits, spaces, brackets, dots, hyphens and a leading +.")
        return value

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

    def __init__(self, *args, countries=None, **kwargs):
        super().__init__(*args, **kwargs)
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


class WithdrawForm(forms.Form):
    reason = forms.CharField(
        label="Reason (optional)", required=False, widget=forms.Textarea(attrs={"rows": 3}), max_length=1000
    )


class ImportForm(forms.Form):
    country = forms.ModelChoiceField(queryset=MemberCountry.objects.none(), label="Country (NPO)")
    file = forms.FileField(
        label="Spreadsheet",
        help_text="CSV (UTF-8) or XLSX with a header row, e.g. an export of this page. "
        "Rows are matched on the project and the e-mail address.",
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx"}),
    )

    def __init__(self, *args, project, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["country"].queryset = project.participating_countries.order_by("name")


class FilterForm(forms.Form):
    country = forms.ModelChoiceField(queryset=MemberCountry.objects.none(), required=False, empty_label="All")
    state = forms.ChoiceField(choices=[("", "All"), *NominationState.choices], required=False)
    category = forms.ChoiceField(required=False)
    gender = forms.ChoiceField(choices=[("", "All"), *Gender.choices], required=False)

    def __init__(self, *args, project, **kwargs):
        from apopms.enums import Category

        super().__init__(*args, **kwargs)
        self.fields["country"].queryset = project.participating_countries.order_by("name")
        self.fields["category"].choices = [("", "All"), *Category.choices]
