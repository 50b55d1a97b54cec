"""The pages of seat confirmation and replacement windows: who may open them, what they show and do."""

import datetime

import pytest
from django.urls import reverse

from apopms.enums import OutboxCause
from apopms.models import OutboxMessage
from nominations import services
from nominations.enums import Decision, NominationStatus, ParticipantStatus
from nominations.models import Participant, SeatConfirmation
from tests import factories
from tests.permissions import LOGIN, assert_matrix, role_users

from .seat_helpers import open_window, project_today, published
from .test_services import data

pytestmark = pytest.mark.django_db


def url(name, project, **kwargs):
    return reverse(f"nominations:{name}", kwargs={"code": project.code, **kwargs})


def _published_with_roles(secretariat):
    project, participants = published(secretariat)
    users = role_users(project)
    return project, participants, users


def test_seat_pages_are_the_participants_own(client, secretariat):
    project, _, users = _published_with_roles(secretariat)
    expected = {
        "anonymous": LOGIN,
        "own_npo": 404,
        "other_npo": 404,
        "host_npo": 404,
        "implementer": 404,
        "participant": 200,
        "secretariat": 404,
    }
    assert_matrix(client, url("seat", project), users, expected)
    assert_matrix(client, url("seat_decline", project), users, expected)


def test_a_participant_confirms_only_their_own_seat(client, secretariat):
    project, (p, q, _) = published(secretariat)
    client.force_login(p.user)
    response = client.post(url("seat", project), follow=True)
    assert "Thank you: your seat in" in response.content.decode()
    assert "You confirmed your seat on" in response.content.decode()
    p.refresh_from_db()
    q.refresh_from_db()
    assert p.confirmed_at is not None and q.confirmed_at is None


def test_declining_takes_a_confirmation_step_then_frees_the_seat(client, secretariat):
    project, (p, *_) = published(secretariat)
    client.force_login(p.user)
    page = client.get(url("seat_decline", project)).content.decode()
    assert "Decline your seat in" in page and "Yes, decline my seat" in page and "No, keep my seat" in page
    p.refresh_from_db()
    assert p.status == ParticipantStatus.ACTIVE  # opening the step changes nothing
    response = client.post(url("seat_decline", project), {"reason": "A family wedding"}, follow=True)
    assert "You declined your seat on" in response.content.decode()
    p.refresh_from_db()
    assert (p.status, p.withdrawal_reason) == (ParticipantStatus.WITHDRAWN, "Declined the seat: A family wedding")


def test_after_the_date_the_page_shows_the_state_and_the_server_refuses(client, secretariat, time_machine):
    project, (p, *_) = published(secretariat)
    services.set_confirmation_date(
        project=project, actor=secretariat, due_date=project_today(project) + datetime.timedelta(days=2)
    )
    time_machine.move_to(SeatConfirmation.objects.get(project=project).due_at, tick=False)
    client.force_login(p.user)
    page = client.get(url("seat", project)).content.decode()
    assert "You have not confirmed your seat yet." in page and "that date has passed" in page
    assert "Confirm my seat" not in page
    response = client.post(url("seat", project), follow=True)
    assert "Seats were to be confirmed by the end of" in response.content.decode()
    response = client.post(url("seat_decline", project), {"reason": "late"})
    assert "Seats were to be confirmed by the end of" in response.content.decode()
    p.refresh_from_db()
    assert (p.status, p.confirmed_at) == (ParticipantStatus.ACTIVE, None)


def test_my_workshop_and_landing_link_to_the_seat(client, secretariat):
    project, (p, *_) = published(secretariat)
    client.force_login(p.user)
    seat = url("seat", project)
    for page in (reverse("agenda:my_workshop"), reverse("workspace:landing")):
        html = client.get(page).content.decode()
        assert f'href="{seat}">Confirm or decline your seat</a>' in html.replace(
            'class="btn btn-sm btn-primary ms-1" ', ""
        )


def test_secretariat_only_sets_the_date_and_reminds(client, secretariat):
    project, _, users = _published_with_roles(secretariat)
    forbidden = dict.fromkeys(("own_npo", "other_npo", "host_npo", "implementer", "participant"), 403)
    due = (project_today(project) + datetime.timedelta(days=5)).isoformat()
    assert_matrix(
        client,
        url("seat_date", project),
        users,
        {"anonymous": LOGIN, **forbidden, "secretariat": 302},
        method="post",
        data={"due_date": due},
    )
    assert_matrix(
        client,
        url("seat_remind", project),
        users,
        {"anonymous": LOGIN, **forbidden, "secretariat": 302},
        method="post",
        data={"nonce": "c" * 32},
    )
    assert SeatConfirmation.objects.get(project=project).due_date.isoformat() == due


def test_participants_page_shows_who_has_not_confirmed_and_reminds_them(client, secretariat):
    project, (p, q, r) = published(secretariat)
    services.confirm_seat(participant=p, actor=p.user)
    client.force_login(secretariat)
    page = client.get(url("participant_list", project)).content.decode()
    assert "1 confirmed · <strong>2 not confirmed</strong> · 0 declined." in page
    nonce = client.get(url("participant_list", project)).context["seats"]["nonce"]
    for _ in range(2):  # a double click sends each reminder once
        client.post(url("seat_remind", project), {"nonce": nonce})
    recipients = OutboxMessage.objects.filter(cause=OutboxCause.SEAT_REMINDER).values_list("recipient", flat=True)
    assert sorted(recipients) == sorted([q.user.email, r.user.email])


def test_confirmation_date_errors_name_the_field_and_keep_nothing(client, secretariat):
    project, _ = published(secretariat)
    client.force_login(secretariat)
    yesterday = (project_today(project) - datetime.timedelta(days=1)).isoformat()
    response = client.post(url("seat_date", project), {"due_date": yesterday}, follow=True)
    assert "Confirm by: " in response.content.decode() and "has already passed" in response.content.decode()
    response = client.post(url("seat_date", project), {"due_date": "31/02/2030"}, follow=True)
    assert "Confirm by: Give the date by which participants confirm their seat." in response.content.decode()
    assert not SeatConfirmation.objects.exists()


def test_replacement_pages_are_the_secretariats(client, secretariat):
    project, (p, *_), users = _published_with_roles(secretariat)
    services.decline_seat(participant=p, actor=p.user)
    forbidden = dict.fromkeys(("own_npo", "other_npo", "host_npo", "implementer", "participant"), 403)
    assert_matrix(
        client,
        url("replacement_open", project, iso2="IN"),
        users,
        {"anonymous": LOGIN, **forbidden, "secretariat": 200},
    )
    window = open_window(project, secretariat, "IN")
    nomination = factories.NominationFactory(project=project, replacement_window=window, submitted=True)
    assert_matrix(
        client,
        url("replacement_decide", project, pk=nomination.pk),
        users,
        {"anonymous": LOGIN, **forbidden},
        method="post",
        data={"decision": "selected"},
    )
    nomination.refresh_from_db()
    assert nomination.decision == ""


def test_secretariat_opens_a_window_from_the_form_and_selects_on_the_board(client, secretariat, npo_in):
    project, (p, *_) = published(secretariat)
    services.decline_seat(participant=p, actor=p.user, reason="Ill")
    client.force_login(secretariat)
    board = client.get(url("selection_board", project)).content.decode()
    assert "India: 1 dropout" in board and "Replacement window for India</a>" in board
    form = client.get(url("replacement_open", project, iso2="IN")).content.decode()
    assert "India has 1 dropout." in form
    closing = (project_today(project) + datetime.timedelta(days=7)).isoformat()
    response = client.post(
        url("replacement_open", project, iso2="IN"), {"seats": "3", "closing_date": closing}, follow=False
    )
    assert "India has 1 dropout: it may replace between 1 and 1." in response.content.decode()
    response = client.post(url("replacement_open", project, iso2="IN"), {"seats": "1", "closing_date": closing})
    assert response.status_code == 302
    nomination = services.create_nomination(project=project, country=npo_in.npo_country, actor=npo_in, data=data())
    services.submit_nomination(nomination=nomination, actor=npo_in)
    board = client.get(url("selection_board", project)).content.decode()
    assert "Select Anjali Sharma" in board
    client.post(url("replacement_decide", project, pk=nomination.pk), {"decision": Decision.SELECTED})
    assert Participant.objects.get(nomination=nomination).status == ParticipantStatus.ACTIVE


def test_npo_sees_only_its_own_countrys_window(client, secretariat, npo_in, npo_jp):
    project, (p, *_) = published(secretariat)
    services.decline_seat(participant=p, actor=p.user)
    open_window(project, secretariat, "IN")
    client.force_login(npo_in)
    for page in (url("project", project), reverse("workspace:landing")):
        html = client.get(page).content.decode()
        assert "Nominate a replacement" in html and "1 replacement" in html, page
    client.force_login(npo_jp)
    for page in (url("project", project), reverse("workspace:landing")):
        html = client.get(page).content.decode()
        assert "Nominate a replacement" not in html and "Replacement window" not in html, page
    response = client.post(url("create", project), {**data(email="kenji@example.org"), "submit": "1"})
    assert "Nominations closed at" in response.content.decode()
    assert not project.nominations.filter(email="kenji@example.org").exists()


def test_npo_form_in_the_window_saves_and_submits_a_replacement(client, secretariat, npo_in):
    project, (p, *_) = published(secretariat)
    services.decline_seat(participant=p, actor=p.user)
    open_window(project, secretariat, "IN")
    client.force_login(npo_in)
    form = client.get(url("create", project)).content.decode()
    assert "Replacement window for India" in form and "late nomination" not in form
    response = client.post(url("create", project), {**data(), "candidate_informed": "on", "submit": "1"})
    assert response.status_code == 302
    nomination = project.nominations.get(email="anjali.sharma@example.org")
    assert (nomination.status, nomination.replacement_window.country.iso2) == (NominationStatus.SUBMITTED, "IN")


@pytest.mark.parametrize("rows", [1, 6])
def test_board_with_replacement_windows_runs_the_same_queries_at_two_sizes(
    client, secretariat, django_assert_num_queries, rows
):
    project, participants = published(secretariat, countries=("IN", "JP", "PH") * 2)
    for p in participants:
        services.decline_seat(participant=p, actor=p.user)
    for iso2 in ("IN", "JP", "PH"):
        window = open_window(project, secretariat, iso2, seats=2)
        for _ in range(rows):
            factories.NominationFactory(
                project=project, country=window.country, replacement_window=window, submitted=True
            )
    client.force_login(secretariat)
    with django_assert_num_queries(10):
        response = client.get(url("selection_board", project))
    assert len(response.context["windows"]) == 3


def test_the_npo_reads_that_a_participant_declined_the_seat_not_that_they_were_withdrawn(client, secretariat, npo_in):
    project, (p, q, *_) = published(secretariat)
    services.decline_seat(participant=p, actor=p.user, reason="Ill")
    services.withdraw_participant(participant=q, actor=npo_in, reason="Left the ministry")
    client.force_login(npo_in)
    html = client.get(url("participant_list", project)).content.decode()
    assert html.count("Declined the seat") == 1 and html.count("Withdrawn") >= 1
