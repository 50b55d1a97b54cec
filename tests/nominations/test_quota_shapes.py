"""The quota shapes a notification states: overseas and local, or one total for all countries with the
host among them; a per-country cap for overseas participants or for everyone. Selection, the project
edit and the public page read them the same way."""

import datetime

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from apopms import services as core
from apopms.enums import CapScope, Category, QuotaShape
from apopms.exceptions import DomainError
from apopms.models import MemberCountry, Project
from nominations import services
from nominations.enums import Decision
from nominations.models import Nomination
from nominations.selectors import propose_selection
from tests import factories

from .selection_helpers import closed_project, submitted
from .test_services import nominate

pytestmark = pytest.mark.django_db
NOW = datetime.datetime(2030, 2, 10, 4, tzinfo=datetime.UTC)


def invited(*iso2):
    return [factories.country(c) for c in iso2]


def total_project(**kwargs):
    """Up to 38 participants from member countries (two from each country), the host among them."""
    kwargs.setdefault("participating_countries", invited("IN", "JP", "PH"))
    return factories.ProjectFactory(
        quota_shape=QuotaShape.TOTAL,
        overseas_quota=0,
        local_quota=0,
        total_quota=kwargs.pop("total_quota", 38),
        quotas_up_to=True,
        per_country_cap=2,
        cap_scope=kwargs.pop("cap_scope", CapScope.EVERYONE),
        **kwargs,
    )


def _decide(nomination, actor, decision=Decision.SELECTED):
    return services.decide_nomination(nomination=nomination, actor=actor, decision=decision)


def test_the_database_refuses_a_local_quota_beside_one_total(db):
    with pytest.raises(IntegrityError), transaction.atomic():
        Project.objects.create(
            code="X-1",
            title="X",
            host_country=factories.country("LK"),
            implementing_organizations="APO",
            start_date=datetime.date(2030, 3, 1),
            end_date=datetime.date(2030, 3, 2),
            time_zone="Asia/Colombo",
            nomination_deadline=NOW,
            quota_shape=QuotaShape.TOTAL,
            total_quota=10,
            local_quota=2,
        )


def test_the_host_nominates_into_the_one_total_without_being_invited(npo_lk, npo_in):
    project = total_project()
    assert not project.participating_countries.filter(iso2="LK").exists()
    host_nominee = nominate(project, npo_lk, email="host@example.org")
    overseas_nominee = nominate(project, npo_in)
    assert (host_nominee.category, overseas_nominee.category) == (Category.ALL, Category.ALL)
    assert list(project.nominating_countries().order_by("iso2").values_list("iso2", flat=True)) == [
        "IN",
        "JP",
        "LK",
        "PH",
    ]


def test_a_country_not_invited_is_refused(npo_jp):
    project = total_project(participating_countries=invited("IN", "PH"))
    with pytest.raises(DomainError, match="Japan does not take part in this project"):
        nominate(project, npo_jp)
    assert not Nomination.objects.filter(project=project).exists()


def test_the_host_has_no_seats_where_two_quotas_give_it_no_local_one(npo_lk):
    project = factories.ProjectFactory(local_quota=0, participating_countries=invited("IN", "JP"))
    with pytest.raises(DomainError, match="Sri Lanka does not take part"):
        nominate(project, npo_lk)


@time_machine.travel(NOW, tick=False)
def test_selection_stays_within_the_total_and_the_cap_holds_the_host_too(secretariat):
    project = total_project(nomination_deadline=NOW - datetime.timedelta(days=1), total_quota=5)
    host = [submitted(project, "LK") for _ in range(3)]
    india = [submitted(project, "IN") for _ in range(3)]
    japan = [submitted(project, "JP") for _ in range(2)]
    _decide(host[0], secretariat)
    _decide(host[1], secretariat)
    with pytest.raises(DomainError, match="Sri Lanka already has 2 selected participants: the cap is 2 per country"):
        _decide(host[2], secretariat)
    _decide(india[0], secretariat)
    _decide(india[1], secretariat)
    _decide(japan[0], secretariat)
    with pytest.raises(DomainError, match=r"All 5 participant seats are taken \(5 / 5\)"):
        _decide(japan[1], secretariat)
    assert Nomination.objects.for_project(project).seats_by_category() == {Category.ALL: 5}
    assert Nomination.objects.for_project(project).cap_seats_by_country(project) == {
        factories.country("LK").pk: 2,
        factories.country("IN").pk: 2,
        factories.country("JP").pk: 1,
    }
    assert india[2].pk not in propose_selection(project).selected_ids


@time_machine.travel(NOW, tick=False)
def test_the_proposal_fills_one_total_and_caps_the_host_when_the_cap_is_for_everyone(secretariat):
    project = total_project(nomination_deadline=NOW - datetime.timedelta(days=1), total_quota=10)
    host = [submitted(project, "LK", priority=p) for p in (1, 2, 3)]
    for p in (1, 2):
        submitted(project, "IN", priority=p)
    proposal = propose_selection(project, reserve_size=0)
    assert [str(c) for c in proposal.categories] == ["all"]
    assert sorted(proposal.selected_ids) == sorted(
        [host[0].pk, host[1].pk, *project.nominations.filter(country__iso2="IN").values_list("pk", flat=True)]
    )
    assert host[2].pk in [n.pk for _, n in proposal.capped]


@time_machine.travel(NOW, tick=False)
def test_the_default_cap_counts_overseas_participants_only(secretariat):
    project = closed_project(
        nomination_deadline=NOW - datetime.timedelta(days=1), per_country_cap=1, local_quota=3, overseas_quota=3
    )
    for _ in range(2):
        _decide(submitted(project, "LK"), secretariat)
    _decide(submitted(project, "IN"), secretariat)
    with pytest.raises(DomainError, match="India already has 1 selected participant"):
        _decide(submitted(project, "IN"), secretariat)
    assert Nomination.objects.for_project(project).cap_seats_by_country(project) == {factories.country("IN").pk: 1}


@time_machine.travel(NOW, tick=False)
def test_the_shape_cannot_change_once_nominations_exist(secretariat):
    project = factories.ProjectFactory(start_date=datetime.date(2030, 4, 1), end_date=datetime.date(2030, 4, 4))
    submitted(project, "IN")
    with pytest.raises(DomainError) as exc:
        core.update_project(actor=secretariat, project=project, quota_shape=QuotaShape.TOTAL, total_quota=50)
    assert set(exc.value.errors) == {"quota_shape"}
    project.refresh_from_db()
    assert (project.quota_shape, project.overseas_quota, project.total_quota) == (QuotaShape.OVERSEAS_LOCAL, 38, 0)


@time_machine.travel(NOW, tick=False)
def test_the_total_cannot_drop_below_the_seats_taken(secretariat):
    project = total_project(nomination_deadline=NOW - datetime.timedelta(days=1), total_quota=5)
    _decide(submitted(project, "IN"), secretariat)
    _decide(submitted(project, "LK"), secretariat)
    with pytest.raises(DomainError) as exc:
        core.update_project(actor=secretariat, project=project, total_quota=1)
    assert exc.value.errors == {"total_quota": "2 participants are already selected; the quota cannot be lower."}


def test_the_public_page_words_one_total_and_a_cap_for_everyone(client):
    project = total_project()
    html = client.get(reverse("project_detail", kwargs={"code": project.code})).content.decode()
    assert "Up to 38 participants from member countries" in html
    assert "At most 2 from each country, the host included" in html
    assert "Local participants" not in html
    assert "Overseas participants" not in html
    assert "India, Japan, Philippines; the host, Sri Lanka" in html


def test_the_public_page_words_two_quotas_as_maxima_with_the_pn_date_and_the_type(client):
    project = factories.ProjectFactory(
        code="26-AG-12-GE-WSP-A",
        overseas_quota=18,
        local_quota=6,
        quotas_up_to=True,
        per_country_cap=2,
        notification_date=datetime.date(2026, 3, 2),
        participating_countries=list(MemberCountry.objects.exclude(iso2="LK")[:17]),
    )
    html = client.get(reverse("project_detail", kwargs={"code": project.code})).content.decode()
    assert '<span id="project-type">Workshop</span>' in html
    assert '<span id="pn-issue-date">2 March 2026</span>' in html
    assert 'id="quota-overseas">Up to 18</dd>' in html
    assert 'id="quota-local">Up to 6</dd>' in html
    assert "At most 2 overseas participants from each country" in html


def test_the_hosts_officer_sees_one_total_and_nominates_into_it(client, npo_lk):
    project = total_project()
    client.force_login(npo_lk)
    html = client.get(reverse("nominations:project", kwargs={"code": project.code})).content.decode()
    assert "Your nominees count in one total for all countries, the host's among them." in html
    assert (
        "Quotas: Up to 38 participants from member countries; at most 2 from each country, the host included." in html
    )
    assert client.get(reverse("nominations:create", kwargs={"code": project.code})).status_code == 200


def test_the_back_office_says_why_a_shape_and_its_numbers_disagree():
    project = Project(quota_shape=QuotaShape.TOTAL, total_quota=10, local_quota=2)
    with pytest.raises(ValidationError) as exc:
        project.clean()
    assert exc.value.message_dict == {
        "quota_shape": ["One total for all countries has no overseas or local quota: set both to 0."]
    }


@time_machine.travel(NOW, tick=False)
def test_the_hub_and_the_selection_board_count_one_total(client, secretariat):
    project = total_project(nomination_deadline=NOW - datetime.timedelta(days=1))
    _decide(submitted(project, "LK"), secretariat)
    _decide(submitted(project, "IN"), secretariat)
    client.force_login(secretariat)
    hub = client.get(reverse("workspace:hub", kwargs={"code": project.code})).content.decode()
    assert "2 of 38" in hub
    assert "Overseas selected" not in hub and "Local selected" not in hub
    board = client.get(reverse("nominations:selection_board", kwargs={"code": project.code})).content.decode()
    assert 'id="counter-all">2 / 38</strong>' in board
    assert "At most 2 from each country, the host included." in board
