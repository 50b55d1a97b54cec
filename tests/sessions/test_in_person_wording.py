"""An in-person project speaks of rooms and site visits, never of Zoom, links to join or virtual site
visits, on every page any role opens (the words of a digital project)."""

import contextlib
import datetime
import re

import pytest
from django.urls import NoReverseMatch, reverse

from apopms.enums import Modality
from sessions import services
from sessions.enums import AgendaItemKind
from tests import factories
from tests.e2e.reach import EXCLUDED, url_names

pytestmark = pytest.mark.django_db

DIGITAL_WORDS = re.compile(r"zoom|link to join|links to join|virtual site visit|join “|minutes connected", re.I)


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def in_person(secretariat):
    """Four days in Dhaka, a room per session, an on-site visit, participants marked by hand."""
    project = factories.ProjectFactory(
        code="26-AG-12-GE-WSP-A",
        modality=Modality.IN_PERSON,
        venue="Dhaka, Bangladesh",
        start_date=datetime.date(2026, 3, 2),
        end_date=datetime.date(2026, 3, 5),
        nomination_deadline=datetime.datetime(2026, 2, 1, tzinfo=datetime.UTC),
    )
    people = [factories.ParticipantFactory(nomination__project=project) for _ in range(2)]
    sessions = []
    for n in range(4):
        day = project.start_date + datetime.timedelta(days=n)
        start = datetime.datetime.combine(day, datetime.time(9), tzinfo=project.zone)
        session = services.create_session(
            project=project,
            actor=secretariat,
            title=f"Day {n + 1}",
            start_at=start,
            end_at=start + datetime.timedelta(hours=8),
            room="Hall B",
        )
        kind = AgendaItemKind.SITE_VISIT if n == 2 else AgendaItemKind.PRESENTATION
        services.create_agenda_item(
            session=session,
            actor=secretariat,
            title=f"Part {n + 1}",
            kind=kind,
            start_at=start,
            end_at=start + datetime.timedelta(hours=2),
        )
        services.mark_session_present(session=session, actor=secretariat)
        sessions.append(session)
    services.announce_programme(project=project, actor=secretariat, notify=False, without_participants=True)
    return project, sessions, people


def _project_pages(project):
    """Every named page of the portal that takes only a project code (GET)."""
    names = sorted(n for n in url_names() if n not in EXCLUDED)
    urls = []
    for name in names:
        with contextlib.suppress(NoReverseMatch):  # a pattern with other arguments, or none
            urls.append(reverse(name, kwargs={"code": project.code}))
    return urls


def _assert_no_digital_words(client, user, urls):
    client.force_login(user)
    checked = 0
    for url in urls:
        response = client.get(url)
        if response.status_code != 200 or not response.get("Content-Type", "").startswith("text/html"):
            continue
        checked += 1
        text = response.content.decode()
        found = DIGITAL_WORDS.findall(text)
        assert not found, f"{url} says {found}"
    return checked


def test_no_page_of_an_in_person_project_speaks_of_zoom_links_or_virtual_visits(client, in_person, secretariat):
    project, sessions, people = in_person
    urls = _project_pages(project)
    extra = [
        reverse("agenda:session_edit", kwargs={"code": project.code, "pk": sessions[0].pk}),
        reverse(
            "agenda:attendance_mark",
            kwargs={"code": project.code, "participant_id": people[0].pk, "session_id": sessions[0].pk},
        ),
        reverse("agenda:attendance_index"),
        reverse("workspace:landing"),
        project.get_absolute_url(),
    ]
    checked = _assert_no_digital_words(client, secretariat, urls + extra)
    assert checked >= 20
    implementer = factories.implementer(project)
    assert _assert_no_digital_words(client, implementer, urls + extra) >= 5
    participant = people[0].user
    mine = [reverse("agenda:my_workshop"), reverse("agenda:programme", kwargs={"code": project.code})]
    assert _assert_no_digital_words(client, participant, urls + mine) >= 3
    officer = factories.npo_officer(people[0].country.iso2)
    assert _assert_no_digital_words(client, officer, urls) >= 3


def test_the_in_person_programme_shows_rooms_and_an_on_site_visit(client, in_person, secretariat):
    project, _, _ = in_person
    html = client.get(reverse("agenda:programme", kwargs={"code": project.code})).content.decode()
    assert html.count("Room: Hall B") == 4
    assert "Site visit" in html


def test_an_in_person_session_has_no_link_field_and_the_import_sends_to_the_grid(client, in_person, secretariat):
    project, sessions, _ = in_person
    client.force_login(secretariat)
    form = client.get(reverse("agenda:session_edit", kwargs={"code": project.code, "pk": sessions[0].pk})).context[
        "form"
    ]
    assert ("room" in form.fields, "join_url" in form.fields) == (True, False)
    response = client.get(reverse("agenda:attendance_import_upload", kwargs={"code": project.code}))
    assert response["Location"] == reverse("agenda:attendance_grid", kwargs={"code": project.code})


def test_a_hybrid_session_has_a_room_and_a_link(client, secretariat):
    project = factories.ProjectFactory(modality=Modality.HYBRID, venue="Tokyo")
    session = factories.SessionFactory(project=project, room="Room 3", join_url="https://meet.example/j/1")
    factories.ParticipantFactory(nomination__project=project)
    client.force_login(secretariat)
    form = client.get(reverse("agenda:session_edit", kwargs={"code": project.code, "pk": session.pk})).context["form"]
    assert {"room", "join_url"} <= set(form.fields)
    grid = client.get(reverse("agenda:attendance_grid", kwargs={"code": project.code})).content.decode()
    assert "Import a video-conference report" in grid
    assert "All present" in grid
