from django import forms

from apopms.names import clean_person_name


class RevokeForm(forms.Form):
    reason = forms.CharField(
        label="Reason for revoking", widget=forms.Textarea(attrs={"rows": 3}), max_length=2000, strip=True
    )


class NameCorrectionForm(forms.Form):
    certificate_name = forms.CharField(label="Name for the certificate (Latin script)", max_length=150)
    native_name = forms.CharField(label="Name in own script", max_length=150, required=False)
    reason = forms.CharField(label="Reason for the correction", max_length=500, required=False)

    def clean_certificate_name(self):
        return clean_person_name(self.cleaned_data["certificate_name"])

    def clean_native_name(self):
        return clean_person_name(self.cleaned_data["native_name"])


class VerificationLookupForm(forms.Form):
    code = forms.CharField(
        label="Verification code",
        max_length=80,
        help_text="As printed under the QR code; spaces and upper or lower case do not matter.",
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false", "autocapitalize": "characters"}),
    )


class NumberAndNameForm(forms.Form):
    """Verification without the code: the certificate number and the full name as printed."""

    number = forms.CharField(
        label="Certificate number",
        max_length=80,
        help_text="As printed on the certificate, e.g. 22-PSP-DMC-0007.",
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false", "autocapitalize": "characters"}),
    )
    name = forms.CharField(
        label="Full name as printed",
        max_length=150,
        help_text="All of it; upper or lower case, accents and spacing do not matter.",
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
