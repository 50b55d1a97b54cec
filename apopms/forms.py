import json

from django import forms
from django.contrib.auth.forms import AuthenticationForm

from . import audiences
from .enums import OutboxCause, OutboxStatus
from .models import MemberCountry, Project
from .names import clean_person_name
from .timezones import country_zones, zone_choices


class EmailAuthenticationForm(AuthenticationForm):
    username = forms.EmailField(
        label="E-mail address", widget=forms.EmailInput(attrs={"autofocus": True, "autocomplete": "email"})
    )


class AcceptInvitationForm(forms.Form):
    password1 = forms.CharField(
        label="New password",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password", "autofocus": True}),
        help_text="At least 8 characters; not only digits, not a common password, not like your name or e-mail.",
    )
    password2 = forms.CharField(
        label="New password again",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def clean(self):
        data = super().clean()
        if data.get("password1") and data.get("password2") and data["password1"] != data["password2"]:
            self.add_error("password2", "The two passwords differ.")
        return data


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


def topics_to_text(topics_by_day):
    return "\n\n".join("\n".join(day) for day in topics_by_day or [])


def text_to_topics(text):
    """One topic per line; a blank line starts the next day."""
    days, day = [], []
    for line in (text or "").splitlines():
        line = line.strip()
        if line:
            day.append(line.lstrip("-•* ").strip())
        elif day:
            days.append(day)
            day = []
    if day:
        days.append(day)
    return days


class ProjectForm(forms.ModelForm):
    """Every field of the notification. Validation of the rules lives in services.validate_project,
    which names each wrong field; the form only parses input."""

    closing_date = forms.DateField(
        label="Closing date for nominations",
        widget=DateInput(),
        help_text="Nominations are accepted until the end of this day in the project's time zone.",
    )
    time_zone = forms.ChoiceField(
        label="Time zone",
        required=False,
        help_text="The host's zone; every time is shown in it. Empty: the host country's zone.",
    )
    topics = forms.CharField(
        label="Indicative topics",
        required=False,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text="One topic per line; leave a blank line between days.",
    )
    participating_countries = forms.ModelMultipleChoiceField(
        queryset=MemberCountry.objects.none(), widget=forms.CheckboxSelectMultiple, required=False
    )
    note = forms.CharField(
        label="Note on this revision",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Only for a notification already issued: why it changes (shown with the change history).",
    )

    class Meta:
        model = Project
        fields = [
            "code",
            "title",
            "modality",
            "host_country",
            "venue",
            "implementing_organizations",
            "participating_countries",
            "notification_date",
            "start_date",
            "end_date",
            "time_zone",
            "closing_date",
            "quota_shape",
            "quotas_up_to",
            "overseas_quota",
            "local_quota",
            "total_quota",
            "per_country_cap",
            "cap_scope",
            "min_attendance_share",
            "qualifications",
            "nomination_procedure",
            "objectives",
            "background",
            "scope_and_methodology",
            "topics",
            "certificate_rule",
            "financial_arrangements",
            "implementation_procedures",
            "signatory_name",
            "signatory_title",
            "contact_email",
            "note",
        ]
        labels = {"participating_countries": "Invited countries"}
        widgets = {
            "notification_date": DateInput(),
            "quota_shape": forms.RadioSelect,
            "cap_scope": forms.RadioSelect,
            "start_date": DateInput(),
            "end_date": DateInput(),
            "implementing_organizations": forms.Textarea(attrs={"rows": 2}),
            "nomination_procedure": forms.Textarea(attrs={"rows": 2}),
            "qualifications": forms.Textarea(attrs={"rows": 3}),
            "objectives": forms.Textarea(attrs={"rows": 5}),
            "background": forms.Textarea(attrs={"rows": 8}),
            "scope_and_methodology": forms.Textarea(attrs={"rows": 4}),
            "certificate_rule": forms.Textarea(attrs={"rows": 3}),
            "financial_arrangements": forms.Textarea(attrs={"rows": 4}),
            "implementation_procedures": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        countries = MemberCountry.objects.order_by("name")
        self.fields["participating_countries"].queryset = countries
        self.fields["host_country"].queryset = countries
        instance = self.instance
        host = self._host(countries)
        first = country_zones(host.iso2, host.time_zone) if host else ()
        self.fields["time_zone"].choices = [("", "The host country's zone"), *zone_choices(first=first)]
        # The browser fills the zone when the host changes (static/js/apopms.js reads this map).
        self.fields["host_country"].widget.attrs["data-zones"] = json.dumps(
            {str(c.pk): c.time_zone for c in countries}, separators=(",", ":")
        )
        self.fields["time_zone"].widget.attrs["data-host-zone"] = "id_host_country"
        for name in ("overseas_quota", "local_quota", "total_quota", "quota_shape", "cap_scope"):
            self.fields[name].required = False
        self.fields["overseas_quota"].help_text = "With overseas and local participants."
        self.fields["local_quota"].help_text = "With overseas and local participants: the host country's nominees."
        self.fields["participating_countries"].help_text = (
            "The countries the notification invites to nominate. The host is apart: it nominates when the "
            "quotas give it seats (local participants, or one total for all countries)."
        )
        if instance.pk:
            self.initial.setdefault("closing_date", instance.closing_date)
            self.initial.setdefault("topics", topics_to_text(instance.topics_by_day))
        else:
            self.initial.setdefault("participating_countries", list(countries.filter(active=True)))
        if not (instance.pk and instance.notification_issued_at):
            del self.fields["note"]

    def _host(self, countries):
        """The host chosen (posted, or the project's), for listing its zones first."""
        key = self.data.get(self.add_prefix("host_country")) if self.is_bound else None
        key = key or self.initial.get("host_country") or self.instance.host_country_id
        if not key:
            return None
        try:
            return next((c for c in countries if str(c.pk) == str(getattr(key, "pk", key))), None)
        except (TypeError, ValueError):
            return None

    def clean(self):
        data = super().clean()
        for name in ("overseas_quota", "local_quota", "total_quota"):
            if data.get(name) is None and name not in self.errors:
                data[name] = 0
        for name in ("quota_shape", "cap_scope"):
            if not data.get(name) and name not in self.errors:
                data[name] = Project._meta.get_field(name).default
        if not data.get("time_zone") and data.get("host_country"):
            data["time_zone"] = data["host_country"].time_zone
        return data

    def clean_signatory_name(self):
        return clean_person_name(self.cleaned_data["signatory_name"])

    def _post_clean(self):
        # The rules (dates, quotas vs seats taken, host participating, unique code) are checked
        # by services.validate_project, all at once; the model's own clean() is not needed here.
        pass

    def service_kwargs(self):
        data = dict(self.cleaned_data)
        data["topics_by_day"] = text_to_topics(data.pop("topics", ""))
        data.pop("note", None)
        return data


class CloneProjectForm(forms.Form):
    code = forms.CharField(label="Code of the new edition", max_length=40)
    title = forms.CharField(max_length=250, required=False, help_text="Empty: the same title.")
    start_date = forms.DateField(label="New start date", widget=DateInput())
    closing_date = forms.DateField(
        label="New closing date",
        widget=DateInput(),
        required=False,
        help_text="Empty: as many days before the start as in the source.",
    )


class ExtendDeadlineForm(forms.Form):
    closing_date = forms.DateField(label="New closing date", widget=DateInput())
    reason = forms.CharField(label="Reason", required=False, widget=forms.Textarea(attrs={"rows": 2}))


class InvitePersonForm(forms.Form):
    full_name = forms.CharField(label="Full name", max_length=200)
    email = forms.EmailField(label="E-mail address")
    country = forms.ModelChoiceField(queryset=MemberCountry.objects.none(), label="Member country (NPO)")

    def clean_full_name(self):
        return clean_person_name(self.cleaned_data["full_name"])

    def __init__(self, *args, country=None, with_country=True, **kwargs):
        super().__init__(*args, **kwargs)
        if with_country and country is None:
            self.fields["country"].queryset = MemberCountry.objects.active().order_by("name")
        else:
            del self.fields["country"]


class OutboxFilterForm(forms.Form):
    cause = forms.ChoiceField(label="Cause", required=False, choices=[("", "Any cause"), *OutboxCause.choices])
    status = forms.ChoiceField(label="Status", required=False, choices=[("", "Any status"), *OutboxStatus.choices])
    recipient = forms.CharField(label="Recipient", required=False, max_length=254)


class AudienceMessageForm(forms.Form):
    audience = forms.ChoiceField(label="Audience")
    country = forms.ModelChoiceField(
        label="Country",
        required=False,
        queryset=MemberCountry.objects.none(),
        help_text="For the nominees of one country.",
    )
    subject = forms.CharField(label="Subject", max_length=200)
    body = forms.CharField(
        label="Message",
        widget=forms.Textarea(attrs={"rows": 10}),
        help_text="Merge fields, filled for each recipient: {name}, {country}, {project}, {link} (their page in the portal).",
    )

    def __init__(self, *args, project, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["audience"].choices = audiences.choices()
        self.fields["country"].queryset = project.nominating_countries().order_by("name")
