import datetime
import re

import pytest
import time_machine
from django.urls import reverse

from apopms.models import Membership, Project
from sessions import services
from sessions.models import ProgrammeVersion, ResourcePerson, Session
from tests import factories
from tests.permissions import LOGIN, assert_matrix, role_users

from .programme_helpers import at, build_programme, publish_selection

pytestmark = pytest.mark.django_db


def _url(name, project, **kwargs):
    return reverse(f"agenda:{name}", kwargs={"code": project.code, **kwargs})


def test_a_draft_programme_is_seen_only_by_the_secretariat_and_implementers(client, project, secretariat):
    build_programme(project, secretariat)
    users = role_users(project)
    assert_matrix(
        client,
        _url("programme", project),
        users,
        {
            "anonymous": LOGIN,
            "own_npo": 404,
            "other_npo": 404,
            "host_npo": 404,
            "participant": 404,
            "implementer": 200,
            "secretariat": 200,
        },
    )
    client.force_login(users["implementer"])
    assert "Draft." in client.get(_url("programme", project)).content.decode()


def test_a_published_programme_is_seen_by_everyone(client, project, secretariat):
    build_programme(project, secretariat)
    users = role_users(project)
    services.announce_programme(project=project, actor=secretariat, without_participants=True, notify=False)
    everyone = dict.fromkeys(users, 200)
    assert_matrix(client, _url("programme", project), users, everyone)
    assert_matrix(client, _url("programme_ics", project), users, everyone)


def test_the_programme_of_an_unannounced_project_is_not_found(client, secretariat):
    project = factories.ProjectFactory(notification_issued_at=None)
    build_programme(project, secretariat, days=1)
    services.announce_programme(project=project, actor=secretariat, without_participants=True, notify=False)
    client.force_login(factories.npo_officer("IN"))
    assert client.get(_url("programme", project)).status_code == 404


def test_draft_changes_stay_hidden_until_the_update_is_published(client, project, secretariat):
    sessions, _ = build_programme(project, secretariat)
    services.announce_programme(project=project, actor=secretariat, without_participants=True, notify=False)
    services.update_session(session=sessions[0], actor=secretariat, title="Opening day")
    html = client.get(_url("programme", project)).content.decode()
    assert "Opening day" not in html and "Announced on" in html
    client.force_login(factories.implementer(project))
    assert "Opening day" in client.get(_url("programme", project) + "?draft=1").content.decode()
    client.force_login(factories.npo_officer("IN"))
    assert "Opening day" not in client.get(_url("programme", project) + "?draft=1").content.decode()
    client.logout()
    services.publish_programme_update(project=project, actor=secretariat, change_note="Day 1 renamed.")
    html = client.get(_url("programme", project)).content.decode()
    assert "Opening day" in html
    assert "Updated on" in html and "(version 2)" in html
    assert "Day 1 renamed." in html
    assert "Session “Day 1” is now called “Opening day”." in html


def test_the_link_to_join_is_shown_to_participants_only(client, project, secretariat):
    build_programme(project, secretariat, days=1)
    users = role_users(project)
    services.announce_programme(project=project, actor=secretariat, without_participants=True, notify=False)
    for role, sees in [("participant", True), ("own_npo", False), ("anonymous", False), ("implementer", False)]:
        client.logout()
        if users[role]:
            client.force_login(users[role])
        html = client.get(_url("programme", project)).content.decode()
        assert ("https://zoom.example/j/1" in html) is sees, role


def test_participant_names_are_for_those_taking_part(client, project, secretariat):
    build_programme(project, secretariat, days=1)
    (participant,) = publish_selection(project)
    services.announce_programme(project=project, actor=secretariat, notify=False)
    anonymous = client.get(_url("programme", project)).content.decode()
    assert "1 selected participant from 1 country" in anonymous
    assert participant.certificate_name not in anonymous
    client.force_login(factories.npo_officer("JP"))
    assert participant.certificate_name in client.get(_url("programme", project)).content.decode()


def test_a_participant_sees_times_in_their_countrys_zone(client, project, secretariat):
    build_programme(project, secretariat, days=1)
    (participant,) = publish_selection(project, countries=("NP",))
    services.announce_programme(project=project, actor=secretariat, notify=False)
    client.force_login(participant.user)
    html = client.get(_url("programme", project)).content.decode()
    assert "10:00–13:00 Colombo (UTC+05:30)" in html
    assert "10:15–13:15 Kathmandu (UTC+05:45)" in html


def test_a_users_own_zone_wins_over_the_countrys(client, project, secretariat):
    build_programme(project, secretariat, days=1)
    officer = factories.npo_officer("IN", time_zone="Pacific/Fiji")
    services.announce_programme(project=project, actor=secretariat, without_participants=True, notify=False)
    client.force_login(officer)
    assert "Fiji (UTC+12:00)" in client.get(_url("programme", project)).content.decode()


def test_a_chosen_zone_is_remembered_and_marks_another_date(client, secretariat):
    start = datetime.date(2030, 8, 20)
    project = factories.ProjectFactory(start_date=start, end_date=start + datetime.timedelta(days=2))
    services.create_session(
        project=project,
        actor=secretariat,
        title="Evening",
        start_at=at(project, 1, "20:00"),
        end_at=at(project, 1, "22:00"),
    )
    services.announce_programme(project=project, actor=secretariat, without_participants=True, notify=False)
    page = _url("programme", project)
    response = client.post(reverse("agenda:set_zone"), {"zone": "Pacific/Fiji", "next": page})
    assert response.status_code == 302 and response["Location"] == page
    html = client.get(page).content.decode()
    assert "20:00–22:00 Colombo (UTC+05:30)" in html
    assert "Wed 21 Aug, 02:30–04:30 Fiji (UTC+12:00)" in html
    assert "The next day for you" in html
    client.post(reverse("agenda:set_zone"), {"zone": "Europe/Istanbul", "next": page})
    html = client.get(page).content.decode()
    assert "17:30–19:30 Istanbul (UTC+03:00)" in html and "for you" not in html


def test_choosing_a_zone_never_redirects_elsewhere(client):
    response = client.post(reverse("agenda:set_zone"), {"zone": "Asia/Tokyo", "next": "https://evil.example/"})
    assert response["Location"] == reverse("home")
    response = client.post(reverse("agenda:set_zone"), {"zone": "Not/AZone", "next": "/"})
    assert response.status_code == 302


@pytest.mark.parametrize("days", [1, 3])
def test_the_published_programme_page_runs_the_same_eight_queries_for_1_or_3_days(
    client, days, secretariat, django_assert_num_queries
):
    start = datetime.date(2030, 5, 1)
    project = factories.ProjectFactory(start_date=start, end_date=start + datetime.timedelta(days=2))
    build_programme(project, secretariat, days=days, items_per_session=2 if days == 1 else 8, speakers=days * 3)
    participants = publish_selection(project, countries=("IN",) * (2 if days == 1 else 20))
    services.announce_programme(project=project, actor=secretariat, notify=False)
    client.force_login(participants[0].user)
    with django_assert_num_queries(8):
        assert client.get(_url("programme", project)).status_code == 200


@pytest.mark.parametrize("days", [1, 3])
def test_the_draft_programme_page_runs_the_same_12_queries_for_1_or_3_days(
    client, days, secretariat, django_assert_num_queries
):
    start = datetime.date(2030, 5, 1)
    project = factories.ProjectFactory(start_date=start, end_date=start + datetime.timedelta(days=2))
    build_programme(project, secretariat, days=days, items_per_session=2 if days == 1 else 8, speakers=days * 3)
    publish_selection(project, countries=("IN",) * (2 if days == 1 else 20))
    client.force_login(secretariat)
    with django_assert_num_queries(12):
        assert client.get(_url("programme", project)).status_code == 200


@pytest.mark.parametrize("days", [1, 3])
def test_the_editor_runs_the_same_13_queries_for_1_or_3_days(client, days, secretariat, django_assert_num_queries):
    start = datetime.date(2030, 5, 1)
    project = factories.ProjectFactory(start_date=start, end_date=start + datetime.timedelta(days=2))
    build_programme(project, secretariat, days=days, items_per_session=2 if days == 1 else 8, speakers=days * 3)
    services.announce_programme(project=project, actor=secretariat, without_participants=True, notify=False)
    client.force_login(secretariat)
    with django_assert_num_queries(13):
        assert client.get(_url("manage", project)).status_code == 200


def test_the_zone_list_offers_member_countries_first(client, project, secretariat):
    build_programme(project, secretariat, days=1)
    services.announce_programme(project=project, actor=secretariat, without_participants=True, notify=False)
    html = client.get(_url("programme", project)).content.decode()
    assert '<optgroup label="Member countries">' in html
    assert "Fiji: Fiji (UTC+12:00)" in html
    assert "Nepal: Kathmandu (UTC+05:45)" in html


def test_the_editor_is_for_the_secretariat_and_the_projects_implementers(client, project, secretariat):
    sessions, (speaker, *_) = build_programme(project, secretariat, days=1)
    item = sessions[0].agenda_items.first()
    users = role_users(project)
    expected = {
        "anonymous": LOGIN,
        "own_npo": 403,
        "other_npo": 403,
        "host_npo": 403,
        "participant": 404,
        "implementer": 200,
        "secretariat": 200,
    }
    for url in [
        _url("manage", project),
        _url("publish", project),
        _url("session_create", project),
        _url("session_edit", project, pk=sessions[0].pk),
        _url("session_delete", project, pk=sessions[0].pk),
        _url("item_create", project, session_pk=sessions[0].pk),
        _url("item_edit", project, pk=item.pk),
        _url("item_delete", project, pk=item.pk),
        _url("speaker_create", project),
        _url("speaker_edit", project, pk=speaker.pk),
        _url("speaker_delete", project, pk=speaker.pk),
    ]:
        assert_matrix(client, url, users, expected)
    assert_matrix(
        client,
        _url("item_move", project, pk=item.pk),
        users,
        {**expected, "implementer": 302, "secretariat": 302},
        method="post",
        data={"direction": "down"},
    )


def test_an_implementer_of_another_project_cannot_edit(client, project, secretariat):
    other = factories.implementer(factories.ProjectFactory())
    client.force_login(other)
    assert client.get(_url("manage", project)).status_code == 404  # not a project of theirs


def test_an_implementer_adds_a_session_in_the_projects_zone(client, project):
    implementer = factories.implementer(project)
    client.force_login(implementer)
    response = client.post(
        _url("session_create", project),
        {
            "title": "Day 1",
            "day": project.start_date.isoformat(),
            "start_time": "10:00",
            "end_time": "13:00",
            "join_url": "https://zoom.example/j/9",
        },
    )
    assert response.status_code == 302
    session = Session.objects.get(project=project)
    assert session.start_at == at(project, 1, "10:00")
    response = client.post(
        _url("item_create", project, session_pk=session.pk),
        {"kind": "opening", "title": "Opening", "start_time": "10:00", "end_time": "10:30"},
    )
    assert response.status_code == 302
    assert session.agenda_items.get().end_at == at(project, 1, "10:30")
    response = client.post(
        _url("item_create", project, session_pk=session.pk),
        {"kind": "closing", "title": "Too late", "start_time": "12:30", "end_time": "13:30"},
    )
    assert "must lie within its session" in response.content.decode()


def test_the_third_honorarium_is_refused_in_the_form(client, project, secretariat):
    for name in ("A", "B"):
        services.create_resource_person(
            project=project, actor=secretariat, name=name, category="local", local_honorarium=True
        )
    client.force_login(secretariat)
    response = client.post(
        _url("speaker_create", project),
        {"name": "C", "category": "local", "local_honorarium": "on", "biography": ""},
    )
    assert response.status_code == 200
    assert "at most 2 local resource persons per project" in response.content.decode()
    assert not ResourcePerson.objects.filter(name="C").exists()


def test_announcing_and_updating_through_the_portal(client, project, secretariat):
    build_programme(project, secretariat, days=1)
    client.force_login(secretariat)
    page = client.get(_url("publish", project)).content.decode()
    assert "selection of participants is not published yet" in page
    response = client.post(_url("publish", project), {"change_note": ""})
    assert "confirm that the programme is announced alone" in response.content.decode()
    response = client.post(_url("publish", project), {"without_participants": "on"})
    assert response.status_code == 302
    assert ProgrammeVersion.objects.get(project=project).number == 1
    session = Session.objects.get(project=project)
    services.update_session(session=session, actor=secretariat, title="First day")
    page = client.get(_url("publish", project)).content.decode()
    assert "Session “Day 1” is now called “First day”." in page
    response = client.post(_url("publish", project), {"change_note": "Renamed."})
    assert response.status_code == 302
    assert ProgrammeVersion.objects.filter(project=project).count() == 2


@time_machine.travel(datetime.datetime(2030, 5, 1, 3, 0, tzinfo=datetime.UTC), tick=False)
def test_announcing_late_shows_a_warning(client, secretariat):
    start = datetime.date(2030, 5, 6)  # five days ahead: the programme was due two weeks before
    project = factories.ProjectFactory(
        start_date=start,
        end_date=start + datetime.timedelta(days=2),
        nomination_deadline=factories.Project.deadline_for(start - datetime.timedelta(days=3), "Asia/Colombo"),
    )
    build_programme(project, secretariat, days=1)
    client.force_login(secretariat)
    assert "later than two weeks before the start" in client.get(_url("publish", project)).content.decode()
    assert "later than two weeks before the start" in client.get(_url("manage", project)).content.decode()


def test_my_workshop_is_for_participants(client, project, secretariat):
    build_programme(project, secretariat, days=1)
    users = role_users(project)
    services.announce_programme(project=project, actor=secretariat, without_participants=True, notify=False)
    assert_matrix(
        client,
        reverse("agenda:my_workshop"),
        users,
        {"anonymous": LOGIN, "own_npo": 403, "implementer": 403, "secretariat": 403, "participant": 200},
    )
    client.force_login(users["participant"])
    html = client.get(reverse("agenda:my_workshop")).content.decode()
    assert project.title in html
    assert "https://zoom.example/j/1" in html
    assert "Kolkata (UTC+05:30)" in html  # the participant is from India
    assert 'href="/my-workshop/"' in html  # the navigation offers it
    assert f"/projects/{project.code}/programme.ics?key=" in html


def test_my_workshop_before_the_announcement(client, project):
    participant = factories.ParticipantFactory(nomination__project=project)
    client.force_login(participant.user)
    assert "has not been announced yet" in client.get(reverse("agenda:my_workshop")).content.decode()


def test_a_withdrawn_participant_no_longer_sees_the_link(client, project, secretariat):
    build_programme(project, secretariat, days=1)
    (participant,) = publish_selection(project)
    services.announce_programme(project=project, actor=secretariat, notify=False)
    participant.status = "withdrawn"
    participant.save()
    client.force_login(participant.user)
    assert "zoom.example" not in client.get(_url("programme", project)).content.decode()


def test_the_host_implementer_role_is_project_scoped(project):
    implementer = factories.implementer(project)
    assert Membership.objects.get(user=implementer).project == project


def test_project_pages_link_to_their_programme_once_published(client, project, secretariat):
    html = client.get(project.get_absolute_url()).content.decode()
    assert f'href="{_url("programme", project)}"' not in html
    assert "Programme not published yet" in html
    build_programme(project, secretariat, days=1)
    services.announce_programme(project=project, actor=secretariat, without_participants=True, notify=False)
    html = client.get(project.get_absolute_url()).content.decode()
    assert f'href="{_url("programme", project)}"' in html


@time_machine.travel(datetime.datetime(2030, 2, 10, 4, tzinfo=datetime.UTC), tick=False)
def test_the_editor_shows_every_time_in_the_projects_zone_and_each_title_once(client, secretariat):
    project = factories.ProjectFactory(
        start_date=datetime.date(2030, 3, 22),
        end_date=datetime.date(2030, 3, 24),
        time_zone="Asia/Colombo",
        nomination_deadline=Project.deadline_for(datetime.date(2030, 2, 20), "Asia/Colombo"),
    )
    title = "Day 1: Performance management systems"
    session = services.create_session(
        project=project,
        actor=secretariat,
        title=title,
        start_at=at(project, 1, "10:00"),
        end_at=at(project, 1, "13:00"),
    )
    for start, end in (("10:00", "10:20"), ("10:20", "10:50")):
        services.create_agenda_item(
            session=session,
            actor=secretariat,
            title=f"Part at {start}",
            start_at=at(project, 1, start),
            end_at=at(project, 1, end),
        )
    services.announce_programme(project=project, actor=secretariat, without_participants=True, notify=False)
    client.force_login(secretariat)
    html = client.get(_url("manage", project)).content.decode()
    heading = re.search(rf'<h3 id="s{session.pk}-h"[^>]*>(.*?)</h3>', html).group(1)
    assert heading == title
    assert "Day 1: Day 1" not in html
    times = re.search(r'class="mb-0 small session-times">([^<]*)', html).group(1)
    assert times.startswith("Day 1 · Fri 22 Mar 2030, 10:00–13:00 Colombo (UTC+05:30)")
    assert re.findall(r'class="text-nowrap item-times">(.*?)</td>', html) == ["10:00–10:20", "10:20–10:50"]
    assert "Time (Colombo (UTC+05:30))" in html
    assert "Published: version 1 of 10 February 2030, 09:30 Colombo (UTC+05:30)." in html
    assert "04:30" not in html and "UTC." not in html
