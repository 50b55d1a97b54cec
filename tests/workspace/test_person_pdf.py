"""A person's data looked up without the e-mail in any address, and as a readable PDF made by the worker."""

import datetime
import subprocess

import pytest
import time_machine
from django.core.cache import cache
from django.core.files.storage import default_storage
from django.urls import reverse
from django.utils import timezone

from apopms.models import AuditEntry
from sessions.models import ProgrammeVersion
from tests import factories
from tests.permissions import LOGIN, assert_matrix, role_users
from workspace import person_pdf
from workspace.tasks import apply_retention

from .test_personal_data import EMAIL, NAME, participant  # noqa: F401 - the fixture

pytestmark = pytest.mark.django_db


def _pdf_text(content, tmp_path):
    path = tmp_path / "person.pdf"
    path.write_bytes(content)
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True).stdout


def test_the_look_up_is_a_post_and_no_address_carries_the_e_mail(client):
    factories.ParticipantFactory(nomination__email=EMAIL)
    secretariat = factories.secretariat_user()
    client.force_login(secretariat)
    url = reverse("workspace:person_data")

    page = client.get(url, {"email": EMAIL})  # an old bookmark: nothing is exported from an address
    form = page.content.decode()
    json_answer = client.post(url, {"email": EMAIL, "format": "json"})
    pdf_answer = client.post(url, {"email": EMAIL, "format": "pdf"})

    assert page.status_code == 200 and page.get("Content-Disposition") is None
    assert 'method="post"' in form and 'id="person-lookup"' in form
    assert json_answer["Content-Disposition"] == 'attachment; filename="personal-data.json"'
    assert pdf_answer.status_code == 302
    assert EMAIL not in pdf_answer["Location"] and "email" not in pdf_answer["Location"]
    exports = AuditEntry.objects.filter(action="workspace.person.data_exported", actor=secretariat)
    assert sorted(e.details["format"] for e in exports) == ["json", "pdf"]


@pytest.mark.poppler
def test_the_secretariat_gets_a_readable_pdf_of_the_persons_values_made_by_the_worker(
    client,
    participant,  # noqa: F811
    tmp_path,
    django_capture_on_commit_callbacks,
):
    secretariat = factories.secretariat_user()
    client.force_login(secretariat)

    with django_capture_on_commit_callbacks(execute=True):  # the task, eager: as the worker would
        asked = client.post(reverse("workspace:person_data"), {"email": EMAIL, "format": "pdf"})
    waiting = client.get(asked["Location"])
    token = asked["Location"].rstrip("/").rsplit("/", 1)[-1]
    download = client.get(reverse("workspace:person_data_pdf_file", args=[token]))

    assert "The PDF is ready" in waiting.content.decode()
    assert EMAIL not in str(cache.get(f"workspace:person-pdf:{token}"))  # the e-mail went with the rendering
    assert download["Content-Type"] == "application/pdf"
    text = _pdf_text(download.content, tmp_path)
    for value in (EMAIL, NAME, "+81 3 1234 5678", "1986-02-03", "Aiko CV.pdf", "font missing"):
        assert value in text, value
    entry = AuditEntry.objects.get(action="workspace.person.data_exported")
    assert (entry.actor, entry.details["email"], entry.details["format"], entry.details["scope"]) == (
        secretariat,
        EMAIL,
        "pdf",
        "secretariat",
    )
    # Only the person who asked may see the page or download the file.
    client.force_login(factories.secretariat_user())
    assert client.get(asked["Location"]).status_code == 404
    assert client.get(reverse("workspace:person_data_pdf_file", args=[token])).status_code == 404


@pytest.mark.poppler
def test_a_participant_prepares_their_own_pdf_from_my_workshop(
    client,
    participant,  # noqa: F811
    tmp_path,
    django_capture_on_commit_callbacks,
):
    ProgrammeVersion.objects.all().delete()  # the fixture's stands for a name only, not a whole programme
    client.force_login(participant.user)

    page = client.get(reverse("agenda:my_workshop")).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        asked = client.post(reverse("workspace:my_data"))
    token = asked["Location"].rstrip("/").rsplit("/", 1)[-1]
    download = client.get(reverse("workspace:person_data_pdf_file", args=[token]))

    assert "Prepare your data as a readable PDF" in page
    text = _pdf_text(download.content, tmp_path)
    assert NAME in text and participant.user.email in text
    entry = AuditEntry.objects.get(action="workspace.person.data_exported")
    assert (entry.actor, entry.details["scope"], entry.details["format"]) == (participant.user, "own", "pdf")


def test_the_pdf_is_kept_a_day_then_deleted_by_the_daily_run(client, django_capture_on_commit_callbacks):
    factories.ParticipantFactory(nomination__email=EMAIL)
    client.force_login(factories.secretariat_user())
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("workspace:person_data"), {"email": EMAIL, "format": "pdf"})
    assert len(default_storage.listdir(person_pdf.FOLDER)[1]) == 1

    apply_retention()  # the same day: kept
    kept = default_storage.listdir(person_pdf.FOLDER)[1]
    with time_machine.travel(timezone.now() + datetime.timedelta(days=1, minutes=1)):
        apply_retention()

    assert len(kept) == 1
    assert default_storage.listdir(person_pdf.FOLDER)[1] == []


def test_only_whoever_asked_opens_the_waiting_page_and_the_file(client, django_capture_on_commit_callbacks):
    project = factories.ProjectFactory()
    users = role_users(project)
    client.force_login(users["participant"])
    with django_capture_on_commit_callbacks(execute=True):
        asked = client.post(reverse("workspace:my_data"))
    token = asked["Location"].rstrip("/").rsplit("/", 1)[-1]
    nobody_else = dict.fromkeys(("own_npo", "other_npo", "host_npo", "implementer", "secretariat"), 404)
    expected = nobody_else | {"anonymous": LOGIN, "participant": 200}

    assert_matrix(client, reverse("workspace:person_data_pdf", args=[token]), users, expected)
    assert_matrix(client, reverse("workspace:person_data_pdf_file", args=[token]), users, expected)
    others = dict.fromkeys(("own_npo", "other_npo", "host_npo", "implementer", "secretariat"), 403)
    assert_matrix(
        client, reverse("workspace:my_data"), users, others | {"anonymous": LOGIN, "participant": 302}, method="post"
    )


def test_long_values_are_set_in_short_lines_so_the_pdf_stays_quick_to_make():
    # A programme's snapshot or an e-mail's HTML is one long value: left to the layout to break,
    # it took a worker a minute to set; cut into lines, under a second.
    data = {
        "email": EMAIL,
        "generated_at": timezone.now(),
        "records": {"agenda.ProgrammeVersion": [{"id": "1", "snapshot": {"participants": [NAME] * 400}}]},
    }

    [section] = person_pdf.pdf_context(data)["sections"]

    [text] = [value for field, value in section["rows"][0] if field.lower() != "id"]
    assert NAME in text and text.count("\n") > 50
    assert max(len(line) for line in text.splitlines()) <= person_pdf.WIDTH
