"""Error pages in the portal's frame, and links that never lead to them."""

import pytest
from django.test import RequestFactory
from django.urls import reverse
from django.views.defaults import server_error

from sessions.services import announce_programme
from tests import factories

pytestmark = pytest.mark.django_db


def test_403_page_is_framed_and_says_why(client, project):
    client.force_login(factories.npo_officer("IN"))
    response = client.get(reverse("audit_log", kwargs={"code": project.code}))
    html = response.content.decode()
    assert response.status_code == 403
    assert "APO workshop portal" in html
    assert "Only the APO Secretariat may do this." in html
    assert f'href="{reverse("home")}"' in html and "Back to the portal" in html


def test_404_page_is_framed_with_a_way_back(client):
    client.force_login(factories.secretariat_user())
    response = client.get("/projects/NO-SUCH-CODE/")
    html = response.content.decode()
    assert response.status_code == 404
    assert "This page does not exist" in html
    assert "Back to the portal" in html


def test_500_page_renders_without_the_database(django_assert_num_queries):
    request = RequestFactory().get("/")
    with django_assert_num_queries(0):
        response = server_error(request)
    html = response.content.decode()
    assert response.status_code == 500
    assert "Something went wrong on our side" in html
    assert 'href="/"' in html


def test_programme_link_only_once_the_programme_is_published(client):
    project = factories.ProjectFactory(programme_published_at=None)
    client.force_login(factories.npo_officer("IN"))
    html = client.get(project.get_absolute_url()).content.decode()
    programme_url = reverse("agenda:programme", kwargs={"code": project.code})
    assert programme_url not in html
    assert "Programme not published yet" in html
    assert client.get(programme_url).status_code == 404  # why the link must not be offered


def test_programme_link_shown_once_published(client):
    project = factories.ProjectFactory()
    factories.SessionFactory(project=project)
    announce_programme(project=project, actor=factories.secretariat_user(), without_participants=True)
    client.force_login(factories.npo_officer("IN"))
    html = client.get(project.get_absolute_url()).content.decode()
    assert f'href="{reverse("agenda:programme", kwargs={"code": project.code})}"' in html


def test_attendance_is_in_the_menu_of_those_who_record_it(client, project):
    grid_index = reverse("agenda:attendance_index")
    client.force_login(factories.implementer(project))
    assert f'href="{grid_index}"' in client.get(reverse("home")).content.decode()
    client.force_login(factories.npo_officer("IN"))  # their country's attendance pages
    assert f'href="{grid_index}"' in client.get(reverse("home")).content.decode()
    client.force_login(factories.ParticipantFactory(nomination__project=project).user)
    assert f'href="{grid_index}"' not in client.get(reverse("home")).content.decode()
