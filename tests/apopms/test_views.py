import datetime

import pytest
import time_machine
from django.contrib.auth.models import AnonymousUser
from django.http import HttpResponse
from django.test import Client
from django.urls import reverse

from apopms.middleware import PrivatePagesMiddleware
from apopms.models import Project
from tests import factories
from tests.permissions import LOGIN, assert_matrix, role_users

pytestmark = pytest.mark.django_db


def test_public_project_page_shows_every_section_of_the_notification(client):
    project = factories.ProjectFactory(
        qualifications="Policymakers and government officials",
        objectives="a. Examine existing performance management systems",
        background="Performance management systems are tools",
        scope_and_methodology="around three hours",
        topics_by_day=[["Definition and evolution"], ["Challenges"], ["Formulating strategic plans"]],
        certificate_rule="required to attend all sessions",
        financial_arrangements="honorarium for up to two local resource persons",
    )
    response = client.get(project.get_absolute_url())
    assert response.status_code == 200
    html = response.content.decode()
    for text in [
        project.title,
        "Sri Lanka",
        "Digital multicountry",
        "Overseas participants",
        "Local participants",
        "Closing date for nominations",
        "Qualifications of participants",
        "Policymakers and government officials",
        "1. Objectives",
        "2. Background",
        "3. Scope, methodology, and certificate of attendance",
        "Day 3",
        "Formulating strategic plans",
        "4. Financial arrangements",
        "required to attend all sessions",
        "Colombo time",
    ]:
        assert text in html, text
    assert 'id="quota-overseas">38<' in html


def test_unpublished_project_page_is_hidden_from_the_public(client):
    project = factories.ProjectFactory(notification_issued_at=None)
    assert client.get(project.get_absolute_url()).status_code == 404
    client.force_login(factories.secretariat_user())
    assert client.get(project.get_absolute_url()).status_code == 200


def test_audit_log_is_for_the_secretariat_only(client, project):
    users = role_users(project)
    assert_matrix(
        client,
        reverse("audit_log", kwargs={"code": project.code}),
        users,
        {
            "anonymous": LOGIN,
            "own_npo": 403,
            "other_npo": 403,
            "participant": 403,
            "implementer": 403,
            "secretariat": 200,
        },
    )


def test_home_lists_published_projects(client):
    published = factories.ProjectFactory(title="Green productivity")
    factories.ProjectFactory(title="Not yet announced", notification_issued_at=None)
    html = client.get(reverse("home")).content.decode()
    assert published.title in html
    assert "Not yet announced" not in html


def test_pages_send_a_strict_content_security_policy(client, project):
    response = client.get(project.get_absolute_url())
    csp = response["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp


def _directives(response):
    return {d.strip() for d in response.get("Cache-Control", "").split(",") if d.strip()}


def test_pages_for_a_logged_in_user_are_private_and_not_stored(client, project):
    client.force_login(factories.secretariat_user())
    for url in (reverse("home"), project.get_absolute_url(), reverse("certificates:index")):
        response = client.get(url)
        assert response.status_code == 200
        assert {"private", "no-store"} <= _directives(response), url
        assert "public" not in _directives(response)


def test_a_view_that_allows_caching_is_still_private_for_a_logged_in_user(rf):
    def view(request):
        response = HttpResponse("x")
        response["Cache-Control"] = "public, max-age=3600"
        return response

    request = rf.get("/")
    request.user = factories.UserFactory()
    assert _directives(PrivatePagesMiddleware(view)(request)) == {"private", "no-store", "max-age=3600"}
    request.user = AnonymousUser()
    assert _directives(PrivatePagesMiddleware(view)(request)) == {"public", "max-age=3600"}


def test_public_pages_for_visitors_are_left_cacheable(client, project):
    assert "no-store" not in _directives(client.get(project.get_absolute_url()))


@time_machine.travel(datetime.datetime(2022, 7, 20, 6, tzinfo=datetime.UTC), tick=False)
def test_home_shows_projects_open_for_nominations_and_upcoming_workshops():
    def project(title, start, closing, **kwargs):
        return factories.ProjectFactory(
            title=title,
            start_date=start,
            end_date=start + datetime.timedelta(days=2),
            nomination_deadline=Project.deadline_for(closing, "Asia/Colombo"),
            **kwargs,
        )

    project("Open workshop", datetime.date(2022, 8, 24), datetime.date(2022, 8, 3))
    project("Closed by hand", datetime.date(2022, 8, 10), datetime.date(2022, 7, 30), nominations_open=False)
    project("Under way", datetime.date(2022, 7, 19), datetime.date(2022, 6, 30))
    project("Last year", datetime.date(2021, 8, 24), datetime.date(2021, 8, 3))
    html = Client().get(reverse("home")).content.decode()
    open_part = html[html.index('id="open-heading"') : html.index('id="upcoming-heading"')]
    upcoming_part = html[html.index('id="upcoming-heading"') : html.index('id="all-heading"')]
    assert "Open workshop" in open_part and "Nominations close at the end of 3 August 2022, Colombo time." in open_part
    assert "Closed by hand" not in open_part and "Under way" not in open_part
    assert upcoming_part.index("Under way") < upcoming_part.index("Closed by hand")  # soonest first
    assert "Last year" not in open_part + upcoming_part and "Last year" in html


def test_the_back_office_wears_the_portals_identity(client, secretariat):
    secretariat.is_staff = secretariat.is_superuser = True
    secretariat.save()
    client.force_login(secretariat)
    html = client.get(reverse("admin:index")).content.decode()
    assert "<title>Back office | APO workshop portal back office</title>" in html
    assert "Django administration" not in html and "Django site admin" not in html
    assert "APO workshop portal back office" in html  # the title
    assert "img/wordmark" in html and "css/apopms.css" in html


def test_every_page_names_the_person_logged_in_outside_the_folding_menu(client, npo_in):
    client.force_login(npo_in)
    html = client.get(reverse("workspace:landing")).content.decode()
    bar = html[html.index('<nav class="navbar') : html.index('id="nav-main"')]
    assert f"Logged in as </span>{npo_in.get_full_name()}" in bar
