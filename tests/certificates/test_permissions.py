"""Who may issue, revoke, correct and download: the predicates, and every service refusing the others."""

import datetime

import pytest
import time_machine
from django.core.exceptions import PermissionDenied

from certificates import permissions, selectors, services
from certificates.models import Certificate, IssueBatch, IssueFailure
from certificates.tasks import issue_one
from tests import factories

from .conftest import attendee, finished_project

pytestmark = pytest.mark.django_db


@pytest.fixture
def not_secretariat(done_project):
    """Every signed-in role that is not the Secretariat's."""
    return {
        "own_npo": factories.npo_officer("IN"),
        "implementer": factories.implementer(done_project),
        "participant": attendee(done_project).user,
    }


def test_only_the_secretariat_and_the_system_may_issue(done_project, secretariat, not_secretariat):
    assert permissions.can_issue(secretariat, done_project)
    assert permissions.can_issue(None, done_project)  # a worker finishing a batch, the demo loader
    assert not [role for role, user in not_secretariat.items() if permissions.can_issue(user, done_project)]


@pytest.mark.parametrize("role", ["own_npo", "implementer", "participant"])
def test_issuing_services_refuse_anyone_but_the_secretariat(done_project, secretariat, not_secretariat, role):
    actor = not_secretariat[role]
    participant = attendee(done_project)
    with pytest.raises(PermissionDenied, match="Only the APO Secretariat may issue"):
        services.issue_certificate(participant=participant, actor=actor)
    with pytest.raises(PermissionDenied, match="Only the APO Secretariat may issue"):
        services.start_issuing(project=done_project, actor=actor)
    batch = IssueBatch.objects.create(project=done_project)
    with pytest.raises(PermissionDenied, match="Only the APO Secretariat may issue"):
        services.retry_failures(batch=batch, actor=actor)
    with pytest.raises(PermissionDenied, match="Only the APO Secretariat may correct"):
        services.correct_certificate_name(participant=participant, actor=actor, certificate_name="Other Name")
    assert not Certificate.objects.exists()
    participant.refresh_from_db()
    assert participant.certificate_name != "Other Name"


@pytest.mark.parametrize("role", ["own_npo", "implementer", "participant"])
def test_revoking_refuses_anyone_but_the_secretariat(done_project, secretariat, not_secretariat, role):
    certificate = services.issue_certificate(participant=attendee(done_project), actor=secretariat)
    for revoke in (services.revoke_certificate, services.reissue_certificate):
        with pytest.raises(PermissionDenied, match="Only the APO Secretariat may revoke"):
            revoke(certificate=certificate, actor=not_secretariat[role], reason="Misspelt")
    assert list(Certificate.objects.values_list("revoked_at", flat=True)) == [None]


def test_the_system_may_issue_but_never_revoke(done_project):
    certificate = services.issue_certificate(participant=attendee(done_project), actor=None)
    assert certificate.issued_by is None
    with pytest.raises(PermissionDenied):
        services.revoke_certificate(certificate=certificate, actor=None, reason="Misspelt")


def test_a_batch_started_by_someone_who_lost_the_role_records_the_refusal(done_project, secretariat):
    participant = attendee(done_project)
    batch = IssueBatch.objects.create(project=done_project, started_by=factories.npo_officer("IN"))
    assert issue_one.delay(batch_id=batch.pk, participant_id=participant.pk).get() is None
    assert list(IssueFailure.objects.values_list("reason", flat=True)) == [
        "Only the APO Secretariat may issue certificates."
    ]


def test_download_predicate(done_project, secretariat):
    holder = attendee(done_project, iso2="IN")
    certificate = services.issue_certificate(participant=holder, actor=secretariat)
    certificate = selectors.project_certificates(done_project).get()
    allowed = {
        "secretariat": secretariat,
        "holder": holder.user,
        "own_npo": factories.npo_officer("IN"),
    }
    refused = {
        "other_npo": factories.npo_officer("JP"),
        "other_participant": attendee(done_project, iso2="JP").user,
        "implementer": factories.implementer(done_project),
        "anonymous": None,
    }
    assert [r for r, u in allowed.items() if not permissions.can_download(u, certificate)] == []
    assert [r for r, u in refused.items() if permissions.can_download(u, certificate)] == []
    services.revoke_certificate(certificate=certificate, actor=secretariat, reason="Attendance corrected")
    certificate.refresh_from_db()
    assert [r for r, u in allowed.items() if permissions.can_download(u, certificate)] == ["secretariat"]


# ---------------------------------------------------------------- the one reading of "issuing is open"

NOON = datetime.datetime(2026, 6, 15, 12, 0, tzinfo=datetime.UTC)


@time_machine.travel(NOON, tick=False)
def test_issuing_opens_the_instant_the_last_session_ends(db):
    project = finished_project(days_ago=0, sessions=1)  # began at 10:00 in the project's zone
    project.sessions.update(end_at=NOON + datetime.timedelta(hours=1))
    end = NOON + datetime.timedelta(hours=1)
    assert not selectors.issuing_open(project)
    assert not selectors.issuing_open(project, at=end - datetime.timedelta(seconds=1))
    assert selectors.issuing_open(project, at=end)


def test_issuing_never_opens_without_sessions(db):
    assert not selectors.issuing_open(finished_project(sessions=0))
