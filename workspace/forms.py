"""The hub's one form: the Secretariat's retention limits and hold for a project."""

from django import forms


class RetentionForm(forms.Form):
    cv_days = forms.IntegerField(
        label="CVs kept (days after the selection is published)", min_value=0, max_value=3650, required=False
    )
    nominee_months = forms.IntegerField(
        label="Nominees not selected kept (months after the end)", min_value=0, max_value=120, required=False
    )
    participant_years = forms.IntegerField(
        label="Participants kept (years after the end)", min_value=0, max_value=30, required=False
    )
    hold_reason = forms.CharField(
        label="Hold purging, because", required=False, max_length=500, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.widget.attrs["class"] = "form-control form-control-sm"
