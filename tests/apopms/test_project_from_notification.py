"""A new project from its pasted notification: read, review with each field's line, save; nothing before."""

import datetime
from pathlib import Path

import pytest
import time_machine
from django.urls import reverse

from apopms.models import AuditEntry, MemberCountry, Project
from apopms.views.notification import MAX_TEXT
from tests import factories
from tests.permissions import LOGIN, assert_matrix, role_users

pytestmark = pytest.mark.django_db

URL = reverse("project_from_notification")
TEXTS = Path(__file__).parent / "notifications"
SEED = (TEXTS / "seed_22_psp_dmc.txt").read_text(encoding="utf-8")
REVISED = (TEXTS / "revised_22_ag_03_ge_wsp_a.txt").read_text(encoding="utf-8")


def review_data(page):
    """What the review form posts when saved as shown."""
    form = page.context["form"]
    data = {"notification_text": page.context["text_form"].cleaned_data["notification_text"], "save": ""}
    for name, field in form.fields.items():
        value = form.initial.get(name, field.initial)
        if isinstance(value, datetime.date):
            value = value.isoformat()
        elif hasattr(value, "pk"):
            value = value.pk
        data[name] = "" if value is None else value
    return data


def test_only_the_secretariat_creates_projects_from_a_notification(client):
    project = factories.ProjectFactory()
    users = role_users(project)
    expected = dict.fromkeys(users, 403) | {"anonymous": LOGIN, "secretariat": 200}
    assert_matrix(client, URL, users, expected)
    assert_matrix(client, URL, users, expected, method="post")


def test_the_project_list_and_the_new_project_form_lead_to_it(client, secretariat):
    client.force_login(secretariat)
    assert URL in client.get(reverse("project_list")).content.decode()
    assert URL in client.get(reverse("project_create")).content.decode()


def test_reading_fills_the_form_shows_each_line_and_creates_nothing(client, secretariat):
    client.force_login(secretariat)
    page = client.post(URL, {"notification_text": SEED, "read": ""})

    assert page.status_code == 200
    initial = page.context["form"].initial
    assert initial["title"] == "Productivity of the Public Sector"
    assert initial["start_date"] == datetime.date(2022, 8, 24)
    assert initial["closing_date"] == datetime.date(2022, 8, 3)
    assert initial["host_country"] == MemberCountry.objects.get(iso2="LK").pk
    assert initial["time_zone"] == "Asia/Colombo"
    assert initial["overseas_quota"] == 38 and initial["local_quota"] == 12
    assert initial["implementing_organizations"] == "National Productivity Secretariat, Sri Lanka\nAPO Secretariat"
    assert len(initial["participating_countries"]) == MemberCountry.objects.filter(active=True).count()
    html = page.content.decode()
    assert "Read from line 5: “24-26 August 2022 (three days)”" in html
    assert "Not recognised, to fill in by hand: Project code." in html
    assert not Project.objects.exists()


@time_machine.travel(datetime.datetime(2022, 7, 1, tzinfo=datetime.UTC), tick=False)
def test_the_reviewed_draft_is_saved_with_a_corrected_field(client, secretariat):
    client.force_login(secretariat)
    page = client.post(URL, {"notification_text": SEED, "read": ""})
    data = review_data(page) | {"code": "22-PSP-DMC-X", "title": "Productivity of the Public Sector (pilot)"}

    response = client.post(URL, data)

    project = Project.objects.get(code="22-PSP-DMC-X")
    assert response.status_code == 302 and response.url == reverse("project_manage", args=[project.code])
    assert project.title == "Productivity of the Public Sector (pilot)"
    assert (project.start_date, project.end_date) == (datetime.date(2022, 8, 24), datetime.date(2022, 8, 26))
    assert project.closing_date == datetime.date(2022, 8, 3)
    assert project.host_country.iso2 == "LK" and project.time_zone == "Asia/Colombo"
    assert project.topics_by_day[1] == [
        "Performance management systems and productivity in the public sector",
        "Challenges in performance management systems during and after the pandemic",
    ]
    assert AuditEntry.objects.filter(action="apopms.project.created", project=project).exists()


def test_a_rejected_save_keeps_the_lines_and_creates_nothing(client, secretariat):
    client.force_login(secretariat)
    page = client.post(URL, {"notification_text": REVISED, "read": ""})
    data = review_data(page) | {"end_date": "2022-12-01"}  # before the start

    response = client.post(URL, data)

    assert response.status_code == 200
    assert "end_date" in response.context["form"].errors
    assert "Read from line 16: “Closing Date for Nominations 4 November 2022”" in response.content.decode()
    assert not Project.objects.exists()


def test_the_change_history_of_a_revised_notification_is_shown_for_reference(client, secretariat):
    client.force_login(secretariat)
    html = client.post(URL, {"notification_text": REVISED, "read": ""}).content.decode()
    assert "Change history in the notification" in html
    assert "18 October 2022 Closing Date for Nominations From 21 October 2022 to 4 November 2022" in html


def test_hostile_text_is_shown_as_text_and_an_oversized_paste_is_refused(client, secretariat):
    client.force_login(secretariat)
    page = client.post(
        URL, {"notification_text": "Title: <script>alert(1)</script> Workshop\nVenue: Colombo, Sri Lanka", "read": ""}
    )
    html = page.content.decode()
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt; Workshop" in html

    page = client.post(URL, {"notification_text": "x" * (MAX_TEXT + 1), "read": ""})
    assert "notification_text" in page.context["text_form"].errors
    assert "draft" not in page.context


@time_machine.travel(datetime.datetime(2020, 3, 1, tzinfo=datetime.UTC), tick=False)
def test_one_total_with_a_cap_for_everyone_is_read_into_the_quota_shape(client, secretariat):
    client.force_login(secretariat)
    text = (TEXTS / "real_20_rp_02_ge_spw_a.txt").read_text(encoding="utf-8")
    page = client.post(URL, {"notification_text": text, "read": ""})
    initial = page.context["form"].initial
    assert initial["quota_shape"] == "total" and initial["total_quota"] == 38
    assert initial["quotas_up_to"] is True
    assert (initial["per_country_cap"], initial["cap_scope"]) == (2, "everyone")
    assert initial["notification_date"] == datetime.date(2020, 2, 17)
    assert "Read from line 20: “Up to 38 participants from APO member countries" in page.content.decode()

    data = review_data(page) | {"modality": "in_person", "time_zone": "Asia/Tokyo"}
    response = client.post(URL, data)

    project = Project.objects.get(code="20-RP-02-GE-SPW-A")
    assert response.status_code == 302
    assert (project.quota_shape, project.total_quota, project.quotas_up_to) == ("total", 38, True)
    assert (project.per_country_cap, project.cap_scope) == (2, "everyone")
    assert project.notification_date == datetime.date(2020, 2, 17)
    assert project.host_country.iso2 == "JP" and project.venue == "Tokyo, Japan"
