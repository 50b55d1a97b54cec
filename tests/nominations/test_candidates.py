"""Candidate self-service: the NPO invites, the candidate fills in and sends, the NPO asks for a change
or endorses; only an endorsed nomination counts as submitted by the country."""

import datetime
import re

import pytest
import time_machine
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone

from apopms import services as core
from apopms.enums import InvitationPurpose, OutboxCause
from apopms.exceptions import DomainError
from apopms.models import AuditEntry, Invitation, OutboxMessage
from nominations import services
from nominations.enums import Decision, Gender, NominationState, NominationStatus, OrganizationType
from nominations.models import Nomination
from nominations.selectors import filter_by_state, nomination_counts
from nominations.selectors.selection import proposal_input, submitted_nominations
from tests import factories
from tests.e2e.helpers import tiny_pdf
from tests.nominations.selection_helpers import submitted

pytestmark = pytest.mark.django_db

BIODATA = {
    "certificate_name": "Ravi Kumara",
    "native_name": "රවී කුමාර",
    "gender": Gender.MALE,
    "date_of_birth": datetime.date(1985, 8, 3),
    "phone": "+94 11 2345678",
    "organization": "National Productivity Secretariat",
    "organization_type": OrganizationType.PRODUCTIVITY_ORGANIZATION,
    "position": "Productivity Officer",
    "years_experience": 9,
    "statement": "Leads the 5S programme of the district.",
    "english_proficiency": "good",
}


def invite(project, officer, email="ravi@example.lk", name="Ravi Kumara"):
    return services.invite_candidate(
        project=project, country=officer.npo_country, actor=officer, full_name=name, email=email
    )


def handed_in(project, officer, **overrides):
    nomination = invite(project, officer)
    return services.save_candidate_biodata(
        nomination=nomination, actor=nomination.candidate, data={**BIODATA, **overrides}, hand_in=True
    )


@pytest.fixture
def npo_lk_officer(db):
    return factories.npo_officer("LK")


def test_invite_makes_a_draft_tied_to_a_role_less_account_and_sends_the_invitation(project, npo_lk_officer):
    nomination = invite(project, npo_lk_officer)
    assert nomination.status == NominationStatus.DRAFT
    assert (nomination.email, nomination.certificate_name) == ("ravi@example.lk", "Ravi Kumara")
    user = nomination.candidate
    assert user.email == "ravi@example.lk" and not user.has_usable_password()
    assert not user.memberships.exists() and user.npo_country is None and not user.is_secretariat
    invitation = Invitation.objects.get(user=user)
    assert (invitation.purpose, invitation.project) == (InvitationPurpose.CANDIDATE, project)
    message = OutboxMessage.objects.get(invitation=invitation)
    assert message.cause == OutboxCause.INVITATION and message.recipient == "ravi@example.lk"
    assert project.title in message.body_text
    assert AuditEntry.objects.filter(action="nominations.nomination.candidate_invited").count() == 1


def test_only_the_countrys_officers_invite_its_candidates(project, npo_lk_officer, npo_in):
    with pytest.raises(PermissionDenied):
        services.invite_candidate(
            project=project, country=npo_lk_officer.npo_country, actor=npo_in, full_name="Ravi", email="r@example.lk"
        )
    assert not Nomination.objects.exists() and not Invitation.objects.exists()


def test_invite_refuses_an_address_already_nominated_and_a_closed_project(project, npo_lk_officer):
    invite(project, npo_lk_officer)
    with pytest.raises(DomainError) as exc:
        invite(project, npo_lk_officer, name="Someone Else")
    assert exc.value.field == "email"
    closed = factories.ProjectFactory(nomination_deadline=timezone.now() - datetime.timedelta(days=1))
    with pytest.raises(DomainError):
        invite(closed, npo_lk_officer, email="late@example.lk")
    assert Nomination.objects.count() == 1


def test_invite_refuses_an_address_with_a_role(project, npo_lk_officer):
    colleague = factories.npo_officer("LK", email="colleague@npo.lk")
    with pytest.raises(DomainError):
        invite(project, npo_lk_officer, email=colleague.email)
    assert not Nomination.objects.exists() and not Invitation.objects.filter(user=colleague).exists()


def test_the_candidate_saves_part_and_comes_back(project, npo_lk_officer):
    nomination = invite(project, npo_lk_officer)
    user = nomination.candidate
    services.save_candidate_biodata(
        nomination=nomination, actor=user, data={"certificate_name": "Ravi Kumara", "phone": "+94 11 2345678"}
    )
    nomination.refresh_from_db()
    assert nomination.status == NominationStatus.DRAFT and nomination.phone == "+94 11 2345678"
    assert nomination.candidate_informed_at is not None  # they read the notice on their own form
    services.save_candidate_biodata(nomination=nomination, actor=user, data=BIODATA)
    nomination.refresh_from_db()
    assert nomination.native_name == "රවී කුමාර" and nomination.status == NominationStatus.DRAFT


def test_sending_an_incomplete_biodata_names_the_field_and_changes_nothing(project, npo_lk_officer):
    nomination = invite(project, npo_lk_officer)
    with pytest.raises(DomainError) as exc:
        services.save_candidate_biodata(
            nomination=nomination, actor=nomination.candidate, data={"phone": "+94 11 2345678"}, hand_in=True
        )
    assert exc.value.field == "gender"
    nomination.refresh_from_db()
    assert nomination.status == NominationStatus.DRAFT and nomination.phone == ""


def test_sent_to_the_npo_it_waits_for_endorsement_and_does_not_count(project, npo_lk_officer):
    other = submitted(project, "LK", priority=1)
    nomination = handed_in(project, npo_lk_officer)
    assert nomination.status == NominationStatus.WITH_NPO and nomination.priority is None
    ready = OutboxMessage.objects.get(cause=OutboxCause.CANDIDATE_READY)
    assert ready.recipient == npo_lk_officer.email and "Ravi Kumara" in ready.body_text
    # Not submitted by the country: not in the submitted set, the counts, nor the proposal.
    assert list(Nomination.objects.submitted()) == [other]
    assert nomination_counts(Nomination.objects.filter(project=project))["countries"] == [("Sri Lanka", 2, 1)]
    assert nomination.pk not in {n.pk for n in proposal_input(project)}
    assert list(submitted_nominations(project)) == [other]
    assert nomination.state == NominationState.WITH_NPO


def test_the_npo_cannot_endorse_a_draft_the_candidate_has_not_sent(project, npo_lk_officer):
    nomination = invite(project, npo_lk_officer)
    with pytest.raises(DomainError):
        services.submit_nomination(nomination=nomination, actor=npo_lk_officer)
    assert Nomination.objects.get(pk=nomination.pk).status == NominationStatus.DRAFT


def test_endorsement_submits_it_ranked_after_the_others(project, npo_lk_officer):
    submitted(project, "LK", priority=1)
    nomination = handed_in(project, npo_lk_officer)
    nomination = services.submit_nomination(nomination=nomination, actor=npo_lk_officer)
    assert (nomination.status, nomination.priority) == (NominationStatus.SUBMITTED, 2)


def test_only_the_countrys_npo_asks_for_a_change_or_endorses(project, npo_lk_officer, npo_in):
    nomination = handed_in(project, npo_lk_officer)
    with pytest.raises(PermissionDenied):
        services.request_change(nomination=nomination, actor=npo_in, message="Fix it")
    with pytest.raises(PermissionDenied):
        services.submit_nomination(nomination=nomination, actor=npo_in)
    with pytest.raises(PermissionDenied):  # nor the candidate themself
        services.submit_nomination(nomination=nomination, actor=nomination.candidate)


def test_a_change_request_goes_back_to_the_candidate_with_the_message(project, npo_lk_officer):
    nomination = handed_in(project, npo_lk_officer)
    services.request_change(nomination=nomination, actor=npo_lk_officer, message="Please add your position.")
    nomination.refresh_from_db()
    assert nomination.status == NominationStatus.DRAFT and nomination.change_request == "Please add your position."
    message = OutboxMessage.objects.get(cause=OutboxCause.CHANGE_REQUESTED)
    assert message.recipient == "ravi@example.lk" and "Please add your position." in message.body_text
    assert re.search(rf"/my-nomination/{nomination.pk}/", message.body_text)
    # Sent again: with the NPO, the request cleared.
    services.save_candidate_biodata(
        nomination=nomination, actor=nomination.candidate, data={"position": "Senior Officer"}, hand_in=True
    )
    nomination.refresh_from_db()
    assert nomination.status == NominationStatus.WITH_NPO and nomination.change_request == ""
    assert OutboxMessage.objects.filter(cause=OutboxCause.CANDIDATE_READY).count() == 2


def test_a_change_request_needs_a_message(project, npo_lk_officer):
    nomination = handed_in(project, npo_lk_officer)
    with pytest.raises(DomainError) as exc:
        services.request_change(nomination=nomination, actor=npo_lk_officer, message="  ")
    assert exc.value.field == "message"


def test_a_change_after_endorsement_sends_it_back_to_the_npo_and_frees_its_rank(project, npo_lk_officer):
    nomination = handed_in(project, npo_lk_officer)
    services.submit_nomination(nomination=nomination, actor=npo_lk_officer)
    below = submitted(project, "LK", priority=2)
    services.save_candidate_biodata(nomination=nomination, actor=nomination.candidate, data={"phone": "+94 77 1234567"})
    nomination.refresh_from_db()
    below.refresh_from_db()
    assert (nomination.status, nomination.priority) == (NominationStatus.WITH_NPO, None)
    assert below.priority == 1
    assert OutboxMessage.objects.filter(cause=OutboxCause.CANDIDATE_READY).count() == 2
    # Saving without a change keeps the endorsement.
    services.submit_nomination(nomination=nomination, actor=npo_lk_officer)
    services.save_candidate_biodata(nomination=nomination, actor=nomination.candidate, data={"phone": "+94 77 1234567"})
    assert Nomination.objects.get(pk=nomination.pk).status == NominationStatus.SUBMITTED


def test_editing_ends_at_the_closing_date(project, npo_lk_officer):
    nomination = invite(project, npo_lk_officer)
    assert services.candidate_may_edit(nomination)
    with time_machine.travel(project.nomination_deadline + datetime.timedelta(seconds=1), tick=False):
        assert not services.candidate_may_edit(Nomination.objects.get(pk=nomination.pk))
        with pytest.raises(DomainError):
            services.save_candidate_biodata(
                nomination=nomination, actor=nomination.candidate, data={"phone": "+94 11 2345678"}
            )
    assert Nomination.objects.get(pk=nomination.pk).phone == ""


def test_editing_ends_at_a_decision(project, npo_lk_officer, secretariat):
    nomination = handed_in(project, npo_lk_officer)
    services.submit_nomination(nomination=nomination, actor=npo_lk_officer)
    Nomination.objects.filter(pk=nomination.pk).update(decision=Decision.SELECTED)
    nomination.refresh_from_db()
    assert not services.candidate_may_edit(nomination)
    with pytest.raises(DomainError):
        services.save_candidate_biodata(
            nomination=nomination, actor=nomination.candidate, data={"phone": "+94 11 2345678"}
        )


def test_only_the_candidate_fills_in_their_nomination(project, npo_lk_officer):
    nomination = invite(project, npo_lk_officer)
    other = invite(project, npo_lk_officer, email="other@example.lk", name="Other Person")
    for actor in (other.candidate, npo_lk_officer, factories.secretariat_user()):
        with pytest.raises(PermissionDenied):
            services.save_candidate_biodata(nomination=nomination, actor=actor, data={"phone": "+94 11 2345678"})


def test_the_database_keeps_a_nomination_with_the_npo_unranked_and_one_candidacy_per_project(project, npo_lk_officer):
    nomination = handed_in(project, npo_lk_officer)
    with pytest.raises(IntegrityError), transaction.atomic():
        Nomination.objects.filter(pk=nomination.pk).update(priority=3)
    with pytest.raises(IntegrityError), transaction.atomic():
        factories.NominationFactory(project=project, candidate=nomination.candidate)
    with pytest.raises(IntegrityError), transaction.atomic():
        Nomination.objects.filter(pk=nomination.pk).update(decision=Decision.SELECTED)


def test_the_participant_keeps_the_candidates_account(project, npo_lk_officer, secretariat):
    nomination = handed_in(project, npo_lk_officer)
    nomination = services.submit_nomination(nomination=nomination, actor=npo_lk_officer)
    # The NPO corrected the e-mail on the nomination: the account stays the candidate's.
    Nomination.objects.filter(pk=nomination.pk).update(email="ravi.k@work.example.lk", decision=Decision.SELECTED)
    nomination.refresh_from_db()
    participant = services.make_participant(project=project, nomination=nomination, actor=secretariat)
    assert participant.user == nomination.candidate


def test_the_candidate_learns_the_decision_only_after_publication(project, npo_lk_officer):
    nomination = handed_in(project, npo_lk_officer)
    nomination = services.submit_nomination(nomination=nomination, actor=npo_lk_officer)
    Nomination.objects.filter(pk=nomination.pk).update(decision=Decision.RESERVE)
    nomination = Nomination.objects.select_related("project").get(pk=nomination.pk)
    assert nomination.state == NominationState.SUBMITTED
    project.selection_published_at = timezone.now()
    project.save()
    assert Nomination.objects.get(pk=nomination.pk).state == NominationState.RESERVE


# The invitation link: unguessable, single use, expiring (rate limit: test_candidate_views.py).


def test_the_link_is_a_256_bit_secret_stored_only_as_a_hash(project, npo_lk_officer):
    invitation = Invitation.objects.get(user=invite(project, npo_lk_officer).candidate)
    token = invitation.token()
    assert re.fullmatch(r"[0-9a-f]{64}", token)
    assert token not in (invitation.nonce, invitation.token_hash)
    assert core.find_invitation(token) == invitation and core.find_invitation(token[:-1] + "0") in (None, invitation)
    other = Invitation.objects.get(
        user=invite(project, npo_lk_officer, email="b@example.lk", name="B Person").candidate
    )
    assert other.token() != token


def test_the_link_works_once(project, npo_lk_officer):
    invitation = Invitation.objects.get(user=invite(project, npo_lk_officer).candidate)
    core.accept_invitation(token=invitation.token(), password="a long enough passphrase 1")
    with pytest.raises(DomainError, match="already used"):
        core.accept_invitation(token=invitation.token(), password="another long passphrase 2")


def test_the_link_expires(project, npo_lk_officer, settings):
    invitation = Invitation.objects.get(user=invite(project, npo_lk_officer).candidate)
    later = invitation.expires_at + datetime.timedelta(seconds=1)
    assert invitation.expires_at - invitation.created_at == datetime.timedelta(days=settings.INVITATION_VALID_DAYS)
    with time_machine.travel(later, tick=False), pytest.raises(DomainError, match="expired"):
        core.accept_invitation(token=invitation.token(), password="a long enough passphrase 1")


def test_the_secretariat_filters_the_nominations_with_the_npos(project, npo_lk_officer):
    nomination = handed_in(project, npo_lk_officer)
    factories.NominationFactory(project=project)
    assert list(filter_by_state(Nomination.objects.all(), NominationState.WITH_NPO, project)) == [nomination]


def test_a_refused_sending_stores_no_cv(project, npo_lk_officer, settings):
    nomination = invite(project, npo_lk_officer)
    upload = SimpleUploadedFile("cv.pdf", tiny_pdf(), content_type="application/pdf")
    with pytest.raises(DomainError):
        services.save_candidate_biodata(
            nomination=nomination, actor=nomination.candidate, data={}, cv=upload, hand_in=True
        )
    nomination.refresh_from_db()
    assert not nomination.cv
    assert [p for p in settings.MEDIA_ROOT.rglob("*") if p.is_file()] == []
