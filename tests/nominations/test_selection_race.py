"""Two (or twelve) admins deciding at the same moment cannot pass a quota or the cap (PostgreSQL row locks)."""

from functools import partial

import pytest

from apopms.exceptions import DomainError
from apopms.models import User
from nominations import services
from nominations.enums import Decision
from nominations.models import Nomination
from tests import factories
from tests.concurrency import run_together

from .selection_helpers import closed_project, submitted

COUNTRIES = ["IN", "JP", "PH", "TR", "NP", "PK", "BD", "VN", "TH", "MY", "ID", "MN"]


def _race(nomination_pks, admin_pks):
    def decide(nomination, admin):
        try:
            services.decide_nomination(nomination=nomination, actor=admin, decision=Decision.SELECTED)
        except DomainError:
            return "refused"
        return "selected"

    jobs = []
    for nomination_pk, admin_pk in zip(nomination_pks, admin_pks, strict=True):
        admin = User.objects.get(pk=admin_pk)
        admin.is_secretariat  # noqa: B018  (load the roles before the start line)
        jobs.append(partial(decide, Nomination.objects.get(pk=nomination_pk), admin))
    outcomes, errors = run_together(jobs)
    assert errors == []
    return outcomes


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_twelve_concurrent_selections_never_pass_the_quota():
    project = closed_project(overseas_quota=3, local_quota=0)
    admins = [factories.secretariat_user().pk for _ in range(3)]
    pks = [submitted(project, iso2).pk for iso2 in COUNTRIES]
    outcomes = _race(pks, [admins[i % 3] for i in range(len(pks))])
    assert sorted(outcomes) == ["refused"] * 9 + ["selected"] * 3
    assert Nomination.objects.filter(project=project, decision=Decision.SELECTED).count() == 3


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_selections_never_pass_the_per_country_cap():
    project = closed_project(overseas_quota=20, local_quota=0, per_country_cap=2)
    admin = factories.secretariat_user().pk
    pks = [submitted(project, "IN").pk for _ in range(10)]
    outcomes = _race(pks, [admin] * len(pks))
    assert sorted(outcomes) == ["refused"] * 8 + ["selected"] * 2
    assert Nomination.objects.filter(project=project, decision=Decision.SELECTED).count() == 2
