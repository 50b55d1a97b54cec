"""Erasure on request (workspace.erasure): the Secretariat confirms, the person's data goes everywhere,
certificates stay unless asked, and it is audited."""

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.urls import reverse

from apopms import audit, confirm, privacy
from apopms.models import AuditEntry, OutboxMessage
from certificates.models import Certificate
from nominations.models import Nomination, NominationImport
from sessions.models import Attendance, AttendanceImport, ReportMapping, ResourcePerson
from tests import factories
from tests.permissions import LOGIN, assert_matrix, role_users

from .test_personal_data import EMAIL, NAME, participant  # noqa: F401 - the fixture

pytestmark = pytest.mark.django_db


def _erase(client, secretariat, **data):
    client.force_login(secretariat)
    url = reverse("workspace:person_erase")
    asked = client.post(url, {"email": EMAIL, **data})
    request = asked.wsgi_request
    token = confirm.token(request, url)
    return asked, client.post(url, {"email": EMAIL, confirm.FIELD: token, **data})


def test_erasure_asks_first_then_erases_everywhere_but_keeps_the_certificate(
    client,
    participant,  # noqa: F811
    django_capture_on_commit_callbacks,
):
    secretariat = factories.secretariat_user()
    cv_name = participant.nomination.cv.name

    with django_capture_on_commit_callbacks(execute=True):
        asked, done = _erase(client, secretariat)

    assert asked.status_code == 200 and "This cannot be undone" in asked.content.decode()
    assert done.status_code == 302
    nomination = Nomination.objects.get(pk=participant.nomination_id)
    assert (nomination.email, nomination.phone, nomination.date_of_birth, nomination.cv.name) == (
        privacy.erased_email(nomination.pk),
        "",
        None,
        "",
    )
    assert not default_storage.exists(cv_name)
    assert (nomination.country.iso2, nomination.gender, nomination.organization_type) == ("JP", "female", "ministry")
    assert nomination.certificate_name == NAME  # the certificate it names stays valid
    certificate = Certificate.objects.get(participant=participant)
    assert certificate.revoked_at is None
    assert Attendance.objects.get(participant=participant).intervals == []
    assert not ReportMapping.objects.exists()
    assert ResourcePerson.objects.get().email == ""
    assert OutboxMessage.objects.get().recipient != EMAIL
    user = participant.user
    user.refresh_from_db()
    assert (user.is_active, user.has_usable_password(), EMAIL in user.email) == (False, False, False)
    entry = AuditEntry.objects.get(action="workspace.person.erased")
    assert (entry.actor, entry.details["nominations"], entry.details["certificates_revoked"]) == (secretariat, 1, 0)
    assert not AuditEntry.objects.filter(details__icontains=EMAIL).exists()


def test_certificates_are_revoked_only_when_the_person_asks(client, participant):  # noqa: F811
    _erase(client, factories.secretariat_user(), revoke_certificates="on")

    certificate = Certificate.objects.get(participant=participant)
    assert certificate.revocation_reason == "erased on request"
    assert Nomination.objects.get(pk=participant.nomination_id).certificate_name == privacy.pseudonym(
        participant.nomination_id
    )


def test_only_the_secretariat_erases(client):
    project = factories.ProjectFactory()
    users = role_users(project)
    expected = dict.fromkeys(("own_npo", "other_npo", "host_npo", "implementer", "participant"), 403) | {
        "anonymous": LOGIN,
        "secretariat": 200,  # the confirmation page
    }

    assert_matrix(client, reverse("workspace:person_erase"), users, expected, method="post", data={"email": EMAIL})


def test_erasure_clears_the_persons_report_rows_and_name_mappings_however_the_report_wrote_them(
    client,
    participant,  # noqa: F811
):
    project = participant.project
    session = Attendance.objects.get(participant=participant).session
    other = factories.ParticipantFactory(nomination__project=project, nomination__certificate_name="Kenji Sato")
    report = AttendanceImport.objects.get(session=session)
    row = {"join": "2026-06-01T09:00:00", "leave": "2026-06-01T12:00:00", "guest": False, "waiting_room": False}
    report.rows = [
        {**row, "line": 2, "name": "Aiko T.", "email": EMAIL.upper(), "alt_names": []},
        {**row, "line": 3, "name": "aiko  TANAKA", "email": "", "alt_names": []},  # her tablet, no e-mail
        {**row, "line": 4, "name": "iPad", "email": "", "alt_names": ["Aiko Tanaka"]},
        {**row, "line": 5, "name": "Kenji Sato", "email": "kenji@example.org", "alt_names": []},
        {**row, "line": 6, "name": "Room 3 guest", "email": "", "alt_names": []},
    ]
    AttendanceImport.objects.filter(pk=report.pk).update(rows=report.rows)
    ReportMapping.objects.all().delete()
    for key, label, whom in (
        (f"email:{EMAIL}", "Aiko T.", participant),
        ("name:aiko tanaka", "aiko  TANAKA", None),  # once marked a guest by hand
        ("name:kenji sato", "Kenji Sato", other),
        ("name:room 3 guest", "Room 3 guest", None),
    ):
        ReportMapping.objects.create(project=project, key=key, label=label, participant=whom, ignored=whom is None)

    _erase(client, factories.secretariat_user())

    report.refresh_from_db()
    assert [r["line"] for r in report.rows] == [5, 6]
    assert sorted(ReportMapping.objects.values_list("key", flat=True)) == ["name:kenji sato", "name:room 3 guest"]
    entry = AuditEntry.objects.get(action="workspace.person.erased")
    assert (entry.details["import_rows"], entry.details["report_mappings"]) == (3, 2)


def test_erasure_pseudonymises_the_persons_name_in_audit_entries_whatever_its_case_and_spacing(
    client,
    participant,  # noqa: F811
):
    project = participant.project
    written = [
        audit.record("nominations.nomination.updated", target=project, note="Call aiko  TANAKA back"),
        audit.record("nominations.nomination.updated", target=project, people=["AIKO TANAKA", "Kenji Sato"]),
    ]

    _erase(client, factories.secretariat_user(), revoke_certificates="on")

    pseudonym = privacy.pseudonym(participant.nomination_id)
    first, second = (AuditEntry.objects.get(pk=e.pk) for e in written)
    assert first.details["note"] == f"Call {pseudonym} back"
    assert second.details["people"] == [pseudonym, "Kenji Sato"]
    assert not AuditEntry.objects.filter(details__icontains="tanaka").exists()


def test_erasure_removes_the_persons_rows_from_nomination_imports_and_deletes_their_files(
    client,
    participant,  # noqa: F811
    django_capture_on_commit_callbacks,
):
    upload = NominationImport.objects.get()
    upload.file.save("sheet.csv", ContentFile(f"E-mail\n{EMAIL}\nkenji@example.org\n".encode()), save=False)
    upload.rows = [{"line": 2, "data": {"email": EMAIL.upper()}}, {"line": 3, "data": {"email": "kenji@example.org"}}]
    upload.save()
    stored = upload.file.name

    with django_capture_on_commit_callbacks(execute=True):
        _erase(client, factories.secretariat_user())

    upload.refresh_from_db()
    assert [r["line"] for r in upload.rows] == [3]
    assert (upload.file.name, default_storage.exists(stored)) == ("", False)
    entry = AuditEntry.objects.get(action="workspace.person.erased")
    assert (entry.details["nomination_import_rows"], entry.details["import_files"]) == (1, 1)
