from django import forms


class GenerateForm(forms.Form):
    include_participants = forms.BooleanField(
        label="Include the participant list",
        required=False,
        help_text="Names participants (attendance and certificates per person, the list of participants). "
        "Without it the report holds aggregates only.",
    )
