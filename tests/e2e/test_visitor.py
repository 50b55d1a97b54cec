"""Journey 4: a visitor (not logged in) reads the public pages: the project notification, the
programme in their own zone, and the verification page of a revoked certificate."""

import datetime

import pytest
from playwright.sync_api import expect

from apopms.demo import SEED, SEED_CODE
from apopms.enums import Category
from apopms.models import MemberCountry, Project
from certificates import services as certificates
from sessions import services as programme
from tests import factories

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.celery_worker,
    pytest.mark.django_db(transaction=True),
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


def announce_programme(project, actor):
    """Three days, 10:00-13:00 in Colombo, two parts each, two speakers; announced as version 1."""
    speakers = [
        programme.create_resource_person(
            project=project,
            actor=actor,
            name="Dr. Ananya Krishnan",
            title="Senior Fellow",
            organization="Centre for Public Sector Performance",
            country="Singapore",
            category=Category.OVERSEAS,
            biography="Advises governments in Asia on performance frameworks.",
        ),
        programme.create_resource_person(
            project=project,
            actor=actor,
            name="Mr. Sunil Perera",
            title="Director",
            organization="National Productivity Secretariat",
            country="Sri Lanka",
            category=Category.LOCAL,
            local_honorarium=True,
        ),
    ]
    sessions = []
    for day, topic in enumerate(SEED["topics_by_day"]):
        date = project.start_date + datetime.timedelta(days=day)

        def at(hhmm, date=date):
            return datetime.datetime.combine(date, datetime.time.fromisoformat(hhmm), tzinfo=project.zone)

        session = programme.create_session(
            project=project, actor=actor, title=f"Day {day + 1}", start_at=at("10:00"), end_at=at("13:00")
        )
        programme.create_agenda_item(
            session=session,
            actor=actor,
            title=topic[0],
            start_at=at("10:00"),
            end_at=at("11:30"),
            speakers=[speakers[day % 2]],
        )
        programme.create_agenda_item(
            session=session,
            actor=actor,
            kind="group_discussion",
            title="Group discussion",
            start_at=at("11:30"),
            end_at=at("13:00"),
        )
        sessions.append(session)
    programme.announce_programme(project=project, actor=actor, without_participants=True, notify=False)
    return sessions


def revoked_certificate(project, sessions, actor):
    participant = factories.ParticipantFactory(
        nomination__project=project,
        nomination__country=factories.country("PH"),
        nomination__certificate_name="Maria Clara Santos",
    )
    for session in sessions:
        factories.AttendanceFactory(participant=participant, session=session)
    certificate = certificates.issue_certificate(participant=participant, actor=actor)
    return certificates.revoke_certificate(
        certificate=certificate, actor=actor, reason="Issued under a misspelt name; replaced."
    )


def test_visitor_reads_the_public_pages(journey):
    project = seed_workshop()
    admin = factories.secretariat_user(email="aiko.tanaka@apo-tokyo.org", full_name="Aiko Tanaka")
    sessions = announce_programme(project, admin)
    revoked = revoked_certificate(project, sessions, admin)
    page = journey.new_page()

    page.goto("/")
    expect(page.get_by_role("heading", level=1)).to_have_text("APO workshop portal")
    journey.check(page, "home")

    page.get_by_role("link", name=project.title).first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text(project.title)
    facts = page.locator(".key-facts")
    expect(facts).to_contain_text("24–26 August 2022 (3 days)")
    expect(facts).to_contain_text("Sri Lanka")
    expect(page.locator("#quota-overseas")).to_have_text("38")
    expect(page.locator("#quota-local")).to_have_text("12")
    expect(page.locator("#closing-date")).to_contain_text("3 August 2022")
    expect(page.locator("#closing-date")).to_contain_text(
        "Nominations closed at the end of 3 August 2022, Colombo time."
    )
    expect(page.get_by_role("heading", name="3. Scope, methodology, and certificate of attendance")).to_be_visible()
    journey.check(page, "project")

    # The programme, first in the project's zone, then also in the visitor's chosen zone.
    page.get_by_role("link", name="Programme", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Programme")
    expect(page.get_by_role("heading", name="Day 1", exact=True)).to_be_visible()
    expect(page.locator(".programme-session")).to_have_count(3)
    expect(page.locator(f"#session-{sessions[0].pk} .time-project")).to_contain_text("Colombo (UTC+05:30)")
    expect(page.get_by_role("heading", name="Dr. Ananya Krishnan")).to_be_visible()
    expect(page.get_by_text("The selected participants have not been announced yet.")).to_be_visible()
    journey.check(page, "programme")
    page.get_by_label("Show times also in").select_option("Pacific/Fiji")
    page.get_by_role("button", name="Show").click()
    expect(page.locator(f"#session-{sessions[0].pk} .time-viewer")).to_contain_text("Fiji (UTC+12:00)")
    expect(page.locator(f"#session-{sessions[0].pk} .time-viewer")).to_contain_text("16:30")
    journey.check(page, "programme-fiji")
    # The select offers the member countries' zones; any other is one click away.
    expect(page.locator("#id_zone option")).to_have_count(1 + MemberCountry.objects.filter(active=True).count())
    page.get_by_role("link", name="Another zone…").click()
    page.get_by_label("Show times also in").select_option("Europe/Berlin")
    page.get_by_role("button", name="Show").click()
    expect(page.locator(f"#session-{sessions[0].pk} .time-viewer")).to_contain_text("Berlin (UTC+02:00)")
    expect(page.get_by_label("Show times also in")).to_have_value("Europe/Berlin")

    # Nothing a visitor should not reach: the audit trail sends them to log in.
    page.goto(f"/projects/{project.code}/audit/")
    assert "/accounts/login/" in page.url
    journey.check(page, "login")

    # The verification page of a revoked certificate says so, and shows nothing more than it should.
    page.goto(f"/v/{revoked.verification_code}/")
    expect(page.locator("#verdict")).to_contain_text("Revoked.")
    expect(page.locator("main")).to_contain_text("Maria Clara Santos")
    expect(page.locator("main")).to_contain_text(revoked.number)
    expect(page.locator("main")).not_to_contain_text("misspelt")
    journey.check(page, "verify-revoked")
    assert page.goto("/v/not-a-real-code/").status == 404


def test_a_visitor_whose_device_is_in_no_member_countrys_zone_uses_it_in_one_click(browser, live_server):
    project = seed_workshop()
    sessions = announce_programme(project, factories.secretariat_user(email="aiko.tanaka@apo-tokyo.org"))
    context = browser.new_context(base_url=live_server.url, locale="en-GB", timezone_id="Europe/Berlin")
    context.set_default_timeout(15_000)
    try:
        page = context.new_page()
        page.goto("/")
        page.get_by_role("link", name=project.title).first.click()
        page.get_by_role("link", name="Programme", exact=True).click()
        expect(page.locator("#id_zone option[value='Europe/Berlin']")).to_have_count(0)  # not a member's zone
        page.get_by_role("button", name="Use this device's zone (Europe/Berlin)").click()
        expect(page.locator(f"#session-{sessions[0].pk} .time-viewer")).to_contain_text("Berlin (UTC+02:00)")
        expect(page.get_by_label("Show times also in")).to_have_value("Europe/Berlin")
    finally:
        context.close()
