"""Journey 4: a visitor (not logged in) reads the public pages."""

import datetime

import pytest
from playwright.sync_api import expect

from apopms.demo import SEED, SEED_CODE
from apopms.models import Project
from tests import factories

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.celery_worker,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def seed_workshop():
    fields = {k: v for k, v in SEED.items() if k not in {"start_date", "end_date"}}
    return factories.ProjectFactory(
        code=SEED_CODE,
        start_date=datetime.date(2022, 8, 24),
        end_date=datetime.date(2022, 8, 26),
        nomination_deadline=Project.deadline_for(datetime.date(2022, 8, 3), "Asia/Colombo"),
        **fields,
    )


def test_visitor_reads_the_public_pages(journey):
    project = seed_workshop()
    page = journey.new_page()

    page.goto("/")
    expect(page.get_by_role("heading", level=1)).to_have_text("APO projects")
    journey.check(page, "home")

    page.get_by_role("link", name=project.title).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(project.title)
    facts = page.locator(".key-facts")
    expect(facts).to_contain_text("24–26 August 2022 (3 days)")
    expect(facts).to_contain_text("Sri Lanka")
    expect(page.locator("#quota-overseas")).to_have_text("38")
    expect(page.locator("#quota-local")).to_have_text("12")
    expect(page.locator("#closing-date")).to_contain_text("3 August 2022")
    expect(page.locator("#closing-date")).to_contain_text("Colombo (UTC+05:30)")
    expect(page.get_by_role("heading", name="3. Scope, methodology, and certificate of attendance")).to_be_visible()
    journey.check(page, "project")

    # Nothing a visitor should not reach: the audit trail sends them to log in.
    page.goto(f"/projects/{project.code}/audit/")
    assert "/accounts/login/" in page.url
    journey.check(page, "login")
