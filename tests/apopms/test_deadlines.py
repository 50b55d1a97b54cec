"""One sentence states a project's nomination deadline, the same on every page, and a page
never contradicts it after the Secretariat closes nominations by hand."""

import datetime
import re

import pytest
import time_machine
from django.urls import reverse

from apopms import services
from apopms.deadlines import deadline_sentence
from apopms.models import Project
from tests import factories

pytestmark = pytest.mark.django_db

JULY = datetime.datetime(2022, 7, 20, 6, tzinfo=datetime.UTC)
OPEN = "Nominations close at the end of 3 August 2022, Colombo time"


@pytest.fixture
def project():
    return factories.ProjectFactory(
        code="22-PSP-DMC",
        start_date=datetime.date(2022, 8, 24),
        end_date=datetime.date(2022, 8, 26),
        nomination_deadline=Project.deadline_for(datetime.date(2022, 8, 3), "Asia/Colombo"),
        notification_issued_at=datetime.datetime(2022, 7, 1, tzinfo=datetime.UTC),
    )


def _pages(project):
    return [
        project.get_absolute_url(),
        reverse("nominations:index"),
        reverse("nominations:project", kwargs={"code": project.code}),
        reverse("project_manage", kwargs={"code": project.code}),
        reverse("workspace:landing"),
    ]


def _text(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


@time_machine.travel(JULY, tick=False)
def test_sentence_before_after_and_closed_by_hand(project):
    assert deadline_sentence(project) == OPEN
    after = datetime.datetime(2022, 8, 3, 18, 30, tzinfo=datetime.UTC)  # 4 August, 00:00 in Colombo
    assert deadline_sentence(project, after) == "Nominations closed at the end of 3 August 2022, Colombo time"
    project.nominations_open = False
    project.nominations_closed_at = datetime.datetime(2022, 7, 31, 20, tzinfo=datetime.UTC)  # 1 Aug in Colombo
    assert deadline_sentence(project) == (
        "Nominations were closed on 1 August 2022, Colombo time, before the deadline (the end of 3 August 2022)"
    )


def test_a_deadline_not_at_midnight_states_its_hour(project):
    project.nomination_deadline = datetime.datetime(2022, 8, 3, 11, 30, tzinfo=datetime.UTC)
    with time_machine.travel(JULY, tick=False):
        assert deadline_sentence(project) == "Nominations close at 17:00 on 3 August 2022, Colombo time"


@time_machine.travel(JULY, tick=False)
def test_every_page_states_the_deadline_in_the_one_sentence(client, project, secretariat, npo_in):
    for user in (npo_in, secretariat):
        client.force_login(user)
        for url in _pages(project):
            # The officer has no manage page; the Secretariat's landing lists a deadline only when it is near.
            skipped = {
                reverse("project_manage", kwargs={"code": project.code}): npo_in,
                reverse("workspace:landing"): secretariat,
            }
            if skipped.get(url) == user:
                continue
            text = _text(client, url)
            assert OPEN in text, (user, url)
            assert "4 Aug 2022, 00:00" not in text and "4 August 2022, 00:00" not in text, url


@time_machine.travel(JULY, tick=False)
def test_after_closing_by_hand_no_page_says_nominations_close(client, project, secretariat, npo_in):
    services.set_nominations_open(actor=secretariat, project=project, is_open=False)
    project.refresh_from_db()
    assert project.nominations_closed_at == JULY
    for user in (npo_in, secretariat):
        client.force_login(user)
        for url in _pages(project)[:3]:
            text = _text(client, url)
            assert "Nominations close at" not in text, (user, url)
            assert "Nominations were closed on 20 July 2022, Colombo time" in text, (user, url)
    services.set_nominations_open(actor=secretariat, project=project, is_open=True)
    project.refresh_from_db()
    assert project.nominations_closed_at is None
    assert OPEN in _text(client, project.get_absolute_url())
