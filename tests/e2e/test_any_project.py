"""Journey: a project unlike the seed, run by clicking. In person in Dhaka for four days, "up to 6
participants from member countries (two from each country)", the host among them and no local
category; a country not invited is refused; the selection holds the cap for the host too; seats are
confirmed and one declined, and the host's replacement window brings a replacement who is selected;
the notification is revised after the selection to move the dates; attendance is marked for the
room; certificates are issued by the worker and downloaded."""

import datetime
import re

import pytest
from django.db.models import F
from django.utils import timezone
from playwright.sync_api import expect

from apopms.enums import CapScope, Category, QuotaShape
from apopms.models import Project
from nominations.enums import ParticipantStatus
from sessions.models import Session
from tests import factories

from .helpers import exactly, wait_until
from .test_participant import accept_invitation
from .test_secretariat import nominations_arrive

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.celery_worker,
    pytest.mark.django_db(transaction=True),
]

CODE = "26-AG-12-GE-WSP-A"
INVITED = {"India", "Indonesia", "Sri Lanka", "Thailand", "Philippines"}  # Japan is not invited
NOMINEES = [
    ("BD", "Farhana Akter", "farhana.akter@npo.gov.bd"),
    ("BD", "Rashed Karim", "rashed.karim@npo.gov.bd"),
    ("BD", "Tania Sultana", "tania.sultana@npo.gov.bd"),
    ("IN", "Ananya Rao", "ananya.rao@npc.gov.in"),
    ("IN", "Vikram Desai", "vikram.desai@npc.gov.in"),
    ("TH", "Somchai Wongsawat", "somchai.wong@ftpi.or.th"),
    ("PH", "Maria Clara Santos", "mc.santos@dap.edu.ph"),
]


def test_an_in_person_project_with_one_total_and_a_cap_for_everyone(journey):
    def tab(label):
        """A tab of the project's menu, reached from the menu's list of projects when the page has none."""
        menu = page.get_by_role("navigation", name=f"Project {CODE}")
        if not menu.count():
            page.get_by_role("navigation", name="Main").get_by_role("link", name="Manage projects", exact=True).click()
            page.get_by_role("link", name=project.title).first.click()
        menu.get_by_role("link", name=label, exact=True).click()
        page.wait_for_load_state()

    admin = factories.secretariat_user(email="aiko.tanaka@apo-tokyo.org", full_name="Aiko Tanaka")
    page = journey.new_page()
    page.on("dialog", lambda dialog: dialog.accept())
    journey.login(page, admin.email)
    today = timezone.localdate()
    start = today + datetime.timedelta(days=40)

    # The notification, typed in: in person, four days, one total with the host, a cap for everyone.
    main_nav = page.get_by_role("navigation", name="Main")
    main_nav.get_by_role("link", name="Manage projects", exact=True).click()
    page.get_by_role("link", name="New project", exact=True).first.click()
    page.get_by_label(exactly("Code")).fill(CODE)
    page.get_by_label(exactly("Title")).fill("Workshop on Sustainable Productivity Models in Agriculture")
    page.get_by_label(exactly("Modality")).select_option(label="In person")
    page.get_by_label(exactly("Host country")).select_option(label="Bangladesh")
    page.get_by_label(exactly("Venue")).fill("Dhaka, Bangladesh")
    page.get_by_label(exactly("Implementing organizations")).fill("National Productivity Organization, Bangladesh")
    for box in page.locator("#div_id_participating_countries").get_by_role("checkbox").all():
        label = box.evaluate("el => el.labels[0].textContent.trim()")
        box.set_checked(label in INVITED)
    page.get_by_label(exactly("PN issue date")).fill(today.isoformat())
    page.get_by_label(exactly("Start date")).fill(start.isoformat())
    page.get_by_label(exactly("End date")).fill((start + datetime.timedelta(days=3)).isoformat())
    # The time zone is left to the host's.
    page.get_by_label(exactly("Closing date for nominations")).fill((today + datetime.timedelta(days=20)).isoformat())
    page.get_by_label("One total for all countries").check()
    page.get_by_label(exactly("Participants from all countries")).fill("6")
    page.get_by_label("Quotas are maxima").check()
    page.get_by_label(exactly("Per country cap")).fill("2")
    page.get_by_label("Every country's participants").check()
    journey.check(page, "project-form-total-quota")
    page.get_by_role("button", name="Create draft").click()
    expect(page.locator("#phase")).to_have_text("Draft")
    page.get_by_role("button", name="Issue the notification").click()
    page.get_by_role("button", name="Issue the notification").click()  # the confirmation page says what it does
    expect(page.locator("#phase")).to_have_text("Nominations open")
    project = Project.objects.get(code=CODE)
    assert (project.time_zone, project.quota_shape, project.cap_scope) == (
        "Asia/Dhaka",
        QuotaShape.TOTAL,
        CapScope.EVERYONE,
    )
    page.get_by_role("link", name="Public page", exact=True).first.click()
    expect(page.locator("#quota-total")).to_have_text("Up to 6 participants from member countries")
    expect(page.locator("#quota-cap")).to_have_text("At most 2 from each country, the host included")
    expect(page.locator("main")).not_to_contain_text("Local participants")
    expect(page.locator("#project-type")).to_have_text("Workshop")
    journey.check(page, "notification-total-quota")

    # Nominations: the host and four invited countries; Japan, not invited, is refused.
    officers = nominations_arrive(project, NOMINEES)
    assert set(project.nominations.values_list("category", flat=True)) == {Category.ALL}
    japan = factories.npo_officer("JP", email="officer.jp@npo.example")
    journey.logout(page)
    journey.login(page, japan.email)
    expect(page.locator("main")).not_to_contain_text(CODE)
    response = page.goto(f"/projects/{CODE}/nominations/new/")
    assert response.status == 404
    journey.logout(page)
    journey.login(page, admin.email)

    # The deadline passes; the proposal fills the total and stops the host at two.
    Project.objects.filter(pk=project.pk).update(nomination_deadline=timezone.now() - datetime.timedelta(minutes=1))
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Selection", exact=True).click()
    page.get_by_role("link", name=project.title).first.click()
    page.get_by_role("link", name="Propose selection").click()
    page.get_by_role("button", name=re.compile(r"^Confirm: select 6")).click()
    expect(page.get_by_text("Proposal confirmed: 6 selected")).to_be_visible()
    expect(page.locator("#counter-all")).to_have_text("6 / 6")
    expect(page.locator("#selection-counters")).to_contain_text("At most 2 from each country, the host included")
    bangladesh = page.locator("#country-BD")
    expect(bangladesh.get_by_role("row", name=re.compile("Tania Sultana"))).not_to_contain_text("Selected")
    journey.check(page, "selection-total-quota")
    due = today + datetime.timedelta(days=14)
    page.get_by_label(re.compile("^Confirm by")).fill(due.isoformat())
    page.get_by_role("button", name="Set the date").click()
    expect(page.locator("#seat-confirmation")).to_contain_text(f"the end of {due.day} {due:%B %Y}")
    page.get_by_role("link", name="Publish selection").click()
    page.get_by_role("button", name=re.compile(r"^Publish the selection")).click()
    expect(page.get_by_text("The selection is published")).to_be_visible()
    assert project.participants.filter(country__iso2="BD").count() == 2
    journey.logout(page)

    # Seats: Farhana confirms hers; Rashed, the host's other participant, declines.
    accept_invitation(journey, page, "farhana.akter@npo.gov.bd")
    expect(page.locator("main")).not_to_contain_text(re.compile("Zoom|link to join|virtual", re.IGNORECASE))
    page.locator("main").get_by_role("link", name="Confirm or decline your seat").click()
    page.get_by_role("button", name="Confirm my seat").click()
    expect(page.locator("#seat-state")).to_contain_text("You confirmed your seat on")
    journey.logout(page)
    accept_invitation(journey, page, "rashed.karim@npo.gov.bd")
    page.locator("main").get_by_role("link", name="Confirm or decline your seat").click()
    expect(page.locator("main")).not_to_contain_text("Zoom")
    journey.check(page, "seat-in-person")
    page.get_by_role("link", name="Decline my seat").click()
    page.get_by_label("Reason (optional)").fill("A harvest survey needs me that week.")
    page.get_by_role("button", name="Yes, decline my seat").click()
    expect(page.locator("#seat-state")).to_contain_text("You declined your seat on")
    journey.logout(page)

    # The Secretariat opens a replacement window for Bangladesh alone (the host, not an invited country).
    journey.login(page, admin.email)
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Selection", exact=True).click()
    page.get_by_role("link", name=project.title).first.click()
    page.get_by_role("link", name="Participants", exact=True).first.click()
    expect(page.locator("#seat-confirmation")).to_contain_text("1 confirmed · 4 not confirmed · 1 declined.")
    journey.check(page, "participants-total-quota")
    page.get_by_role("link", name="Replacement window for Bangladesh").click()
    page.get_by_label("Replacements allowed").fill("1")
    closing = today + datetime.timedelta(days=7)
    page.get_by_label(re.compile("^Last day for replacements")).fill(closing.isoformat())
    page.get_by_role("button", name="Open the window and tell Bangladesh's NPO").click()
    expect(page.locator("#replacements")).to_contain_text("Bangladesh: up to 1 replacement until the end of")
    journey.logout(page)

    # Bangladesh's officer, told by e-mail, nominates a replacement after the deadline; India cannot.
    bd_officer = officers["BD"]
    wait_until(
        lambda: [m for m in journey.mail_to(bd_officer.email) if m.subject.startswith("Replacement nominations")],
        message="the window's e-mail",
    )
    journey.login(page, bd_officer.email)
    expect(page.locator(f"#replacement-{CODE}")).to_contain_text("Replacement window open")
    page.locator("#role-npo").get_by_role("link", name="Nominate a replacement").first.click()
    page.locator("main").get_by_role("link", name="Nominate a replacement").first.click()
    page.get_by_label("Name for the certificate").fill("Nasrin Haque")
    page.get_by_label("Gender").select_option(label="Female")
    page.get_by_label("E-mail").fill("nasrin.haque@bari.gov.bd")
    page.get_by_label(exactly("Organization")).fill("Bangladesh Agricultural Research Institute")
    page.get_by_label("Organization type").select_option(label="Public extension or research service")
    page.get_by_label("Position/title").fill("Scientific Officer")
    page.get_by_label(re.compile("The candidate was told what is collected")).check()
    page.get_by_role("button", name="Save and submit").click()
    expect(page.locator("#state")).to_have_text("Submitted")
    journey.logout(page)
    journey.login(page, officers["IN"].email)
    expect(page.locator("main")).not_to_contain_text("Nominate a replacement")
    journey.logout(page)

    # The Secretariat selects her: the total and the cap of two hold; she confirms her seat.
    journey.login(page, admin.email)
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Selection", exact=True).click()
    page.get_by_role("link", name=project.title).first.click()
    page.get_by_role("button", name="Select Nasrin Haque").click()
    expect(page.locator("main")).to_contain_text("Nasrin Haque (Bangladesh): selected and invited.")
    expect(page.locator("#counter-all")).to_have_text("6 / 6")
    journey.logout(page)
    accept_invitation(journey, page, "nasrin.haque@bari.gov.bd")
    page.locator("main").get_by_role("link", name="Confirm or decline your seat").click()
    page.get_by_role("button", name="Confirm my seat").click()
    expect(page.locator("#seat-state")).to_contain_text("You confirmed your seat on")
    journey.logout(page)
    journey.login(page, admin.email)

    # The notification is revised after the selection: the dates move by a day, and that is accepted.
    moved = start + datetime.timedelta(days=1)
    tab("Notification")
    page.locator("main").get_by_role("link", name="Edit", exact=True).first.click()
    page.get_by_label(exactly("Start date")).fill(moved.isoformat())
    page.get_by_label(exactly("End date")).fill((moved + datetime.timedelta(days=3)).isoformat())
    page.get_by_label(exactly("Note on this revision")).fill("The venue is available a day later.")
    page.get_by_role("button", name="Save changes").click()
    tab("Notification")
    page.get_by_role("link", name="Public page", exact=True).first.click()
    expect(page.locator("#change-history")).to_contain_text("Timing changed from")
    project.refresh_from_db()
    assert project.start_date == moved
    assert project.participants.filter(status=ParticipantStatus.ACTIVE).count() == 6

    # Four days in a room, added to the programme. The workshop then takes place: the browser cannot wait four days, so
    # its dates move into the past as the clock would have moved.
    for day in range(4):
        tab("Programme")
        page.get_by_role("link", name="Add a session").click()
        expect(page.get_by_label("Link to join")).to_have_count(0)  # in person: a room, no link
        page.get_by_label(exactly("Title")).fill(f"Day {day + 1}")
        page.get_by_label(exactly("Day")).select_option(index=day)
        page.get_by_label(re.compile("Starts at")).fill("09:00")
        page.get_by_label(re.compile("Ends at")).fill("17:00")
        page.get_by_label(exactly("Room")).fill("Hall B")
        page.get_by_role("button", name="Save").click()
        expect(page.get_by_text("Session added to the draft programme.")).to_be_visible()
    assert Session.objects.filter(project=project, room="Hall B", join_url="").count() == 4
    shift = datetime.timedelta(days=(moved - today).days + 7)
    Project.objects.filter(pk=project.pk).update(start_date=F("start_date") - shift, end_date=F("end_date") - shift)
    Session.objects.filter(project=project).update(start_at=F("start_at") - shift, end_at=F("end_at") - shift)

    # Attendance for the room: three days all present, the fourth with one absentee.
    tab("Overview")
    expect(page.locator("main")).not_to_contain_text(re.compile("Zoom|link to join|virtual", re.IGNORECASE))
    tab("Attendance")
    expect(page.locator("main")).not_to_contain_text("Zoom")
    for day in ("Day 1", "Day 2", "Day 3"):
        page.get_by_role("button", name=re.compile(rf"^All present\s*at {day}$")).click()
        expect(page.get_by_text(f"{day}: everyone present. 6 marks changed.")).to_be_visible()
    day4 = Session.objects.get(project=project, title="Day 4")
    page.get_by_label(exactly("Session")).select_option(value=str(day4.pk))
    page.get_by_label("Absentees, one per line").fill("Ananya Rao\nNo Such Person")
    page.get_by_role("button", name="Mark the absentees, everyone else present").click()
    expect(page.get_by_text("Line 2: “No Such Person” is no participant of this project")).to_be_visible()
    page.get_by_label("Absentees, one per line").fill("Ananya Rao")
    page.get_by_role("button", name="Mark the absentees, everyone else present").click()
    expect(page.get_by_text("Day 4: 1 absent, everyone else present.")).to_be_visible()
    expect(page.locator("main")).not_to_contain_text("by hand")
    journey.check(page, "attendance-in-person")

    # Certificates for the five who attended every day.
    tab("Certificates")
    page.get_by_role("button", name="Issue certificates").click()
    page.get_by_role("button", name="Issue the certificates").click()  # the confirmation page
    expect(page.locator("#certificate-progress")).to_contain_text("Last batch finished", timeout=90_000)
    wait_until(lambda: project.certificates.count() == 5, message="five certificates")
    page.reload()
    expect(page.locator("#certificates tbody tr")).to_have_count(5)
    expect(page.locator("#certificates")).not_to_contain_text("Ananya Rao")
    expect(page.locator("#certificates")).to_contain_text("Nasrin Haque")
    expect(page.locator("#certificates")).not_to_contain_text("Rashed Karim")
    pdf = page.request.get(page.locator("#certificates").get_by_role("link", name="PDF").first.get_attribute("href"))
    assert pdf.status == 200 and pdf.body().startswith(b"%PDF")
