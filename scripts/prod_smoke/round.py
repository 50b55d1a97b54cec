"""The data and the round driven over HTTP: login (CSRF), an NPO's nomination with its CV, the
Secretariat closing nominations, selecting, publishing, the programme, attendance, issuing.

Seeded directly (as an import would): the accounts and the 99 nominations other NPOs submitted.
Everything after that goes through the pages, as people click.
"""

import datetime
import re

from client import forms, links
from django.db import transaction
from django.utils import timezone

from apopms.enums import Category, Role
from apopms.models import MemberCountry, Membership, Project, User
from nominations.enums import Decision, Gender, NominationStatus, OrganizationType
from nominations.models import Nomination, Participant

CODE = "26-SMOKE-01"
PASSWORD = "Smoke-round-password-2026!"  # noqa: S105 - a throwaway account of the smoke's own database
ADMIN = "secretariat@smoke.example"
OFFICER = "npo.india@smoke.example"
SEEDED = 99
# The smallest PDF the CV check accepts (it reads the content, not the name).
CV = b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj 2 0 obj<</Type/Pages/Count 0/Kids[]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"


def form_errors(page):
    """The error messages a form page shows (for the failure's message)."""
    return [
        re.sub(r"<[^>]+>", "", m).strip()
        for m in re.findall(r'class="[^"]*(?:invalid-feedback|alert-danger|errorlist)[^"]*"[^>]*>(.*?)</', page, re.S)
    ]


def seed():
    """The accounts and a project whose days are over, nominations still open (the Secretariat closes them)."""
    today = timezone.now().date()
    countries = list(MemberCountry.objects.order_by("iso2"))
    host = next(c for c in countries if c.iso2 == "LK")
    india = next(c for c in countries if c.iso2 == "IN")
    with transaction.atomic():
        admin = User.objects.create_user(ADMIN, PASSWORD, full_name="Smoke Secretariat")
        Membership.objects.create(user=admin, role=Role.SECRETARIAT)
        officer = User.objects.create_user(OFFICER, PASSWORD, full_name="Smoke Officer")
        Membership.objects.create(user=officer, role=Role.NPO_OFFICER, country=india)
        project = Project.objects.create(
            code=CODE,
            title="Smoke test workshop on production readiness",
            host_country=host,
            implementing_organizations="APO Secretariat",
            start_date=today - datetime.timedelta(days=2),
            end_date=today - datetime.timedelta(days=1),
            time_zone="UTC",
            nomination_deadline=timezone.now() + datetime.timedelta(days=7),
            overseas_quota=150,
            local_quota=10,
            notification_issued_at=timezone.now(),
            contact_email="secretariat@smoke.example",
        )
        project.participating_countries.set(countries)
        overseas = [c for c in countries if c.pk != host.pk]
        priorities = {}
        nominations = []
        for i in range(SEEDED):
            country = overseas[i % len(overseas)]
            priorities[country.pk] = priorities.get(country.pk, 0) + 1
            nominations.append(
                Nomination(
                    project=project,
                    country=country,
                    category=Category.OVERSEAS,
                    status=NominationStatus.SUBMITTED,
                    priority=priorities[country.pk],
                    certificate_name=f"Smoke Nominee {i:03d}",
                    gender=Gender.FEMALE if i % 2 else Gender.MALE,
                    email=f"nominee{i:03d}@smoke.example",
                    organization="Ministry of Public Administration",
                    organization_type=OrganizationType.MINISTRY,
                    position="Deputy Director",
                    submitted_at=timezone.now(),
                )
            )
        Nomination.objects.bulk_create(nominations)
    return project


def nominate(npo):
    """The NPO officer nominates one candidate with a CV, and submits."""
    path = f"/projects/{CODE}/nominations/new/"
    form = npo.form(path)
    data = form.values(
        certificate_name="Priya Raman",
        gender=Gender.FEMALE,
        organization_type=OrganizationType.PUBLIC_ORGANIZATION,
        native_name="",
        date_of_birth="1985-04-12",
        email="priya.raman@smoke.example",
        phone="+91 11 2345 6789",
        organization="National Productivity Council",
        position="Director",
        years_experience="12",
        statement="Leads the council's public sector productivity programme.",
        candidate_informed="on",  # the officer confirms the candidate was given the personal data notice
    )
    data.append(("submit", ""))
    response = npo.post(path, data, files={"cv": ("priya-raman-cv.pdf", CV, "application/pdf")})
    nomination = Nomination.objects.filter(project__code=CODE, email="priya.raman@smoke.example").first()
    assert nomination is not None, f"the nomination form refused: {form_errors(response.text)}"
    assert nomination.status == NominationStatus.SUBMITTED and nomination.cv, "the NPO's nomination was not submitted"


def post_confirmed(client, path, data, *, referer):
    """POST an irreversible action as a person without JavaScript does: the answer is a page stating the
    consequence, whose form carries the confirmation token (apopms.confirm); that form is sent."""
    asked = client.post(path, data, referer=referer, expect=(200,))
    # The confirmation form posts back to the page itself (no action), beside the menu's logout form.
    (confirm,) = [form for form in forms(asked.text) if form.method == "post" and path in (form.action or path)]
    return client.post(path, confirm.values(), referer=path)


def select(admin):
    """Close nominations, select every nomination, publish the selection."""
    post_confirmed(admin, f"/manage/projects/{CODE}/nominations/", {"open": "0"}, referer=f"/manage/projects/{CODE}/")
    assert not Project.objects.get(code=CODE).nominations_open, "nominations did not close"
    board = admin.get(f"/projects/{CODE}/selection/").text
    ids = [pk for (pk,) in links(board, rf"/projects/{CODE}/selection/nominations/(\d+)/decide/")]
    assert len(ids) == SEEDED + 1, f"the selection board lists {len(ids)} nominations"
    for pk in ids:
        admin.post(
            f"/projects/{CODE}/selection/nominations/{pk}/decide/",
            {"decision": Decision.SELECTED},
            referer=f"/projects/{CODE}/selection/",
        )
    form = admin.form(f"/projects/{CODE}/selection/publish/")
    admin.post(f"/projects/{CODE}/selection/publish/", form.values())
    count = Participant.objects.filter(project__code=CODE).count()
    assert count == SEEDED + 1, f"{count} participants after publishing the selection"
    return count


def programme(admin):
    """One session on the project's first day (over by now), then the programme announced."""
    path = f"/projects/{CODE}/programme/sessions/new/"
    form = admin.form(path)
    admin.post(path, form.values(title="Day 1: Productivity tools", start_time="09:00", end_time="12:00"))
    form = admin.form(f"/projects/{CODE}/programme/publish/")
    admin.post(f"/projects/{CODE}/programme/publish/", form.values(change_note="The programme of the smoke round."))
    assert Project.objects.get(code=CODE).programme_published_at, "the programme was not published"


def attendance(admin):
    """Every participant present at the session, one cell at a time."""
    grid = admin.get(f"/projects/{CODE}/attendance/").text
    cells = links(grid, rf"/projects/{CODE}/attendance/mark/(\d+)/(\d+)/")
    assert len(cells) == SEEDED + 1, f"the attendance grid has {len(cells)} cells"
    for participant, session in cells:
        admin.post(
            f"/projects/{CODE}/attendance/mark/{participant}/{session}/",
            {"present": "1"},
            referer=f"/projects/{CODE}/attendance/",
        )
    return len(cells)


def start_issuing(admin):
    page = f"/projects/{CODE}/certificates/"
    form = admin.form(page, match="/start/")
    post_confirmed(admin, form.action, form.values(), referer=page)
