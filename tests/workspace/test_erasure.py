"""Erasure on request (workspace.erasure): the Secretariat confirms, the person's data goes everywhere,
certificates stay unless asked, and it is audited."""

import pytest
from django.core.files.storage import default_storage
from django.urls import reverse

from apopms import confirm, privacy
from apopms.models import AuditEntry, OutboxMessage
from certificates.models import Certificate
from nominations.models import Nomination
from sessions.models import Attendance, ReportMapping, ResourcePerson
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
