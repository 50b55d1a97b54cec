"""Search and pages on the nomination and participant lists: what the person may see, searched."""

import pytest
from django.urls import reverse

from nominations import services
from nominations.enums import Decision
from tests import factories

from .selection_helpers import closed_project, submitted

pytestmark = pytest.mark.django_db


def _names(response, key="nominations"):
    return sorted(n.certificate_name for n in response.context[key])


@pytest.fixture
def nominees(project):
    """Two nominees of India and one of Japan, told apart by name, e-mail and organization."""
    return {
        "asha": factories.NominationFactory(
            project=project,
            country=factories.country("IN"),
            certificate_name="Asha Rao",
            email="asha@psc.in.example",
            organization="Productivity Council",
            submitted=True,
        ),
        "vikram": factories.NominationFactory(
            project=project,
            country=factories.country("IN"),
            certificate_name="Vikram Shah",
            email="vikram@mof.in.example",
            organization="Ministry of Finance",
            submitted=True,
        ),
        "kenji": factories.NominationFactory(
            project=project,
            country=factories.country("JP"),
            certificate_name="Kenji Sato",
            email="kenji@jpc.jp.example",
            organization="Productivity Council",
            submitted=True,
        ),
    }


def test_officer_searches_their_countrys_nominations_by_name_email_and_organization(client, project, npo_in, nominees):
    client.force_login(npo_in)
    url = reverse("nominations:project", kwargs={"code": project.code})
    assert _names(client.get(url, {"q": "asha"})) == ["Asha Rao"]
    assert _names(client.get(url, {"q": "mof.in"})) == ["Vikram Shah"]
    assert _names(client.get(url, {"q": "productivity council"})) == ["Asha Rao"]  # not Japan's Kenji


@pytest.mark.parametrize("query", ["Kenji", "kenji@jpc.jp.example", "jp.example", "Sato"])
def test_officers_search_never_reaches_another_countrys_nominations(client, project, npo_in, nominees, query):
    client.force_login(npo_in)
    response = client.get(reverse("nominations:project", kwargs={"code": project.code}), {"q": query})
    assert _names(response) == []
    html = response.content.decode()
    assert "Kenji" not in html.replace(query, "") and "None of your nominations matches" in html


def test_secretariat_search_combines_with_the_filters_and_the_export(client, project, secretariat, nominees):
    client.force_login(secretariat)
    url = reverse("nominations:project", kwargs={"code": project.code})
    assert _names(client.get(url, {"q": "productivity council"})) == ["Asha Rao", "Kenji Sato"]
    japan = factories.country("JP").pk
    response = client.get(url, {"q": "productivity council", "country": japan})
    assert _names(response) == ["Kenji Sato"]
    html = response.content.decode()
    export = reverse("nominations:export", kwargs={"code": project.code, "fmt": "csv"})
    assert f'href="{export}?q=productivity+council&amp;country={japan}' in html
    csv = client.get(export, {"q": "productivity council", "country": japan}).content.decode()
    assert "Kenji Sato" in csv and "Asha Rao" not in csv


def test_secretariat_list_pages_keep_the_search(client, project, secretariat, nominees, monkeypatch):
    monkeypatch.setattr("nominations.views.nominations.NOMINATIONS_PER_PAGE", 1)
    client.force_login(secretariat)
    url = reverse("nominations:project", kwargs={"code": project.code})
    response = client.get(url, {"q": "example"})
    assert response.context["page"].paginator.num_pages == 3
    html = response.content.decode()
    assert 'href="?q=example&amp;page=2"' in html
    assert len(client.get(url, {"q": "example", "page": 3}).context["nominations"]) == 1
    # The export link takes every page, not this one.
    assert "export/csv/?q=example&amp;page" not in client.get(url, {"q": "example", "page": 2}).content.decode()


def test_officer_list_pages_turn_off_drag_and_drop(client, project, npo_in, nominees, monkeypatch):
    monkeypatch.setattr("nominations.views.nominations.NOMINATIONS_PER_PAGE", 1)
    client.force_login(npo_in)
    url = reverse("nominations:project", kwargs={"code": project.code})
    response = client.get(url)
    assert response.context["page"].paginator.num_pages == 2
    assert "data-rank-url" not in response.content.decode()
    assert response.context["last_rank"] == max(nominees["asha"].priority, nominees["vikram"].priority)


def test_officer_list_first_page_of_several_counts_the_whole_list(client, project, npo_in, nominees, monkeypatch):
    monkeypatch.setattr("nominations.views.nominations.NOMINATIONS_PER_PAGE", 1)
    client.force_login(npo_in)
    url = reverse("nominations:project", kwargs={"code": project.code})
    first, second = sorted([nominees["asha"], nominees["vikram"]], key=lambda n: n.priority)
    html = client.get(url).content.decode()
    assert "Page 1 of 2" in html and "1–1 of 2" in html
    assert first.certificate_name in html and second.certificate_name not in html
    html = client.get(url, {"page": 2}).content.decode()
    assert "Page 2 of 2" in html and "2–2 of 2" in html
    assert second.certificate_name in html and first.certificate_name not in html


@pytest.fixture
def published(secretariat):
    project = closed_project()
    for iso2, name, email in [("IN", "Asha Rao", "asha@psc.in.example"), ("JP", "Kenji Sato", "kenji@jpc.jp.example")]:
        nomination = submitted(project, iso2, certificate_name=name, email=email)
        services.decide_nomination(nomination=nomination, actor=secretariat, decision=Decision.SELECTED)
    services.publish_selection(project=project, actor=secretariat, notify=False)
    return project


def _participants(client, project, query):
    response = client.get(reverse("nominations:participant_list", kwargs={"code": project.code}), {"q": query})
    assert response.status_code == 200
    return _names(response, "participants")


def test_participants_are_searched_by_name_country_and_organization(client, published, npo_in):
    client.force_login(npo_in)
    assert _participants(client, published, "kenji") == ["Kenji Sato"]
    assert _participants(client, published, "japan") == ["Kenji Sato"]
    assert _participants(client, published, "ministry") == ["Asha Rao", "Kenji Sato"]


def test_an_officer_cannot_search_other_participants_by_email(client, published, npo_in, secretariat):
    """Every NPO of the project sees the participants' names; only the Secretariat their e-mail addresses."""
    client.force_login(npo_in)
    assert _participants(client, published, "kenji@jpc.jp.example") == []
    assert _participants(client, published, "asha@psc") == []
    client.force_login(secretariat)
    assert _participants(client, published, "kenji@jpc.jp.example") == ["Kenji Sato"]
