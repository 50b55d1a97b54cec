"""Shared arrangements of the project tests."""

import datetime

from django.urls import reverse


def edit_page_data(client, project):
    """What the edit page posts when nothing is changed (the form filled as shown)."""
    page = client.get(reverse("project_edit", kwargs={"code": project.code}))
    assert page.status_code == 200
    form = page.context["form"]
    data = {}
    for name, field in form.fields.items():
        value = form.initial.get(name, field.initial)
        if name == "participating_countries":
            value = [c.pk for c in value]
        elif hasattr(value, "pk"):
            value = value.pk
        elif isinstance(value, datetime.date):
            value = value.isoformat()
        data[name] = "" if value is None else value
    return data
