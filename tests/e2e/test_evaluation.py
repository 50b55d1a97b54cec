"""The evaluation's Secretariat steps on their own (the same steps run inside the Secretariat's whole
journey in test_workspace.py, which also checks every page was reached by clicking)."""

import pytest
from playwright.sync_api import expect

from tests import factories

from .evaluation_steps import secretariat_runs_the_evaluation
from .test_secretariat import finished_workshop

pytestmark = [pytest.mark.e2e, pytest.mark.celery_worker, pytest.mark.django_db(transaction=True)]


def test_secretariat_prepares_reads_and_reminds(journey):
    project, _, people = finished_workshop()
    admin = factories.secretariat_user(email="aiko.tanaka@apo-tokyo.org", full_name="Aiko Tanaka")
    page = journey.new_page()
    journey.login(page, admin.email)
    secretariat_runs_the_evaluation(page, journey, project, people)
    expect(page.locator("#response-counts")).to_contain_text("2 of 4")
