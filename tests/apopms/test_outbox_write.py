"""Writing to an audience: preview with merge fields, sending through the outbox, CSV, permissions."""

import pytest
from django.core import mail
from django.urls import reverse

from apopms.enums import OutboxCause, OutboxStatus
from apopms.models import AuditEntry, OutboxMessage
from sessions.models import ResourcePerson
from tests import factories
from tests.certificates.conftest import attendee, finished_project
from tests.permissions import LOGIN, assert_matrix, role_users

pytestmark = pytest.mark.django_db

BODY = "Dear {name} ({country}),\n\nabout {project}: see {link}"


@pytest.fixture
def workshop():
    project = finished_project()
    project.participating_countries.set([factories.country("IN"), factories.country("JP")])
    full = attendee(project, certificate_name="Asha Rao", iso2="IN")
    missed = attendee(project, miss={0}, certificate_name="Yuki Mori", iso2="JP")
    return project, full, missed


def post(client, project, action, **data):
    values = {"audience": "missed_session", "subject": "About {project}", "body": BODY, "action": action}
    return client.post(reverse("outbox_write", kwargs={"code": project.code}), values | data)


def test_the_preview_fills_the_merge_fields_for_each_recipient_and_sends_nothing(client, secretariat, workshop):
    project, _, _ = workshop
    client.force_login(secretariat)
    page = post(client, project, "preview").content.decode()
    assert "Preview: 1 recipient" in page
    assert f"Dear Yuki Mori (Japan),\n\nabout {project.title} ({project.code}): see http" in page
    assert "/my-workshop/" in page and "Asha Rao" not in page
    assert "Send 1 message" in page
    assert OutboxMessage.objects.count() == 0


def test_sending_writes_one_row_per_recipient_through_the_outbox_and_is_audited(
    client, secretariat, workshop, django_capture_on_commit_callbacks
):
    project, full, _ = workshop
    client.force_login(secretariat)
    with django_capture_on_commit_callbacks(execute=True):
        response = post(client, project, "send", audience="attended_all")
    assert response.url == reverse("project_outbox", kwargs={"code": project.code}) + "?cause=message"
    [row] = OutboxMessage.objects.all()
    assert (row.cause, row.recipient, row.status) == (OutboxCause.MESSAGE, full.user.email, OutboxStatus.SENT)
    assert mail.outbox[0].subject == f"About {project.title} ({project.code})"
    assert mail.outbox[0].body.startswith("Dear Asha Rao (India),")
    entry = AuditEntry.objects.get(action="apopms.outbox.audience_written")
    assert (entry.details["audience"], entry.details["recipients"]) == ("attended_all", 1)


def test_an_unknown_merge_field_is_named_on_the_form(client, secretariat, workshop):
    project, _, _ = workshop
    client.force_login(secretariat)
    page = post(client, project, "send", body="Dear {first_name}").content.decode()
    assert "Unknown merge field {first_name}: use {name}, {country}, {project}, {link}." in page
    assert OutboxMessage.objects.count() == 0


def test_the_nominees_of_one_country_need_the_country(client, secretariat, workshop):
    project, _, _ = workshop
    nomination = factories.NominationFactory(project=project, country=factories.country("IN"), submitted=True)
    japanese = factories.NominationFactory(project=project, country=factories.country("JP"), submitted=True)
    client.force_login(secretariat)
    assert (
        "Choose the country of the nominees." in post(client, project, "preview", audience="nominees").content.decode()
    )
    india = factories.country("IN")
    page = post(client, project, "preview", audience="nominees", country=india.pk).content.decode()
    assert nomination.email in page and japanese.email not in page


def test_the_audience_exports_as_csv(client, secretariat, workshop):
    project, _, missed = workshop
    officer = factories.npo_officer("IN", email="officer.in@npo.example")
    client.force_login(secretariat)
    url = reverse("outbox_audience_csv", kwargs={"code": project.code})
    response = client.get(url, {"audience": "missed_session"})
    assert response.content.decode().splitlines() == ["email,name,country", f"{missed.user.email},Yuki Mori,Japan"]
    officers = client.get(url, {"audience": "npo_officers"}).content.decode().splitlines()
    assert officers == ["email,name,country", f"{officer.email},{officer.get_full_name()},India"]


def test_the_resource_persons_with_an_email_are_an_audience_previewed_sent_and_exported(
    client, secretariat, workshop, django_capture_on_commit_callbacks
):
    project, _, _ = workshop
    ResourcePerson.objects.create(
        project=project, name="Dr. Ananya Krishnan", country="Singapore", email="ak@rp.example"
    )
    ResourcePerson.objects.create(project=project, name="Chaminda Wijesinghe", country="Sri Lanka")  # no e-mail
    client.force_login(secretariat)
    page = post(client, project, "preview", audience="resource_persons").content.decode()
    assert "Preview: 1 recipient" in page and "Dear Dr. Ananya Krishnan (Singapore)," in page
    assert reverse("agenda:programme", kwargs={"code": project.code}) in page  # {link}: the programme
    url = reverse("outbox_audience_csv", kwargs={"code": project.code})
    csv_lines = client.get(url, {"audience": "resource_persons"}).content.decode().splitlines()
    assert csv_lines == ["email,name,country", "ak@rp.example,Dr. Ananya Krishnan,Singapore"]
    with django_capture_on_commit_callbacks(execute=True):
        post(client, project, "send", audience="resource_persons")
    [row] = OutboxMessage.objects.all()
    assert (row.cause, row.recipient, row.status) == (OutboxCause.MESSAGE, "ak@rp.example", OutboxStatus.SENT)
    assert mail.outbox[0].body.startswith("Dear Dr. Ananya Krishnan (Singapore),")


@pytest.mark.parametrize("url_name", ["outbox_write", "outbox_audience_csv"])
def test_only_the_secretariat_writes_to_an_audience(client, url_name):
    project = finished_project()
    users = role_users(project)
    url = reverse(url_name, kwargs={"code": project.code}) + "?audience=selected"
    assert_matrix(client, url, users, dict.fromkeys(users, 403) | {"anonymous": LOGIN, "secretariat": 200})
