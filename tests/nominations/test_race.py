"""Concurrent submissions and re-rankings keep priorities unique and gapless (PostgreSQL row locks)."""

import pytest

from apopms.models import User
from nominations import services
from nominations.models import Nomination
from tests import factories
from tests.concurrency import run_together


def _run_together(jobs):
    return run_together(jobs)[1]


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_submissions_get_distinct_priorities():
    project = factories.ProjectFactory()
    officer = factories.npo_officer("IN")
    drafts = [
        factories.NominationFactory(project=project, country=officer.npo_country, created_by=officer).pk
        for _ in range(8)
    ]

    def submit(pk):
        def job():
            actor = User.objects.get(pk=officer.pk)
            services.submit_nomination(nomination=Nomination.objects.get(pk=pk), actor=actor, notify=False)

        return job

    assert _run_together([submit(pk) for pk in drafts]) == []
    priorities = sorted(Nomination.objects.filter(project=project).values_list("priority", flat=True))
    assert priorities == list(range(1, 9))


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_moves_keep_the_ranking_a_permutation():
    project = factories.ProjectFactory()
    officer = factories.npo_officer("IN")
    pks = [
        factories.NominationFactory(project=project, country=officer.npo_country, submitted=True, priority=i + 1).pk
        for i in range(6)
    ]

    def move(pk, direction):
        def job():
            actor = User.objects.get(pk=officer.pk)
            services.move_nomination(nomination=Nomination.objects.get(pk=pk), actor=actor, direction=direction)

        return job

    jobs = [move(pk, "up" if i % 2 else "down") for i, pk in enumerate(pks)]
    assert _run_together(jobs) == []
    priorities = sorted(Nomination.objects.filter(project=project).values_list("priority", flat=True))
    assert priorities == list(range(1, 7))
