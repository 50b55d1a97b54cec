"""A person's data (workspace.personal_data): complete against apopms.privacy, audited, and only for its owner."""

import datetime
import io
import json

import pytest
import time_machine
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.urls import reverse

from apopms import audit, privacy
from apopms.demo import SEED_CODE
from apopms.models import AuditEntry, OutboxMessage
from certificates.models import Certificate, IssueBatch, IssueFailure
from nominations.models import NominationImport, Participant
from reports.models import ReportVersion
from sessions import services as agenda
from sessions.models import Attendance, AttendanceImport, ProgrammeVersion, ReportMapping, ResourcePerson
from tests import factories
from tests.evaluations.helpers import answer, questionnaire
from tests.permissions import LOGIN, assert_matrix, role_users
from tests.sessions.programme_helpers import build_programme, publish_selection
from workspace import personal_data

pytestmark = pytest.mark.django_db

EMAIL = "aiko.tanaka@soumu.go.jp"
NAME = "Aiko Tanaka"


@pytest.fixture
def participant():
    """A participant of a seed-like workshop, with a row in every model that can hold something about her."""
    participant = factories.ParticipantFactory(
        nomination__certificate_name=NAME, nomination__email=EMAIL, nomination__country=factories.country("JP")
    )
    nomination, project = participant.nomination, participant.project
    nomination.cv.save("cv.pdf", ContentFile(b"%PDF cv"), save=False)
    nomination.cv_original_name, nomination.phone = "Aiko CV.pdf", "+81 3 1234 5678"
    nomination.date_of_birth = datetime.date(1986, 2, 3)
    nomination.save()
    session = factories.SessionFactory(project=project)
    factories.AttendanceFactory(participant=participant, session=session, intervals=[[0, 3600]])
    AttendanceImport.objects.create(
        session=session, file_hash="0" * 64, time_zone="Asia/Tokyo", rows=[{"name": NAME, "email": EMAIL}]
    )
    ReportMapping.objects.create(project=project, key=EMAIL, label=NAME, participant=participant)
    NominationImport.objects.create(project=project, country=participant.country, rows=[{"data": {"email": EMAIL}}])
    ResourcePerson.objects.create(project=project, name=NAME, email=EMAIL, category="local")
    ProgrammeVersion.objects.create(project=project, number=1, snapshot={"participants": [NAME]})
    OutboxMessage.objects.create(project=project, cause="test", recipient=EMAIL, recipient_name=NAME, subject="Hello")
    Certificate.objects.create(
        participant=participant,
        project=project,
        serial=1,
        number=f"{project.code}-0001",
        verification_code="code-1",
        snapshot={"certificate_name": NAME},
        pdf=ContentFile(b"%PDF", name="c.pdf"),
    )
    ReportVersion.objects.create(
        project=project, number=1, include_participants=True, pdf=ContentFile(b"%PDF", name="report.pdf")
    )
    batch = IssueBatch.objects.create(project=project)
    IssueFailure.objects.create(batch=batch, participant=participant, reason="font missing")
    audit.record("nominations.nomination.submitted", target=nomination)
    questionnaire(project, ("rating", "Overall?"), ("choice", "Length?", ["Short", "Right"]), ("text", "Apply?"))
    answer(participant, [4, "Right", "Kaizen in my division"])
    return participant


def test_the_export_holds_every_declared_personal_field_of_every_model(client, participant):
    client.force_login(factories.secretariat_user())

    response = client.post(reverse("workspace:person_data"), {"email": EMAIL.upper(), "format": "json"})

    assert response["Content-Disposition"] == 'attachment; filename="personal-data.json"'
    records = json.loads(response.content)["records"]
    missing = [
        f"{label}.{field}"
        for label, fields in privacy.PERSONAL_FIELDS.items()
        if fields
        for field in fields
        if not records.get(label) or field not in records[label][0]
    ]
    assert missing == []
    assert records["nominations.Nomination"][0]["phone"] == "+81 3 1234 5678"
    assert records["agenda.Attendance"][0]["intervals"] == [[0, 3600]]


def test_a_participant_downloads_their_own_data_and_it_is_audited(client, participant):
    ProgrammeVersion.objects.all().delete()  # the fixture's stands for a name only, not a whole programme
    client.force_login(participant.user)

    with time_machine.travel(datetime.datetime(2026, 6, 1, tzinfo=datetime.UTC), tick=False):
        page = client.get(reverse("agenda:my_workshop")).content.decode()
        response = client.get(reverse("workspace:my_data"))

    assert reverse("workspace:my_data") in page
    data = json.loads(response.content)
    assert data["email"] == participant.user.email
    assert data["records"]["nominations.Participant"][0]["certificate_name"] == NAME
    entry = AuditEntry.objects.get(action="workspace.person.data_exported")
    assert (entry.actor, entry.details["scope"], entry.details["email"]) == (participant.user, "own", EMAIL)


def test_only_the_secretariat_looks_up_a_person_and_only_participants_download_their_own(client):
    project = factories.ProjectFactory()
    users = role_users(project)
    others = dict.fromkeys(("own_npo", "other_npo", "host_npo", "implementer"), 403) | {"anonymous": LOGIN}

    assert_matrix(client, reverse("workspace:person_data"), users, others | {"participant": 403, "secretariat": 200})
    lookup = {"email": users["participant"].email, "format": "json"}
    assert_matrix(
        client,
        reverse("workspace:person_data"),
        users,
        others | {"participant": 403, "secretariat": 200},
        method="post",
        data=lookup,
    )
    assert_matrix(client, reverse("workspace:my_data"), users, others | {"participant": 200, "secretariat": 403})


def test_a_seed_workshop_participants_own_export_holds_every_declared_field_of_every_row_about_them(client):
    call_command("demo", stdout=io.StringIO())
    participant = Participant.objects.get(project__code=SEED_CODE, user__email="rafiqul.islam@bd.gov.example")
    client.force_login(participant.user)

    records = json.loads(client.get(reverse("workspace:my_data")).content)["records"]

    about_them = {
        "apopms.User": participant.user,
        "nominations.Nomination": participant.nomination,
        "nominations.Participant": participant,
        "agenda.Attendance": Attendance.objects.filter(participant=participant).first(),
        "certificates.Certificate": Certificate.objects.filter(participant=participant).first(),
        "apopms.OutboxMessage": OutboxMessage.objects.filter(recipient__iexact=participant.user.email).first(),
    }
    assert [label for label, row in about_them.items() if row is None] == []
    assert [label for label in about_them if label not in records] == []
    incomplete = [
        f"{label}.{field}"
        for label, rows in records.items()
        for field in privacy.personal_fields(label)
        if any(field not in row for row in rows)
    ]
    assert incomplete == []
    assert records["nominations.Nomination"][0]["email"] == "rafiqul.islam@bd.gov.example"
    assert len(records["agenda.Attendance"]) == participant.project.sessions.count()


def test_a_participants_export_holds_their_own_entry_of_the_programme_not_the_others(secretariat):
    project = factories.ProjectFactory()
    build_programme(project, secretariat, days=1)
    first, second = publish_selection(project, countries=("IN", "JP"))
    agenda.announce_programme(project=project, actor=secretariat, notify=False)

    versions = personal_data.person_data(first.user.email)["records"]["agenda.ProgrammeVersion"]

    assert [v["snapshot"]["participants"] for v in versions] == [[{"name": first.certificate_name, "country": "India"}]]
    assert versions[0]["snapshot"]["sessions"]  # the programme around the entry stays
    assert second.certificate_name not in json.dumps(versions)
