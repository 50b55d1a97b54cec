"""A new project from its notification's text: paste, review the fields read from it, save.

Nothing is created until the reviewed form is saved through the same service as "New project".
The text travels with the form (a hidden field) so that each field still shows the line it came
from when the form comes back with an error.
"""

from django import forms
from django.shortcuts import redirect, render
from django.utils.html import format_html

from ..enums import CapScope
from ..forms import ProjectForm, topics_to_text
from ..models import MemberCountry
from ..notification_text import FIELDS, parse_notification
from ..permissions import secretariat_required
from .projects import create_from_form

MAX_TEXT = 100_000  # characters: a notification is a few pages


class NotificationTextForm(forms.Form):
    notification_text = forms.CharField(
        label="The notification's text",
        max_length=MAX_TEXT,
        widget=forms.Textarea(attrs={"rows": 16, "spellcheck": "false"}),
        help_text="Select all the text of the notification's PDF, copy it, and paste it here.",
    )


def draft_initial(draft):
    """The project form's initial data for the fields `draft` found: {form field: value}."""
    found = {name: item.value for name, item in draft.found.items()}
    initial = {
        name: found[name]
        for name in ("code", "title", "venue", "modality", "start_date", "end_date", "closing_date")
        if name in found
    }
    initial |= {name: found[name] for name in ("qualifications", "objectives", "background") if name in found}
    for name in ("overseas_quota", "local_quota", "total_quota", "per_country_cap", "quota_shape"):
        if name in found:
            initial[name] = found[name]
    if "pn_issue_date" in found:
        initial["notification_date"] = found["pn_issue_date"]
    if found.get("quota_up_to"):
        initial["quotas_up_to"] = True
    if found.get("cap_applies_to_all"):
        initial["cap_scope"] = CapScope.EVERYONE
    if "implementing_organizations" in found:
        initial["implementing_organizations"] = "\n".join(found["implementing_organizations"])
    if "topics_by_day" in found:
        initial["topics"] = topics_to_text(found["topics_by_day"])
    countries = {country.iso2: country for country in MemberCountry.objects.all()}
    host = countries.get(found.get("host_country"))
    if host:
        initial["host_country"] = host.pk
        initial["time_zone"] = host.time_zone
    invited = found.get("participating_countries")
    if invited == "all":
        initial["participating_countries"] = [c.pk for c in countries.values() if c.active]
    elif invited:
        initial["participating_countries"] = [countries[iso2].pk for iso2 in invited if iso2 in countries]
    return initial


# Draft fields shown on the form under another name.
FORM_FIELD = {
    "topics_by_day": "topics",
    "pn_issue_date": "notification_date",
    "quota_up_to": "quotas_up_to",
    "cap_applies_to_all": "cap_scope",
}


def annotate(form, draft):
    """Under each field filled from the text, the line it came from."""
    for name, item in draft.found.items():
        field = form.fields.get(FORM_FIELD.get(name, name))
        if field is None:
            continue
        field.help_text = format_html(
            '{}<span class="d-block text-success-emphasis">Read from line {}: “{}”</span>',
            field.help_text,
            item.number,
            item.line,
        )


def not_applied(form, draft):
    """Fields the text gave that the form has no place for (shown beside the form, never lost)."""
    return [
        (FIELDS[name], item)
        for name, item in draft.found.items()
        if FORM_FIELD.get(name, name) not in form.fields and name != "change_history"
    ]


@secretariat_required
def project_from_notification(request):
    """Step 1, paste the text; step 2, review the draft project read from it and save it."""
    text_form = NotificationTextForm(request.POST or None)
    if request.method != "POST" or not text_form.is_valid():
        return render(request, "apopms/project_from_notification.html", {"text_form": text_form})

    draft = parse_notification(text_form.cleaned_data["notification_text"])
    if "save" in request.POST:
        form = ProjectForm(request.POST)
        annotate(form, draft)  # before validation, which binds each field with its help text
        if form.is_valid() and (project := create_from_form(request, form, how=" from its notification")):
            return redirect("project_manage", code=project.code)
    else:
        form = ProjectForm(initial=draft_initial(draft))
        annotate(form, draft)
    return render(
        request,
        "apopms/project_from_notification.html",
        {
            "text_form": text_form,
            "form": form,
            "draft": draft,
            "missing": [FIELDS[name] for name in draft.missing],
            "problems": [(FIELDS[name], message, number) for name, message, number in draft.problems],
            "not_applied": not_applied(form, draft),
            "change_history": draft.found.get("change_history"),
        },
    )
