import re

import pytest
from django import forms
from django.urls import reverse

from apopms.models import MemberCountry
from sessions import services
from sessions.forms import ZoneForm
from sessions.models import ResourcePerson, Session
from tests.sessions.programme_helpers import build_programme

pytestmark = pytest.mark.django_db


def _create(client, project, secretariat, name):
    client.force_login(secretariat)
    url = reverse("agenda:speaker_create", kwargs={"code": project.code})
    return client.post(url, {"name": name, "category": "overseas", "biography": ""})


def test_a_resource_persons_name_loses_invisible_and_direction_characters(client, project, secretariat):
    assert _create(client, project, secretariat, "Dr.\u200b \u202eAnura\u200d Kumara").status_code == 302
    assert ResourcePerson.objects.get().name == "Dr. Anura Kumara"


@pytest.mark.parametrize(
    ("name", "message"), [("\u200b\u2066\u2069", "no visible letters"), ("A\u0336\u0336\u0336\u0336", "stacked")]
)
def test_a_blank_or_stacked_resource_person_name_is_refused(client, project, secretariat, name, message):
    response = _create(client, project, secretariat, name)
    assert response.status_code == 200
    assert message in response.context["form"].errors["name"][0]
    assert not ResourcePerson.objects.exists()


def test_a_resource_persons_email_is_optional_and_checked(client, project, secretariat):
    client.force_login(secretariat)
    url = reverse("agenda:speaker_create", kwargs={"code": project.code})
    data = {"name": "Dr. Anura Kumara", "category": "overseas", "biography": ""}
    response = client.post(url, data | {"email": "anura@@example"})
    assert response.status_code == 200
    assert response.context["form"].errors["email"] == ["Enter a valid email address."]
    assert not ResourcePerson.objects.exists()
    assert client.post(url, data | {"email": " anura@speakers.example "}).status_code == 302
    assert client.post(url, {**data, "name": "Ms. Lee"}).status_code == 302
    assert sorted(ResourcePerson.objects.values_list("email", flat=True)) == ["", "anura@speakers.example"]


@pytest.mark.parametrize("end", ["10:00", "09:30"])
def test_a_session_ending_at_or_before_its_start_is_refused_on_the_end_field(client, project, secretariat, end):
    client.force_login(secretariat)
    url = reverse("agenda:session_create", kwargs={"code": project.code})
    data = {"title": "Day 1", "day": project.start_date.isoformat(), "start_time": "10:00", "end_time": end}
    response = client.post(url, data)
    assert response.status_code == 200
    assert response.context["form"].errors["end_time"] == ["The end must be after the start."]
    assert not Session.objects.exists()


@pytest.mark.parametrize("chosen", ["", "Asia/Tokyo", "America/Argentina/Buenos_Aires", "Nowhere/Else"])
def test_the_zone_select_is_the_html_of_a_plain_select_without_a_template_per_option(db, chosen):
    field = ZoneForm(initial={"zone": chosen})["zone"]
    plain = forms.Select(attrs={"class": "form-select"}, choices=field.field.choices)
    expected = plain.render("zone", chosen, attrs={"id": "id_zone"})
    assert re.sub(r">\s+<", "><", str(field)) == re.sub(r">\s+<", "><", expected)
    assert str(field).count(" selected") == (1 if chosen in {"", "Asia/Tokyo", "America/Argentina/Buenos_Aires"} else 0)


def test_the_programme_offers_the_member_countries_zones_and_every_zone_a_click_away(client, project, secretariat):
    build_programme(project, secretariat, days=1)
    services.announce_programme(project=project, actor=secretariat, without_participants=True, notify=False)
    page = reverse("agenda:programme", kwargs={"code": project.code})
    html = client.get(page).content.decode()
    members = MemberCountry.objects.active().count()
    assert html.count("<option ") == 1 + members and 'value="Europe/Berlin"' not in html
    assert 'href="?zones=all#id_zone">Another zone…</a>' in html
    every = client.get(page, {"zones": "all"}).content.decode()
    assert every.count("<option ") > 300 and "Another zone…" not in every
    # Any zone may be chosen, and it stays selected on the short list.
    client.post(reverse("agenda:set_zone"), {"zone": "Europe/Berlin", "next": page})
    html = client.get(page).content.decode()
    assert '<optgroup label="Your choice"><option value="Europe/Berlin" selected>' in html
    assert html.count("<option ") == 2 + members


def test_another_zone_keeps_the_draft_preview(client, project, secretariat):
    build_programme(project, secretariat, days=1)
    services.announce_programme(project=project, actor=secretariat, without_participants=True, notify=False)
    client.force_login(secretariat)
    html = client.get(reverse("agenda:programme", kwargs={"code": project.code}), {"draft": "1"}).content.decode()
    assert 'href="?draft=1&amp;zones=all#id_zone">Another zone…</a>' in html
