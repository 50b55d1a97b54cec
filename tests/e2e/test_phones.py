"""Phones: a Secretariat table scrolls in its own box with its first column held in view, the key
columns of "My projects" come first, and the selection board folds per country so that at 390 px
it is a list of countries a few screens long (it was about 32,000 px)."""

import pytest

from apopms.models import MemberCountry
from tests import factories
from tests.nominations.selection_helpers import closed_project, submitted

from .helpers import DESKTOP, PASSWORD, PHONE

pytestmark = [pytest.mark.e2e, pytest.mark.celery_worker, pytest.mark.django_db(transaction=True)]

NOMINATIONS_PER_COUNTRY = 8


def _box(page, selector):
    return page.eval_on_selector(selector, "e => { const r = e.getBoundingClientRect(); return [r.left, r.right]; }")


def test_my_projects_key_columns_and_sticky_first_column_at_390(journey):
    for n in range(3):
        factories.ProjectFactory(title=f"Digital transformation of public-sector services in Asia, part {n + 1}")
    factories.secretariat_user(email="secretariat@apo.example", password=PASSWORD)
    page = journey.new_page()
    journey.login(page, "secretariat@apo.example")
    page.goto("/manage/projects/")
    journey.check(page, "my-projects")
    page.set_viewport_size(PHONE)
    headers = page.eval_on_selector_all("main thead th", "ths => ths.map(th => th.textContent.trim())")
    assert headers[:4] == ["Project", "Phase", "Nominations", "Participants"]
    for column in ("Project", "Phase", "Nominations"):
        left, right = _box(page, f"main thead th:nth-child({headers.index(column) + 1})")
        assert left >= 0 and right <= PHONE["width"], f"{column} is off-screen at 390 px: {left}-{right}"
    # The page itself does not scroll sideways; the table's own box does.
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    box = "main .table-responsive"
    assert page.eval_on_selector(box, "e => e.scrollWidth > e.clientWidth")
    first_before = _box(page, "main tbody tr:first-child > th")
    phase_before = _box(page, "main tbody tr:first-child > td")
    page.eval_on_selector(box, "e => { e.scrollLeft = e.scrollWidth; }")
    page.wait_for_timeout(50)
    assert _box(page, "main tbody tr:first-child > th") == first_before  # held in view
    assert _box(page, "main tbody tr:first-child > td")[0] < phase_before[0]  # the rest scrolled under it
    page.screenshot(path=str(journey.folder / "my-projects-390-scrolled.png"))


def test_selection_board_folds_per_country(journey, browser, live_server):
    project = closed_project(code="22-BOARD", title="A workshop with many nominations")
    countries = list(MemberCountry.objects.order_by("name"))
    for country in countries:
        for priority in range(1, NOMINATIONS_PER_COUNTRY + 1):
            submitted(project, country.iso2, priority=priority, organization="Ministry of Industry and Productivity")
    factories.secretariat_user(email="secretariat@apo.example", password=PASSWORD)
    url = f"/projects/{project.code}/selection/"

    page = journey.new_page()
    journey.login(page, "secretariat@apo.example")
    page.goto(url)
    # A wide screen unfolds every country (a script); axe at 1280 and 390 px.
    assert page.eval_on_selector_all("details.country-details", "ds => ds.every(d => d.open)")
    journey.check(page, "selection-board")

    page.set_viewport_size(PHONE)
    page.reload()
    folded = page.evaluate("document.documentElement.scrollHeight")
    assert page.eval_on_selector_all("details.country-details", "ds => ds.every(d => !d.open)")
    page.screenshot(path=str(journey.folder / "board-390-folded.png"), full_page=True)
    page.eval_on_selector_all("details.country-details", "ds => ds.forEach(d => { d.open = true; })")
    unfolded = page.evaluate("document.documentElement.scrollHeight")
    print(
        f"selection board at 390 px, {len(countries)} countries x {NOMINATIONS_PER_COUNTRY}: "
        f"{folded} px folded, {unfolded} px unfolded"
    )
    assert folded <= 4 * PHONE["height"], folded  # a few screens
    assert unfolded > 4 * folded

    # Without JavaScript: folded too, and a country opens with a tap on its name.
    context = browser.new_context(base_url=live_server.url, viewport=PHONE, java_script_enabled=False)
    try:
        bare = context.new_page()
        bare.goto("/accounts/login/")
        bare.get_by_label("E-mail address").fill("secretariat@apo.example")
        bare.get_by_label("Password").fill(PASSWORD)
        bare.get_by_role("button", name="Log in").click()
        bare.goto(url)
        assert bare.evaluate("document.documentElement.scrollHeight") <= 4 * PHONE["height"]
        india = bare.locator("#country-IN")
        assert not india.get_by_role("button", name="Select").first.is_visible()
        india.locator("summary").click()
        assert india.get_by_role("button", name="Select").first.is_visible()
    finally:
        context.close()
    page.set_viewport_size(DESKTOP)
