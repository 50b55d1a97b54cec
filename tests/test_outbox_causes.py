"""Every cause of e-mail writes one outbox row per recipient, once (a repeated call or a re-run
task writes nothing more). A new cause must be added here."""

import datetime
import re

import pytest
from django.utils import timezone

from apopms import services as core
from apopms import tasks as core_tasks
from apopms.enums import InvitationPurpose, OutboxCause, OutboxStatus
from apopms.models import Invitation, MemberCountry, Membership, OutboxMessage, Project
from certificates import services as certificates
from certificates.tasks import send_certificate_ready
from evaluations import services as evaluations
from nominations import services as nominations
from nominations.enums import Decision
from nominations.models import SelectionNotice
from nominations.tasks import send_selection_results, send_submission_acknowledgement
from sessions import services as sessions
from sessions.models import Session
from sessions.tasks import send_programme_notice
from tests import factories
from tests.certificates.conftest import attendee, finished_project
from tests.evaluations.helpers import every_answer
from tests.nominations.selection_helpers import closed_project, submitted
from tests.nominations.test_services import nominate
from tests.sessions.programme_helpers import build_programme, publish_selection

pytestmark = pytest.mark.django_db


def invitation(secretariat):
    invite = {
        "actor": secretariat,
        "email": "kumari@npo.example",
        "full_name": "Kumari Perera",
        "purpose": InvitationPurpose.NPO_OFFICER,
        "country": factories.country("LK"),
    }
    first = core.invite_user(**invite)
    core.invite_user(**invite)  # the pending invitation: no second e-mail
    core_tasks.send_invitation_email.apply(kwargs={"invitation_pk": first.pk})
    return ["kumari@npo.example"]


def invitation_renewed(secretariat):
    first = core.invite_user(
        actor=secretariat,
        email="kumari@npo.example",
        full_name="Kumari Perera",
        purpose=InvitationPurpose.NPO_OFFICER,
        country=factories.country("LK"),
    )
    Invitation.objects.filter(pk=first.pk).update(
        created_at=timezone.now() - datetime.timedelta(days=22), expires_at=timezone.now() - datetime.timedelta(days=1)
    )
    new = core.renew_invitation(token=first.token())
    core.renew_invitation(token=first.token())  # within the renewal interval: the same link
    core_tasks.notify_inviter_of_renewal.apply(kwargs={"invitation_pk": new.pk})
    return [secretariat.email]


def _issued_project(secretariat, **kwargs):
    project = factories.ProjectFactory(
        participating_countries=MemberCountry.objects.filter(iso2__in=["LK", "IN"]),
        start_date=datetime.date(2040, 6, 9),
        end_date=datetime.date(2040, 6, 12),
        nomination_deadline=Project.deadline_for(datetime.date(2040, 5, 1), "Asia/Colombo"),
        **kwargs,
    )
    officers = [factories.npo_officer("IN").email, factories.npo_officer("LK").email]
    factories.npo_officer("JP")  # not participating
    return project, sorted(officers)


def notification_issued(secretariat):
    project, officers = _issued_project(secretariat, notification_issued_at=None)
    core.issue_notification(actor=secretariat, project=project)
    core.issue_notification(actor=secretariat, project=project)
    core_tasks.notify_notification_issued.apply(kwargs={"project_pk": project.pk})
    return officers


def deadline_extended(secretariat):
    project, officers = _issued_project(secretariat)
    old = project.nomination_deadline
    project = core.extend_deadline(actor=secretariat, project=project, closing_date=datetime.date(2040, 5, 8))
    core_tasks.notify_deadline_extended.apply(
        kwargs={
            "project_pk": project.pk,
            "old_deadline": old.isoformat(),
            "new_deadline": project.nomination_deadline.isoformat(),
        }
    )
    return officers


def acknowledgement(secretariat):
    officer = factories.npo_officer("IN")
    factories.npo_officer("IN")  # copied (Cc), in the same row
    nomination = nominate(factories.ProjectFactory(), officer)
    nominations.submit_nomination(nomination=nomination, actor=officer)
    send_submission_acknowledgement.apply(kwargs={"nomination_id": nomination.pk, "officer_id": officer.pk})
    return [officer.email]


def nomination_withdrawn(secretariat):
    officer = factories.npo_officer("IN")
    nomination = nominate(factories.ProjectFactory(), officer)
    nominations.submit_nomination(nomination=nomination, actor=officer)
    nominations.withdraw_nomination(nomination=nomination, actor=officer, reason="Changed jobs")
    nominations.withdraw_nomination(nomination=nomination, actor=officer, reason="Changed jobs")
    return [officer.email]


def selection_results(secretariat):
    officers = sorted([factories.npo_officer("IN").email, factories.npo_officer("JP").email])
    project = closed_project(overseas_quota=2, local_quota=1)
    for iso2 in ("IN", "JP"):
        nomination = submitted(project, iso2, priority=1)
        nominations.decide_nomination(nomination=nomination, actor=secretariat, decision=Decision.SELECTED)
    nominations.publish_selection(project=project, actor=secretariat)
    nominations.publish_selection(project=project, actor=secretariat)
    for notice in SelectionNotice.objects.all():
        send_selection_results.apply(kwargs={"notice_id": notice.pk})
    return officers


def programme_version(secretariat):
    project = factories.ProjectFactory()
    project.participating_countries.set([factories.country("IN")])
    officer = factories.npo_officer("IN")
    participants = publish_selection(project, countries=("IN",))
    build_programme(project, secretariat, days=1)
    version = sessions.announce_programme(project=project, actor=secretariat)
    send_programme_notice.apply(kwargs={"version_id": version.pk})
    return sorted([officer.email, participants[0].user.email])


def certificate_ready(secretariat):
    participant = attendee(finished_project())
    certificate = certificates.issue_certificate(participant=participant, actor=secretariat)
    certificates.issue_certificate(participant=participant, actor=secretariat)
    send_certificate_ready.apply(kwargs={"certificate_id": certificate.pk})
    return [participant.user.email]


def certificate_revoked(secretariat):
    participant = attendee(finished_project())
    certificate = certificates.issue_certificate(participant=participant, actor=secretariat)
    certificates.revoke_certificate(certificate=certificate, actor=secretariat, reason="Attendance corrected")
    return [participant.user.email]


def eligibility_lost(secretariat):
    project = finished_project(contact_email="psp@apo-tokyo.org")
    participant = attendee(project)
    certificates.issue_certificate(participant=participant, actor=secretariat)
    first = Session.objects.filter(project=project).order_by("start_at").first()
    sessions.mark_attendance(participant=participant, session=first, present=False, actor=secretariat, reason="x")
    last = Session.objects.filter(project=project).order_by("start_at").last()
    sessions.mark_attendance(participant=participant, session=last, present=True, actor=secretariat)
    return ["psp@apo-tokyo.org"]


def message(secretariat):
    project = factories.ProjectFactory()
    officer = factories.npo_officer("IN")
    project.participating_countries.set([factories.country("IN")])
    core.write_to_audience(
        actor=secretariat, project=project, audience="npo_officers", subject="Hello", body="Dear {name},"
    )
    return [officer.email]


def seat_reminder(secretariat):
    project = closed_project(overseas_quota=2, local_quota=0)
    chosen = [submitted(project, iso2, priority=1) for iso2 in ("IN", "JP")]
    for nomination in chosen:
        nominations.decide_nomination(nomination=nomination, actor=secretariat, decision=Decision.SELECTED)
    nominations.publish_selection(project=project, actor=secretariat, notify=False)
    confirmed = chosen[0].participant
    nominations.confirm_seat(participant=confirmed, actor=confirmed.user)
    nonce = "ab" * 16
    nominations.send_seat_reminders(project=project, actor=secretariat, nonce=nonce)
    nominations.send_seat_reminders(project=project, actor=secretariat, nonce=nonce)  # the same click
    return [chosen[1].email]


def replacement_window(secretariat):
    officers = sorted([factories.npo_officer("IN").email, factories.npo_officer("IN").email])
    factories.npo_officer("JP")  # another country: not told
    project = closed_project(overseas_quota=1, local_quota=0)
    nomination = submitted(project, "IN", priority=1)
    nominations.decide_nomination(nomination=nomination, actor=secretariat, decision=Decision.SELECTED)
    nominations.publish_selection(project=project, actor=secretariat, notify=False)
    participant = nomination.participant
    nominations.decline_seat(participant=participant, actor=participant.user)
    window = {
        "project": project,
        "country": factories.country("IN"),
        "actor": secretariat,
        "seats": 1,
        "closing_date": project.start_date,
    }
    nominations.open_replacement_window(**window)
    nominations.open_replacement_window(**window)  # the same seats and date: told once
    return officers


def evaluation_reminder(secretariat):
    project = finished_project(contact_email="psp@apo-tokyo.org")
    evaluations.set_up_questionnaire(project=project, actor=secretariat, source="template")
    waiting, done = attendee(project), attendee(project, iso2="JP")
    evaluations.save_evaluation(participant=done, actor=done.user, values=every_answer(project), submit=True)
    evaluations.send_evaluation_reminders(project=project, actor=secretariat)
    evaluations.send_evaluation_reminders(project=project, actor=secretariat)  # the same day: once
    return [waiting.user.email]


def _candidate_sends(officer):
    project = factories.ProjectFactory()
    nomination = nominations.invite_candidate(
        project=project, country=officer.npo_country, actor=officer, full_name="Ravi Kumara", email="ravi@example.lk"
    )
    biodata = {"gender": "male", "organization": "NPS", "organization_type": "ministry", "position": "Officer"}
    return nominations.save_candidate_biodata(
        nomination=nomination, actor=nomination.candidate, data=biodata, hand_in=True
    )


def candidate_ready(secretariat):
    officers = sorted([factories.npo_officer("LK").email, factories.npo_officer("LK").email])
    factories.npo_officer("IN")  # another country: not told
    nomination = _candidate_sends(Membership.objects.filter(user__email=officers[0]).get().user)
    # Saved again while with the NPO: no second message.
    nominations.save_candidate_biodata(nomination=nomination, actor=nomination.candidate, data={"position": "Officer"})
    # One message to the first officer, the others copied in the same row.
    return officers[:1]


def change_requested(secretariat):
    officer = factories.npo_officer("LK")
    nomination = _candidate_sends(officer)
    nominations.request_change(nomination=nomination, actor=officer, message="Please add your CV.")
    return ["ravi@example.lk"]


CAUSES = {
    OutboxCause.INVITATION: invitation,
    OutboxCause.INVITATION_RENEWED: invitation_renewed,
    OutboxCause.DEADLINE_EXTENDED: deadline_extended,
    OutboxCause.NOTIFICATION_ISSUED: notification_issued,
    OutboxCause.ACKNOWLEDGEMENT: acknowledgement,
    OutboxCause.SELECTION_RESULTS: selection_results,
    OutboxCause.PROGRAMME_VERSION: programme_version,
    OutboxCause.CERTIFICATE_READY: certificate_ready,
    OutboxCause.NOMINATION_WITHDRAWN: nomination_withdrawn,
    OutboxCause.CERTIFICATE_REVOKED: certificate_revoked,
    OutboxCause.ELIGIBILITY_LOST: eligibility_lost,
    OutboxCause.MESSAGE: message,
    OutboxCause.SEAT_REMINDER: seat_reminder,
    OutboxCause.REPLACEMENT_WINDOW: replacement_window,
    OutboxCause.EVALUATION_REMINDER: evaluation_reminder,
    OutboxCause.CANDIDATE_READY: candidate_ready,
    OutboxCause.CHANGE_REQUESTED: change_requested,
}


def test_every_cause_is_listed():
    assert sorted(CAUSES) == sorted(OutboxCause.values)


@pytest.mark.parametrize("cause", list(CAUSES), ids=str)
def test_each_cause_writes_one_row_per_recipient_once(cause, secretariat, settings, django_capture_on_commit_callbacks):
    settings.SITE_URL = "https://portal.apo-tokyo.org"
    with django_capture_on_commit_callbacks(execute=True):
        expected = CAUSES[cause](secretariat)
    rows = OutboxMessage.objects.filter(cause=cause)
    assert sorted(rows.values_list("recipient", flat=True)) == sorted(expected)
    assert set(rows.values_list("status", flat=True)) == {OutboxStatus.SENT}
    # Every link of every message is absolute, on the portal's public address.
    for row in rows:
        links = re.findall(r"https?://[^\s<>\"')]+", row.body_text + row.body_html)
        site = "https://portal.apo-tokyo.org"
        assert links and all(link == site or link.startswith(f"{site}/") for link in links), links
        assert row.message_id.endswith("@portal.apo-tokyo.org>")
