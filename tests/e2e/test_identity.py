"""The portal's identity: its wordmark and colours on the pages and in the back office, the
person logged in visible at every width (1280-1399 px, where the menu is widest, and a phone),
and a home page that shows what is open for nominations and what is coming."""

import pytest
from playwright.sync_api import expect

from tests import factories

from .helpers import PASSWORD

pytestmark = [pytest.mark.e2e, pytest.mark.celery_worker, pytest.mark.django_db(transaction=True)]

WIDTHS = (390, 768, 1199, 1200, 1280, 1320, 1399, 1400, 1920)


def test_the_person_logged_in_is_visible_at_every_width(journey):
    factories.ProjectFactory(title="Open workshop on digital government")
    admin = factories.secretariat_user(email="aiko.tanaka@apo-tokyo.org", full_name="Aiko Tanaka", password=PASSWORD)
    admin.is_staff = admin.is_superuser = True
    admin.save()
    page = journey.new_page()

    page.goto("/")
    expect(page.get_by_role("heading", name="Open for nominations")).to_be_visible()
    expect(
        page.locator("#open-heading ~ div").get_by_role("link", name="Open workshop on digital government")
    ).to_be_visible()
    journey.check(page, "home")

    journey.login(page, "aiko.tanaka@apo-tokyo.org")
    page.goto("/manage/projects/")  # the Secretariat's menu is the longest
    person = page.locator(".navbar .apopms-person")
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 800})
        expect(person).to_be_visible()
        expect(person).to_contain_text("Aiko Tanaka")
        box = person.bounding_box()
        # On one line with the wordmark (and, on a phone, the menu button): the bar stays one bar high.
        assert page.eval_on_selector(".navbar", "e => e.getBoundingClientRect().height") < 80, width
        assert box["x"] >= 0 and box["x"] + box["width"] <= width, (width, box)
        assert page.evaluate("document.documentElement.scrollWidth") <= width, width
        if width >= 1200:  # the whole name, not cut short, where the menu is on one line
            assert person.evaluate("e => e.scrollWidth <= e.clientWidth"), width
        page.screenshot(path=str(journey.folder / f"bar-{width}.png"))
    # The wordmark, the portal's colours from its stylesheet's custom properties.
    page.set_viewport_size({"width": 1280, "height": 800})
    expect(page.get_by_role("link", name="APO workshop portal")).to_be_visible()
    assert page.eval_on_selector(".navbar-brand img", "img => img.complete && img.naturalWidth > 0")
    brand = page.evaluate("getComputedStyle(document.documentElement).getPropertyValue('--apopms-brand').trim()")
    assert brand == "#0d3b4f"
    bar = page.evaluate("getComputedStyle(document.querySelector('.navbar')).backgroundColor")
    assert bar == "rgb(13, 59, 79)"

    page.get_by_role("link", name="Back office").click()
    expect(page.get_by_role("link", name="APO workshop portal back office")).to_be_visible()
    assert page.eval_on_selector("#site-name img", "img => img.complete && img.naturalWidth > 0")
    assert page.title() == "Back office | APO workshop portal back office"
    header = page.evaluate("getComputedStyle(document.querySelector('#header')).backgroundColor")
    assert header == "rgb(13, 59, 79)"
    journey.check(page, "back-office")
