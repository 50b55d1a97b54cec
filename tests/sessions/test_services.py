import datetime
from functools import partial

import pytest
import time_machine
from django.core import mail
from django.utils import timezone

from apopms import mail as outbox
from apopms.exceptions import DomainError
from apopms.models import AuditEntry, Membership
from apopms.services import clone_project
from apopms.signals import project_cloned
from sessions import services
from sessions.models import ProgrammeVersion, ResourcePerson, Session
from sessions.programme import time_range
from sessions.selectors import versions_with_notified_at
from sessions.tasks import send_programme_notice
from tests import factories
from tests.concurrency import run_together
from tests.mail_backends import RefusingBackend

from .programme_helpers import at, build_programme, publish_selection

pytestmark = pytest.mark.django_db


def _local(project, actor, name, honorarium=True):
    return services.create_resource_person(
        project=project, actor=actor, name=name, category="local", local_honorarium=honorarium
    )


def test_a_third_local_honorarium_is_refused_with_a_clear_message(project, secretariat):
    _local(project, secretariat, "Dilani Perera")
    _local(project, secretariat, "Ruwan Fernando")
    with pytest.raises(DomainError) as error:
        _local(project, secretariat, "Nirmala Senanayake")
    assert error.value.field == "local_honorarium"
    assert "at most 2 local resource persons" in error.value.message
    assert "Dilani Perera and Ruwan Fernando already have one" in error.value.message
    assert not ResourcePerson.objects.filter(name="Nirmala Senanayake").exists()
    third = _local(project, secretariat, "Nirmala Senanayake", honorarium=False)
    with pytest.raises(DomainError):
        services.update_resource_person(person=third, actor=secretariat, local_honorarium=True)


def test_honorarium_can_pass_to_another_once_one_is_removed(project, secretariat):
    first = _local(project, secretariat, "A")
    _local(project, secretariat, "B")
    third = _local(project, secretariat, "C", honorarium=False)
    services.update_resource_person(person=first, actor=secretariat, local_honorarium=False)
    services.update_resource_person(person=third, actor=secretariat, local_honorarium=True)
    assert ResourcePerson.objects.filter(project=project, local_honorarium=True).count() == 2


def test_the_cap_counts_per_project(secretariat):
    one, other = factories.ProjectFactory(), factories.ProjectFactory()
    _local(one, secretariat, "A")
    _local(one, secretariat, "B")
    _local(other, secretariat, "A")
    _local(other, secretariat, "B")


def test_an_overseas_resource_person_gets_no_local_honorarium(project, secretariat):
    with pytest.raises(DomainError, match="Only local resource persons"):
        services.create_resource_person(
            project=project, actor=secretariat, name="X", category="overseas", local_honorarium=True
        )


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_the_honorarium_cap_holds_when_two_people_flag_at_once():
    project = factories.ProjectFactory()
    actor = factories.secretariat_user()
    _local(project, actor, "A")

    def flag(name):
        try:
            _local(project, actor, name)
        except DomainError:
            return "refused"
        return "ok"

    outcomes, errors = run_together([partial(flag, n) for n in ("B", "C")])
    assert errors == []
    assert sorted(outcomes) == ["ok", "refused"]
    assert ResourcePerson.objects.filter(project=project, local_honorarium=True).count() == 2


def test_a_session_must_be_on_one_of_the_projects_days(project, secretariat):
    with pytest.raises(DomainError, match="one of the project's days"):
        services.create_session(
            project=project,
            actor=secretariat,
            title="Too early",
            start_at=at(project, 0, "10:00"),
            end_at=at(project, 0, "13:00"),
        )
    with pytest.raises(DomainError, match="after the start"):
        services.create_session(
            project=project,
            actor=secretariat,
            title="Backwards",
            start_at=at(project, 1, "13:00"),
            end_at=at(project, 1, "10:00"),
        )


def test_moving_a_session_moves_its_agenda_items_and_raises_its_revision(project, secretariat):
    (session, *_), _ = build_programme(project, secretariat, days=1, items_per_session=2)
    session.refresh_from_db()
    before = session.revision
    services.update_session(
        session=session, actor=secretariat, start_at=at(project, 2, "14:00"), end_at=at(project, 2, "17:00")
    )
    session.refresh_from_db()
    items = list(session.agenda_items.order_by("position"))
    assert items[0].start_at == at(project, 2, "14:00")
    assert items[-1].end_at == at(project, 2, "17:00")
    assert session.revision == before + 1
    assert AuditEntry.objects.filter(action="agenda.session.updated").exists()


def test_shortening_a_session_below_its_items_is_refused(project, secretariat):
    (session, *_), _ = build_programme(project, secretariat, days=1, items_per_session=2)
    with pytest.raises(DomainError, match="outside the session"):
        services.update_session(session=session, actor=secretariat, end_at=at(project, 1, "11:00"))


def test_an_agenda_item_must_lie_within_its_session(project, secretariat):
    (session, *_), _ = build_programme(project, secretariat, days=1, items_per_session=0)
    with pytest.raises(DomainError, match="within its session"):
        services.create_agenda_item(
            session=session,
            actor=secretariat,
            title="Late",
            start_at=at(project, 1, "12:30"),
            end_at=at(project, 1, "13:30"),
        )


def test_agenda_items_keep_their_order_and_move(project, secretariat):
    (session, *_), _ = build_programme(project, secretariat, days=1, items_per_session=3)
    items = list(session.agenda_items.order_by("position"))
    assert [i.position for i in items] == [1, 2, 3]
    services.move_agenda_item(item=items[2], actor=secretariat, direction="up")
    assert list(session.agenda_items.order_by("position").values_list("pk", flat=True)) == [
        items[0].pk,
        items[2].pk,
        items[1].pk,
    ]
    services.move_agenda_item(item=items[0], actor=secretariat, direction="up")  # already first: nothing
    assert session.agenda_items.get(pk=items[0].pk).position == 1


def test_every_change_to_a_session_or_its_agenda_raises_its_revision(project, secretariat):
    (session, *_), (speaker, *_) = build_programme(project, secretariat, days=1, items_per_session=1)
    item = session.agenda_items.get()
    revisions = [Session.objects.get(pk=session.pk).revision]
    services.update_agenda_item(item=item, actor=secretariat, title="Renamed")
    revisions.append(Session.objects.get(pk=session.pk).revision)
    services.update_resource_person(person=speaker, actor=secretariat, organization="Another institute")
    revisions.append(Session.objects.get(pk=session.pk).revision)
    services.delete_agenda_item(item=item, actor=secretariat)
    revisions.append(Session.objects.get(pk=session.pk).revision)
    assert revisions == sorted(set(revisions))


def test_a_session_with_attendance_is_not_removed(project, secretariat):
    session = factories.SessionFactory(project=project)
    factories.AttendanceFactory(session=session, participant__nomination__project=project)
    with pytest.raises(DomainError, match="Attendance has been recorded"):
        services.delete_session(session=session, actor=secretariat)


def test_announcing_before_the_selection_needs_a_confirmation(project, secretariat):
    build_programme(project, secretariat, days=1)
    with pytest.raises(DomainError, match="selection of participants is not published") as error:
        services.announce_programme(project=project, actor=secretariat)
    assert error.value.field == "without_participants"
    version = services.announce_programme(project=project, actor=secretariat, without_participants=True)
    assert version.number == 1 and not version.with_participants
    assert version.snapshot["participants"] is None


def test_announcing_publishes_the_programme_with_the_participants_once(project, secretariat):
    build_programme(project, secretariat)
    (participant,) = publish_selection(project)
    version = services.announce_programme(project=project, actor=secretariat)
    again = services.announce_programme(project=project, actor=secretariat)
    assert again.pk == version.pk
    assert ProgrammeVersion.objects.filter(project=project).count() == 1
    assert version.with_participants
    assert version.snapshot["participants"] == [{"name": participant.certificate_name, "country": "India"}]
    assert len(version.snapshot["sessions"]) == 3
    project.refresh_from_db()
    assert project.programme_published_at == version.published_at


def test_announcing_needs_a_session(project, secretariat):
    with pytest.raises(DomainError, match="at least one session"):
        services.announce_programme(project=project, actor=secretariat, without_participants=True)


def test_a_late_announcement_is_warned_about(secretariat):
    start = datetime.date(2030, 9, 20)
    project = factories.ProjectFactory(start_date=start, end_date=start + datetime.timedelta(days=2))
    on_time = datetime.datetime(2030, 9, 5, 12, tzinfo=datetime.UTC)
    late = datetime.datetime(2030, 9, 10, 12, tzinfo=datetime.UTC)
    assert not any("two weeks" in w for w in services.announcement_warnings(project, now=on_time))
    (warning,) = [w for w in services.announcement_warnings(project, now=late) if "two weeks" in w]
    assert "6 September 2030" in warning


def test_each_change_after_publication_becomes_a_new_version_with_what_changed(project, secretariat):
    sessions, _ = build_programme(project, secretariat)
    publish_selection(project)
    services.announce_programme(project=project, actor=secretariat)
    services.update_session(
        session=sessions[1], actor=secretariat, start_at=at(project, 2, "11:00"), end_at=at(project, 2, "14:00")
    )
    # The published version is untouched until the update is published.
    assert ProgrammeVersion.objects.filter(project=project).count() == 1
    with pytest.raises(DomainError, match="Say briefly what changed"):
        services.publish_programme_update(project=project, actor=secretariat, change_note=" ")
    version, created = services.publish_programme_update(
        project=project, actor=secretariat, change_note="Day 2 starts an hour later."
    )
    assert created and version.number == 2
    assert version.change_note == "Day 2 starts an hour later."
    old = time_range(at(project, 2, "10:00"), at(project, 2, "13:00"), project.zone)
    new = time_range(at(project, 2, "11:00"), at(project, 2, "14:00"), project.zone)
    assert version.changes == [f"Session “Day 2” moved from {old} to {new}."]
    assert new.endswith("11:00–14:00 Colombo (UTC+05:30)")
    same, created = services.publish_programme_update(project=project, actor=secretariat, change_note="again")
    assert same.pk == version.pk and not created


def test_programme_e_mails_go_once_per_version_to_npo_officers_and_participants(
    project, secretariat, django_capture_on_commit_callbacks
):

    project.participating_countries.set([factories.country("IN"), factories.country("LK")])
    officer_in = factories.npo_officer("IN")
    factories.npo_officer("JP")  # Japan does not take part
    inactive = factories.npo_officer("LK")
    Membership.objects.filter(user=inactive).update(active=False)
    participants = publish_selection(project, countries=("IN", "LK"))
    sessions, _ = build_programme(project, secretariat)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        version = services.announce_programme(project=project, actor=secretariat)
    expected = sorted([officer_in.email, *(p.user.email for p in participants)])
    assert sorted(m.to[0] for m in mail.outbox) == expected
    assert "Programme announced" in mail.outbox[0].subject
    # Run again (a retry, a duplicate delivery): nobody gets it twice.
    send_programme_notice.apply(kwargs={"version_id": version.pk})
    assert len(mail.outbox) == 3
    assert versions_with_notified_at().get(pk=version.pk).notified_at is not None  # from the outbox

    services.update_agenda_item(item=sessions[0].agenda_items.first(), actor=secretariat, title="Welcome")
    with django_capture_on_commit_callbacks(execute=True):
        services.publish_programme_update(project=project, actor=secretariat, change_note="New title.")
    assert len(mail.outbox) == 6
    update = next(m for m in mail.outbox[3:] if m.to == [participants[0].user.email])
    assert "version 2" in update.subject
    assert "New title." in update.body and "“Welcome”" in update.body
    # The participant from India reads the times in India's zone too.
    assert "Kolkata (UTC+05:30)" in update.body


def test_a_half_sent_notice_resumes_without_repeating(project, secretariat, settings):
    """The mail server goes away after the first message: the sweep sends the rest, nobody twice."""
    publish_selection(project, countries=("IN", "JP", "PH"))
    build_programme(project, secretariat, days=1)
    version = services.announce_programme(project=project, actor=secretariat, notify=False)
    mail.outbox.clear()
    with time_machine.travel(timezone.now(), tick=False) as clock:
        services.send_programme_notices(version_id=version.pk)  # no commit callbacks: the sweep sends
        clock.shift(outbox.sweep_after())
        settings.MAILERS = {"default": {"BACKEND": "tests.mail_backends.RefusingBackend"}}
        RefusingBackend.refusals = 0
        outbox.sweep(limit=1)
        RefusingBackend.refusals = 100
        outbox.sweep()
        assert len(mail.outbox) == 1
        RefusingBackend.refusals = 0
        clock.shift(datetime.timedelta(minutes=1))
        outbox.sweep()
        services.send_programme_notices(version_id=version.pk)
        clock.shift(outbox.sweep_after())
        assert outbox.sweep() == 0
    recipients = [m.to[0] for m in mail.outbox]
    assert len(recipients) == len(set(recipients)) == len(services.programme_notice_recipients(project))


def test_copying_the_programme_skeleton_shifts_it_by_whole_days(secretariat):
    source = factories.ProjectFactory()
    build_programme(source, secretariat, days=2, items_per_session=2)
    offset = 365
    clone = factories.ProjectFactory(
        start_date=source.start_date + datetime.timedelta(days=offset),
        end_date=source.end_date + datetime.timedelta(days=offset),
    )
    created = services.copy_programme_skeleton(source=source, clone=clone, day_offset=offset, actor=secretariat)
    assert len(created) == 2
    first = Session.objects.filter(project=clone).order_by("start_at").first()
    assert first.start_at == at(clone, 1, "10:00")
    assert first.join_url == ""
    assert [i.title for i in first.agenda_items.order_by("position")] == ["Part 1 of day 1", "Part 2 of day 1"]
    assert not first.agenda_items.filter(speakers__isnull=False).exists()
    assert services.copy_programme_skeleton(source=source, clone=clone, day_offset=offset) == []


def test_the_core_project_cloned_signal_copies_the_programme(secretariat):
    source = factories.ProjectFactory()
    build_programme(source, secretariat, days=1, items_per_session=1)
    clone = factories.ProjectFactory(
        start_date=source.start_date + datetime.timedelta(days=7), end_date=source.end_date + datetime.timedelta(days=7)
    )
    project_cloned.send(sender=type(source), source=source, clone=clone, day_offset=7, actor=secretariat)
    assert Session.objects.get(project=clone).start_at == at(clone, 1, "10:00")


def test_cloning_a_project_in_the_core_copies_its_programme(secretariat):
    source = factories.ProjectFactory()
    build_programme(source, secretariat, days=3, items_per_session=2)
    start = source.start_date + datetime.timedelta(days=364)
    clone = clone_project(actor=secretariat, source=source, code="CLONE-1", start_date=start)
    sessions = list(Session.objects.filter(project=clone).order_by("start_at"))
    assert [s.start_at for s in sessions] == [at(clone, day, "10:00") for day in (1, 2, 3)]
    assert [s.day_number for s in sessions] == [1, 2, 3]
    assert sum(s.agenda_items.count() for s in sessions) == 6


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_people_announcing_at_once_make_one_version():
    project = factories.ProjectFactory()
    actor = factories.secretariat_user()
    build_programme(project, actor, days=1)

    def announce():
        return services.announce_programme(project=project, actor=actor, without_participants=True, notify=False).number

    numbers, errors = run_together([announce] * 2)
    assert errors == []
    assert numbers == [1, 1]
    assert ProgrammeVersion.objects.filter(project=project).count() == 1


def test_a_resource_persons_country_is_a_member_country_or_other(project, secretariat):
    person = services.create_resource_person(project=project, actor=secretariat, name="Ana Cruz", country="Philippines")
    other = services.create_resource_person(project=project, actor=secretariat, name="Jan de Vries", country="Other")
    assert (person.country, other.country) == ("Philippines", "Other")
    with pytest.raises(DomainError, match="“Philipines” is not a member country") as exc:
        services.create_resource_person(project=project, actor=secretariat, name="Ben Ong", country="Philipines")
    assert exc.value.field == "country"
    with pytest.raises(DomainError, match="not a member country"):
        services.update_resource_person(person=person, actor=secretariat, country="Atlantis")
    person.refresh_from_db()
    assert person.country == "Philippines"
    assert not ResourcePerson.objects.filter(name="Ben Ong").exists()
