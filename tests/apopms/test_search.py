"""Search and pages on the project list and the officers' list."""

import pytest
from django.urls import reverse

from tests import factories

pytestmark = pytest.mark.django_db


def test_project_list_is_searched_by_title_code_and_host(client, secretariat):
    factories.ProjectFactory(code="22-PSP-DMC", title="Digital Manufacturing Course")
    factories.ProjectFactory(code="23-AG-GP", title="Green Productivity", host_country=factories.country("TH"))
    client.force_login(secretariat)
    url = reverse("project_list")

    def codes(query):
        return sorted(p.code for p in client.get(url, {"q": query}).context["projects"])

    assert codes("digital manufacturing") == ["22-PSP-DMC"]
    assert codes("23-ag") == ["23-AG-GP"]
    assert codes("thailand") == ["23-AG-GP"]
    assert codes("green digital") == []
    assert "No project matches “green digital”." in client.get(url, {"q": "green digital"}).content.decode()


def test_project_list_pages_keep_the_search(client, secretariat, monkeypatch):
    monkeypatch.setattr("apopms.views.projects.PROJECTS_PER_PAGE", 2)
    for _ in range(5):
        factories.ProjectFactory()
    client.force_login(secretariat)
    response = client.get(reverse("project_list"), {"q": "workshop", "page": 2})
    html = response.content.decode()
    assert len(response.context["projects"]) == 2
    assert 'href="?q=workshop&amp;page=3"' in html and 'href="?q=workshop&amp;page=1"' in html
    assert 'value="workshop"' in html


def test_officer_search_stays_in_the_own_country(client, secretariat):
    india = factories.npo_officer("IN", email="meera@npc.in.example", full_name="Meera Iyer")
    factories.npo_officer("IN", email="arjun@npc.in.example", full_name="Arjun Nair")
    factories.npo_officer("JP", email="yuki@jpc.jp.example", full_name="Yuki Mori")
    client.force_login(india)

    def emails(query):
        response = client.get(reverse("people"), {"q": query})
        return sorted(m.user.email for _, members in response.context["groups"] for m in members)

    assert emails("arjun") == ["arjun@npc.in.example"]
    assert emails("yuki") == []
    assert emails("jpc.jp") == []
    assert emails("japan") == []
    client.force_login(secretariat)
    assert emails("yuki") == ["yuki@jpc.jp.example"]
    assert emails("japan") == ["yuki@jpc.jp.example"]
