import datetime
import zoneinfo

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction

from apopms import mail as outbox
from apopms.enums import Category
from apopms.exceptions import DomainError
from apopms.models import AuditEntry
from nominations import services
from nominations.enums import Decision, Gender, NominationState, NominationStatus, OrganizationType
from nominations.models import Nomination
from tests import factories
from tests.mail_backends import RefusingBackend

pytestmark = pytest.mark.django_db

COLOMBO = zoneinfo.ZoneInfo("Asia/Colombo")


def data(**overrides):
    values = {
        "certificate_name": "Anjali Sharma",
        "native_name": "अंजलि शर्मा",
        "gender": Gender.FEMALE,
        "email": "anjali.sharma@example.org",
        "phone": "+91 11 2345 6789",
        "organization": "Ministry of Personnel",
        "organization_type": OrganizationType.MINISTRY,
        "position": "Deputy Secretary",
        "years_experience": 12,
        "statement": "Leads the performance management reform.",
        "english_proficiency": "fluent",
    }
    values.update(overrides)
    return values


def nominate(project, actor, country=None, **overrides):
    country = country or actor.npo_country
    return services.create_nomination(project=project, country=country, actor=actor, data=data(**overrides))


def at(clock, instant):
    clock.move_to(instant, tick=False)


def edge_project():
    """Closing date 3 Aug 2030 in Colombo: the deadline is 4 Aug 2030 00:00 Colombo = 3 Aug 18:30 UTC."""
    return factories.ProjectFactory(
        start_date=datetime.date(2030, 8, 24),
        nomination_deadline=datetime.datetime(2030, 8, 4, tzinfo=COLOMBO),
    )


def test_create_nomination_of_overseas_country_is_overseas_draft(project, npo_in):
    nomination = nominate(project, npo_in)
    assert (nomination.status, nomination.category, nomination.country.iso2) == ("draft", Category.OVERSEAS, "IN")
    assert nomination.created_by == npo_in and not nomination.is_late
    assert AuditEntry.objects.for_object(nomination).get().action == "nominations.nomination.created"


def test_create_nomination_of_host_country_is_local(project, npo_lk):
    assert nominate(project, npo_lk).category == Category.LOCAL


def test_nobody_may_change_nominations_without_an_actor(project, npo_in):
    draft = nominate(project, npo_in)
    with pytest.raises(PermissionDenied, match="Only a person"):
        services.submit_nomination(nomination=draft, actor=None)
    draft.refresh_from_db()
    assert draft.status == NominationStatus.DRAFT


def test_officer_cannot_nominate_for_another_country(project, npo_in):
    with pytest.raises(PermissionDenied, match="own country"):
        nominate(project, npo_in, country=factories.country("JP"))
    assert not Nomination.objects.exists()


@pytest.mark.parametrize("email", ["ANJALI.Sharma@example.org", " anjali.sharma@EXAMPLE.org "])
def test_same_email_cannot_be_nominated_twice_for_a_project(project, npo_in, npo_jp, email):
    nominate(project, npo_in)
    with pytest.raises(DomainError) as excinfo:
        nominate(project, npo_jp, email=email)
    assert excinfo.value.field == "email"
    assert Nomination.objects.count() == 1


def test_same_email_may_be_nominated_for_another_project(npo_in):
    nominate(factories.ProjectFactory(), npo_in)
    nominate(factories.ProjectFactory(), npo_in)
    assert Nomination.objects.count() == 2


def test_database_refuses_duplicate_email_in_any_case(project):
    factories.NominationFactory(project=project, email="a.b@example.org")
    with pytest.raises(IntegrityError), transaction.atomic():
        factories.NominationFactory(project=project, email="A.B@example.org")


def test_withdrawn_person_can_be_nominated_again(project, npo_in):
    first = nominate(project, npo_in)
    services.withdraw_nomination(nomination=first, actor=npo_in)
    assert nominate(project, npo_in).status == NominationStatus.DRAFT


@pytest.mark.parametrize(
    "instant, allowed",
    [
        (datetime.datetime(2030, 8, 3, 23, 59, 59, 999999, tzinfo=COLOMBO), True),
        (datetime.datetime(2030, 8, 4, 0, 0, tzinfo=COLOMBO), False),
        (datetime.datetime(2030, 8, 3, 18, 29, 59, tzinfo=datetime.UTC), True),
        (datetime.datetime(2030, 8, 3, 18, 30, tzinfo=datetime.UTC), False),
    ],
)
def test_deadline_holds_at_its_exact_edge_in_the_project_zone(time_machine, npo_in, instant, allowed):
    project = edge_project()
    at(time_machine, datetime.datetime(2030, 8, 1, tzinfo=COLOMBO))
    submitted = nominate(project, npo_in, email="first@example.org")
    services.submit_nomination(nomination=submitted, actor=npo_in)
    draft = nominate(project, npo_in, email="second@example.org")
    services.submit_nomination(nomination=draft, actor=npo_in)
    other = nominate(project, npo_in, email="third@example.org")
    at(time_machine, instant)
    actions = [
        lambda: nominate(project, npo_in, email="late@example.org"),
        lambda: services.update_nomination(nomination=other, actor=npo_in, data={"position": "Director"}),
        lambda: services.submit_nomination(nomination=other, actor=npo_in),
        lambda: services.move_nomination(nomination=draft, actor=npo_in, direction="up"),
        lambda: services.rank_nominations(
            project=project, country=npo_in.npo_country, actor=npo_in, order=[draft.pk, submitted.pk]
        ),
        lambda: services.withdraw_nomination(nomination=submitted, actor=npo_in),
    ]
    for action in actions:
        if allowed:
            with transaction.atomic():
                action()
                transaction.set_rollback(True)
        else:
            before = list(Nomination.objects.order_by("pk").values())
            with pytest.raises(DomainError, match="Nominations closed at 4 Aug 2030, 00:00 Colombo"):
                action()
            assert list(Nomination.objects.order_by("pk").values()) == before


def test_secretariat_nominates_late_recorded_as_such(time_machine, secretariat):
    project = edge_project()
    at(time_machine, datetime.datetime(2030, 8, 5, tzinfo=COLOMBO))
    nomination = nominate(project, secretariat, country=factories.country("IN"))
    services.submit_nomination(nomination=nomination, actor=secretariat)
    nomination.refresh_from_db()
    assert nomination.is_late and nomination.status == NominationStatus.SUBMITTED
    created = AuditEntry.objects.for_object(nomination).get(action="nominations.nomination.created")
    assert created.details["late"] is True and created.actor == secretariat


def test_secretariat_before_deadline_is_not_late(project, secretariat):
    nomination = nominate(project, secretariat, country=factories.country("IN"))
    assert not nomination.is_late


def test_closed_project_refuses_officers(npo_in):
    project = factories.ProjectFactory(nominations_open=False)
    with pytest.raises(DomainError, match="not accepting"):
        nominate(project, npo_in)


def test_backfill_records_history_at_its_instant_and_says_so(npo_in):
    project = edge_project()
    when = datetime.datetime(2030, 7, 20, 10, tzinfo=COLOMBO)
    nomination = services.create_nomination(
        project=project, country=npo_in.npo_country, actor=None, data=data(), backfill_at=when
    )
    services.submit_nomination(nomination=nomination, actor=None, backfill_at=when)
    nomination.refresh_from_db()
    assert nomination.submitted_at == when and nomination.created_at == when
    entries = AuditEntry.objects.for_object(nomination)
    assert all(e.details["backfilled"] for e in entries) and entries.count() == 2
    assert not mail.outbox


def test_backfill_after_the_deadline_is_refused(npo_in):
    project = edge_project()
    with pytest.raises(DomainError):
        services.create_nomination(
            project=project,
            country=npo_in.npo_country,
            actor=None,
            data=data(),
            backfill_at=datetime.datetime(2030, 8, 4, tzinfo=COLOMBO),
        )


def _submitted(project, officer, n):
    result = []
    for i in range(n):
        nomination = nominate(project, officer, email=f"p{i}@example.org", certificate_name=f"Person {i}")
        result.append(services.submit_nomination(nomination=nomination, actor=officer))
    return result


def ranking(project, country):
    return list(
        Nomination.objects.filter(project=project, country=country, status="submitted")
        .order_by("priority")
        .values_list("certificate_name", "priority")
    )


def test_submission_gives_next_priority_and_repeating_changes_nothing(project, npo_in):
    a, b = _submitted(project, npo_in, 2)
    assert (a.priority, b.priority) == (1, 2)
    assert services.submit_nomination(nomination=b, actor=npo_in).priority == 2


def test_move_swaps_two_ranks_in_one_action(project, npo_in):
    a, _b, c = _submitted(project, npo_in, 3)
    services.move_nomination(nomination=c, actor=npo_in, direction="up")
    assert ranking(project, npo_in.npo_country) == [("Person 0", 1), ("Person 2", 2), ("Person 1", 3)]
    services.move_nomination(nomination=a, actor=npo_in, direction="down")
    assert ranking(project, npo_in.npo_country) == [("Person 2", 1), ("Person 0", 2), ("Person 1", 3)]
    moved = AuditEntry.objects.filter(action="nominations.nomination.reranked")
    assert moved.count() == 4


def test_move_beyond_the_ends_changes_nothing(project, npo_in):
    a, b = _submitted(project, npo_in, 2)
    assert services.move_nomination(nomination=a, actor=npo_in, direction="up") == {}
    assert services.move_nomination(nomination=b, actor=npo_in, direction="down") == {}


def test_rank_nominations_sets_the_whole_order(project, npo_in):
    a, b, c = _submitted(project, npo_in, 3)
    services.rank_nominations(project=project, country=npo_in.npo_country, actor=npo_in, order=[c.pk, a.pk, b.pk])
    assert ranking(project, npo_in.npo_country) == [("Person 2", 1), ("Person 0", 2), ("Person 1", 3)]


def test_rank_nominations_needs_every_submitted_nomination(project, npo_in):
    a, _b = _submitted(project, npo_in, 2)
    with pytest.raises(DomainError):
        services.rank_nominations(project=project, country=npo_in.npo_country, actor=npo_in, order=[a.pk])


def test_priorities_are_per_country(project, npo_in, npo_jp):
    _submitted(project, npo_in, 1)
    jp = nominate(project, npo_jp, email="jp@example.org")
    assert services.submit_nomination(nomination=jp, actor=npo_jp).priority == 1


def test_withdrawing_closes_the_gap_in_the_ranking(project, npo_in):
    a, _b, _c = _submitted(project, npo_in, 3)
    services.withdraw_nomination(nomination=a, actor=npo_in, reason="Transferred")
    assert ranking(project, npo_in.npo_country) == [("Person 1", 1), ("Person 2", 2)]
    a.refresh_from_db()
    assert (a.status, a.priority, a.withdrawal_reason) == ("withdrawn", None, "Transferred")


def test_withdrawn_nomination_cannot_be_submitted_or_edited(project, npo_in):
    nomination = nominate(project, npo_in)
    services.withdraw_nomination(nomination=nomination, actor=npo_in)
    with pytest.raises(DomainError):
        services.submit_nomination(nomination=nomination, actor=npo_in)
    with pytest.raises(DomainError):
        services.update_nomination(nomination=nomination, actor=npo_in, data={"position": "X"})


def test_update_records_the_changed_fields(project, npo_in):
    nomination = nominate(project, npo_in)
    services.update_nomination(nomination=nomination, actor=npo_in, data={"position": "Director", "phone": ""})
    entry = AuditEntry.objects.for_object(nomination).get(action="nominations.nomination.updated")
    assert entry.details["fields"] == ["position", "phone"]


def test_update_to_an_email_already_nominated_is_refused(project, npo_in):
    nominate(project, npo_in, email="taken@example.org")
    other = nominate(project, npo_in)
    with pytest.raises(DomainError) as excinfo:
        services.update_nomination(nomination=other, actor=npo_in, data={"email": "TAKEN@example.org"})
    assert excinfo.value.field == "email"


def test_state_shows_decision_only_after_publication(project, npo_in):
    from django.utils import timezone

    nomination = factories.NominationFactory(project=project, submitted=True, decision=Decision.RESERVE)
    assert nomination.state == NominationState.SUBMITTED
    project.selection_published_at = timezone.now()
    assert nomination.state == NominationState.RESERVE
    nomination.decision = Decision.DECLINED
    assert nomination.get_state_display() == "Not selected"


def _second_officer(country_iso2, email):
    return factories.npo_officer(country_iso2, email=email, full_name="Second Officer")


def test_submission_acknowledges_to_officer_copying_the_others(project, npo_in, django_capture_on_commit_callbacks):
    _second_officer("IN", "second.in@npo.example")
    factories.npo_officer("JP", email="jp.officer@npo.example")
    nomination = nominate(project, npo_in)
    with django_capture_on_commit_callbacks(execute=True):
        services.submit_nomination(nomination=nomination, actor=npo_in)
    [message] = mail.outbox
    assert message.to == [npo_in.email]
    assert message.cc == ["second.in@npo.example"]
    assert "Anjali Sharma" in message.subject and "Priority: 1" in message.body


def test_no_mail_is_queued_before_commit(project, npo_in, django_capture_on_commit_callbacks):
    nomination = nominate(project, npo_in)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.submit_nomination(nomination=nomination, actor=npo_in)
    assert len(callbacks) == 1 and not mail.outbox


def test_failing_mail_server_is_retried_by_the_sweep_and_the_nomination_kept(
    project, npo_in, settings, django_capture_on_commit_callbacks
):
    settings.MAILERS = {"default": {"BACKEND": "tests.mail_backends.RefusingBackend"}}
    RefusingBackend.refusals = 1
    nomination = nominate(project, npo_in)
    with time_machine.travel(datetime.datetime(2026, 3, 2, 9, 0, tzinfo=datetime.UTC), tick=False) as clock:
        with django_capture_on_commit_callbacks(execute=True):
            services.submit_nomination(nomination=nomination, actor=npo_in)
        nomination.refresh_from_db()
        assert (nomination.status, mail.outbox) == (NominationStatus.SUBMITTED, [])
        clock.shift(datetime.timedelta(minutes=1))
        outbox.sweep()
    assert len(mail.outbox) == 1


def test_acknowledgement_task_twice_sends_once(project, npo_in, django_capture_on_commit_callbacks):
    from nominations.tasks import send_submission_acknowledgement

    nomination = factories.NominationFactory(project=project, country=npo_in.npo_country, submitted=True)
    with django_capture_on_commit_callbacks(execute=True):
        send_submission_acknowledgement.delay(nomination_id=nomination.pk, officer_id=npo_in.pk)
    with django_capture_on_commit_callbacks(execute=True):
        send_submission_acknowledgement.delay(nomination_id=nomination.pk, officer_id=npo_in.pk)
        send_submission_acknowledgement.delay(nomination_id=999999)
    assert len(mail.outbox) == 1
