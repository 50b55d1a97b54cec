"""Who may open a project's pages (`permissions.get_project_or_404`): anyone else is answered 404."""

import pytest
from django.urls import reverse

from apopms.enums import QuotaShape
from tests import factories

pytestmark = pytest.mark.django_db


def _invited(*iso2):
    return [factories.country(code) for code in iso2]


def _opens(client, user, project):
    client.force_login(user)
    return client.get(reverse("nominations:project", kwargs={"code": project.code})).status_code


@pytest.mark.parametrize(
    ("officer_of", "project_kwargs", "status"),
    [
        ("IN", {}, 200),  # invited
        ("JP", {}, 404),  # not invited
        ("IN", {"notification_issued_at": None}, 404),  # invited, but not issued yet
        ("LK", {}, 200),  # the host, with local seats, though not among the invited
        ("LK", {"local_quota": 0}, 404),  # the host, without seats
        ("LK", {"quota_shape": QuotaShape.TOTAL, "overseas_quota": 0, "local_quota": 0, "total_quota": 38}, 200),
    ],
    ids=["invited", "not-invited", "not-issued", "host-with-seats", "host-without-seats", "host-in-one-total"],
)
def test_an_npo_officer_opens_only_the_projects_their_country_is_in(client, officer_of, project_kwargs, status):
    project = factories.ProjectFactory(participating_countries=_invited("IN", "PH"), **project_kwargs)
    assert _opens(client, factories.npo_officer(officer_of), project) == status


def test_an_implementer_opens_their_own_project_before_it_is_issued_and_no_other(client):
    own = factories.ProjectFactory(notification_issued_at=None)
    other = factories.ProjectFactory()
    person = factories.implementer(own)
    assert _opens(client, person, own) == 200
    assert _opens(client, person, other) == 404


def test_an_unknown_code_is_404_for_an_officer(client):
    client.force_login(factories.npo_officer("IN"))
    assert client.get(reverse("nominations:project", kwargs={"code": "NO-SUCH-CODE"})).status_code == 404
