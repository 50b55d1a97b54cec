import datetime

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from apopms import services
from apopms.enums import Category, Modality, ProjectPhase
from apopms.exceptions import DomainError
from apopms.models import AuditEntry, MemberCountry, Project, ProjectRevision
from apopms.signals import project_cloned
from tests import factories
from tests.confirm import confirmed

from .project_helpers import edit_page_data

pytestmark = pytest.mark.django_db


def _fields(**overrides):
    fields = {
        "code": "26-GP-01-GE-WSP-A",
        "title": "Green Productivity for Agrifood",
        "modality": Modality.IN_PERSON,
        "host_country": factories.country("TH"),
        "implementing_organizations": "Foundation for Thailand Productivity Institute\nAPO Secretariat",
        "start_date": datetime.date(2040, 6, 9),
        "end_date": datetime.date(2040, 6, 12),
        "time_zone": "Asia/Bangkok",
        "venue": "Bangkok",
        "overseas_quota": 30,
        "local_quota": 5,
        "per_country_cap": 2,
        "objectives": "Learn green productivity.",
        "topics_by_day": [["Intro"], ["Practice"]],
    }
    fields.update(overrides)
    return fields


def _create(actor, closing_date=datetime.date(2040, 5, 1), countries=None, **overrides):
    return services.create_project(
        actor=actor,
        participating_countries=countries if countries is not None else MemberCountry.objects.all(),
        closing_date=closing_date,
        **_fields(**overrides),
    )


def test_create_project_sets_deadline_at_end_of_closing_date_in_project_zone(secretariat):
    project = _create(secretariat)
    assert project.nomination_deadline == Project.deadline_for(datetime.date(2040, 5, 1), "Asia/Bangkok")
    assert project.closing_date == datetime.date(2040, 5, 1)
    assert project.participating_countries.count() == 21
    assert project.phase() == ProjectPhase.DRAFT
    assert AuditEntry.objects.filter(action="apopms.project.created", project=project).exists()


def test_project_validation_names_each_wrong_field(secretariat):
    with pytest.raises(DomainError) as exc:
        _create(
            secretariat,
            countries=MemberCountry.objects.filter(iso2__in=["JP", "IN"]),
            end_date=datetime.date(2040, 6, 1),
            closing_date=datetime.date(2040, 6, 9),
            per_country_cap=0,
        )
    errors = exc.value.errors
    assert set(errors) == {"end_date", "closing_date", "per_country_cap"}
    assert errors["end_date"] == "The end date (1 June 2040) is before the start date (9 June 2040)."
    assert errors["closing_date"] == "The closing date (9 June 2040) must be before the start date (9 June 2040)."
    assert not Project.objects.filter(code="26-GP-01-GE-WSP-A").exists()


def test_project_code_must_be_unique_and_zone_known(secretariat, project):
    with pytest.raises(DomainError) as exc:
        _create(secretariat, code=project.code, time_zone="Mars/Olympus")
    assert set(exc.value.errors) == {"code", "time_zone"}


def test_quota_cannot_drop_below_seats_already_taken(secretariat, project):
    for iso2 in ["IN", "IN", "JP"]:
        factories.NominationFactory(
            project=project, country=factories.country(iso2), submitted=True, decision="selected"
        )
    factories.NominationFactory(project=project, country=factories.country("LK"), submitted=True, decision="selected")
    with pytest.raises(DomainError) as exc:
        services.update_project(actor=secretariat, project=project, overseas_quota=2, local_quota=0, per_country_cap=1)
    assert set(exc.value.errors) == {"overseas_quota", "local_quota", "per_country_cap"}
    assert "3 overseas participants are already selected" in exc.value.errors["overseas_quota"]
    project.refresh_from_db()
    assert project.overseas_quota == 38
    services.update_project(actor=secretariat, project=project, overseas_quota=3, local_quota=1, per_country_cap=2)
    project.refresh_from_db()
    assert (project.overseas_quota, project.local_quota) == (3, 1)


def test_editing_a_draft_creates_no_revision(secretariat):
    project = _create(secretariat)
    services.update_project(actor=secretariat, project=project, title="Green Productivity 2.0")
    assert not ProjectRevision.objects.exists()
    assert Project.objects.get(pk=project.pk).title == "Green Productivity 2.0"


def test_editing_an_issued_notification_creates_a_revision_shown_on_the_public_page(
    client, secretariat, django_capture_on_commit_callbacks
):
    factories.npo_officer("IN", email="officer.in@npo.example")
    project = factories.ProjectFactory(
        start_date=datetime.date(2030, 3, 22),
        end_date=datetime.date(2030, 3, 25),
        nomination_deadline=Project.deadline_for(datetime.date(2030, 3, 1), "Asia/Colombo"),
    )
    with django_capture_on_commit_callbacks(execute=True):
        services.update_project(
            actor=secretariat,
            project=project,
            start_date=datetime.date(2030, 6, 9),
            end_date=datetime.date(2030, 6, 12),
            overseas_quota=20,
            objectives="New objectives.",
            participating_countries=MemberCountry.objects.exclude(iso2="TR"),
            note="Postponed by the host.",
        )
    revision = ProjectRevision.objects.get(project=project)
    assert revision.number == 1
    texts = [c["text"] for c in revision.changes]
    assert "Timing changed from 22–25 March 2030 to 9–12 June 2030." in texts
    assert "Overseas participants changed from 38 to 20." in texts
    assert "Objectives revised." in texts
    assert "Participating countries changed: removed Türkiye." in texts
    assert revision.clauses == ["Timing", "Participating countries", "Overseas participants", "Objectives"]
    html = client.get(project.get_absolute_url()).content.decode()
    assert "Change history of this notification" in html
    assert "Revision 1" in html
    assert "Timing changed from 22–25 March 2030 to 9–12 June 2030." in html
    assert "Postponed by the host." in html
    # The NPO officers were told of the revision.
    assert [m.to for m in mail.outbox] == [["officer.in@npo.example"]]
    assert "revision 1" in mail.outbox[0].subject.lower()
    # A second revision gets the next number.
    services.update_project(actor=secretariat, project=project, local_quota=10)
    assert list(project.revisions.order_by("number").values_list("number", flat=True)) == [1, 2]


def test_unchanged_save_creates_no_revision(secretariat, project):
    services.update_project(actor=secretariat, project=project, title=project.title)
    assert not ProjectRevision.objects.exists()


def test_clone_copies_texts_quotas_countries_and_shifts_dates(secretariat):
    source = _create(secretariat, countries=MemberCountry.objects.filter(iso2__in=["TH", "IN", "JP"]))
    received = []

    def receiver(sender, source, clone, day_offset, **kwargs):
        received.append((source.code, clone.code, day_offset))

    project_cloned.connect(receiver)
    try:
        clone = services.clone_project(
            actor=secretariat, source=source, code="27-GP-01-GE-WSP-A", start_date=datetime.date(2041, 6, 8)
        )
    finally:
        project_cloned.disconnect(receiver)
    assert clone.edition_of == source
    assert (clone.start_date, clone.end_date) == (datetime.date(2041, 6, 8), datetime.date(2041, 6, 11))
    assert clone.closing_date == datetime.date(2041, 4, 30)
    assert clone.time_zone == "Asia/Bangkok"
    assert (clone.overseas_quota, clone.local_quota, clone.per_country_cap) == (30, 5, 2)
    assert clone.objectives == source.objectives and clone.topics_by_day == source.topics_by_day
    assert sorted(clone.participating_countries.values_list("iso2", flat=True)) == ["IN", "JP", "TH"]
    assert clone.notification_issued_at is None
    assert received == [(source.code, clone.code, 364)]


def test_clone_with_an_existing_code_names_the_field(secretariat, project):
    with pytest.raises(DomainError) as exc:
        services.clone_project(actor=secretariat, source=project, code=project.code, start_date=project.start_date)
    assert "code" in exc.value.errors


def test_extend_deadline_is_audited_revised_and_emailed_to_participating_npos(
    secretariat, django_capture_on_commit_callbacks
):
    project = factories.ProjectFactory(
        start_date=datetime.date(2030, 8, 24),
        end_date=datetime.date(2030, 8, 26),
        nomination_deadline=Project.deadline_for(datetime.date(2030, 8, 3), "Asia/Colombo"),
        participating_countries=MemberCountry.objects.filter(iso2__in=["LK", "IN"]),
    )
    factories.npo_officer("IN", email="a.in@npo.example")
    factories.npo_officer("LK", email="a.lk@npo.example")
    factories.npo_officer("JP", email="a.jp@npo.example")  # not participating
    with django_capture_on_commit_callbacks(execute=True):
        services.extend_deadline(
            actor=secretariat, project=project, closing_date=datetime.date(2030, 8, 10), reason="More time for NPOs"
        )
    project.refresh_from_db()
    assert project.closing_date == datetime.date(2030, 8, 10)
    entry = AuditEntry.objects.get(action="apopms.project.deadline_extended")
    assert entry.actor == secretariat and entry.details["reason"] == "More time for NPOs"
    assert sorted(m.to[0] for m in mail.outbox) == ["a.in@npo.example", "a.lk@npo.example"]
    assert "10 August 2030" in mail.outbox[0].body and "3 August 2030" in mail.outbox[0].body
    revision = project.revisions.get()
    assert revision.changes[0]["text"] == "Closing date changed from 3 August 2030 to 10 August 2030."


def test_extend_deadline_refuses_an_earlier_date_or_one_after_the_start(secretariat, project):
    with pytest.raises(DomainError, match="after the current one"):
        services.extend_deadline(actor=secretariat, project=project, closing_date=project.closing_date)
    with pytest.raises(DomainError, match="before the start date"):
        services.extend_deadline(actor=secretariat, project=project, closing_date=project.start_date)


def test_open_close_nominations_and_issue_notification(secretariat, django_capture_on_commit_callbacks):
    factories.npo_officer("JP", email="a.jp@npo.example")
    project = _create(
        secretariat,
        start_date=datetime.date(2040, 6, 9),
        end_date=datetime.date(2040, 6, 12),
        closing_date=datetime.date(2040, 5, 1),
    )
    assert not project.accepts_nominations()
    with django_capture_on_commit_callbacks(execute=True):
        services.issue_notification(actor=secretariat, project=project)
    project.refresh_from_db()
    assert project.accepts_nominations()
    assert project.phase() == ProjectPhase.NOMINATIONS_OPEN
    assert [m.to for m in mail.outbox] == [["a.jp@npo.example"]]
    services.set_nominations_open(actor=secretariat, project=project, is_open=False)
    project.refresh_from_db()
    assert not project.accepts_nominations()
    assert project.phase() == ProjectPhase.SELECTION
    services.set_nominations_open(actor=secretariat, project=project, is_open=True)
    assert (
        AuditEntry.objects.filter(
            project=project,
            action__in=["apopms.project.nominations_closed", "apopms.project.nominations_opened"],
        ).count()
        == 2
    )


def test_only_the_secretariat_may_change_projects(npo_in, project):
    implementer = factories.implementer(project)
    for actor in (npo_in, implementer):
        with pytest.raises(PermissionDenied):
            services.update_project(actor=actor, project=project, title="x")
        with pytest.raises(PermissionDenied):
            services.extend_deadline(actor=actor, project=project, closing_date=project.closing_date)


# --- The pages ---------------------------------------------------------------------------


def _form_data(project=None, **overrides):
    data = {
        "code": "26-GP-01",
        "title": "Green Productivity",
        "modality": Modality.IN_PERSON,
        "host_country": factories.country("TH").pk,
        "venue": "Bangkok",
        "implementing_organizations": "FTPI\nAPO Secretariat",
        "participating_countries": [c.pk for c in MemberCountry.objects.filter(iso2__in=["TH", "IN", "JP"])],
        "start_date": "2040-06-09",
        "end_date": "2040-06-12",
        "time_zone": "Asia/Bangkok",
        "closing_date": "2040-05-01",
        "overseas_quota": "30",
        "local_quota": "5",
        "per_country_cap": "2",
        "min_attendance_share": "0.80",
        "qualifications": "Managers",
        "nomination_procedure": "Through NPOs",
        "objectives": "Learn",
        "background": "Context",
        "scope_and_methodology": "Lectures",
        "topics": "Intro\nBasics\n\nPractice",
        "certificate_rule": "Attend all",
        "financial_arrangements": "APO pays",
        "implementation_procedures": "See circular",
        "signatory_name": "Dr. Indra Pradana Singawinata",
        "signatory_title": "Secretary-General",
    }
    data.update(overrides)
    return data


def test_create_project_page_makes_a_draft(client, secretariat):
    client.force_login(secretariat)
    response = client.post(reverse("project_create"), _form_data())
    assert response.status_code == 302, response.content.decode()[:3000]
    project = Project.objects.get(code="26-GP-01")
    assert response["Location"] == reverse("project_manage", kwargs={"code": "26-GP-01"})
    assert project.topics_by_day == [["Intro", "Basics"], ["Practice"]]
    assert project.closing_date == datetime.date(2040, 5, 1)
    assert project.per_country_cap == 2


def test_create_project_page_shows_each_wrong_field(client, secretariat):
    client.force_login(secretariat)
    response = client.post(
        reverse("project_create"),
        _form_data(
            end_date="2040-06-01", closing_date="2040-06-20", participating_countries=[factories.country("IN").pk]
        ),
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert set(form.errors) == {"end_date", "closing_date"}
    html = response.content.decode()
    assert "The end date (1 June 2040) is before the start date (9 June 2040)." in html


def test_edit_page_of_issued_project_records_a_revision(client, secretariat, project):
    client.force_login(secretariat)
    page = client.get(reverse("project_edit", kwargs={"code": project.code}))
    assert "creates a revision" in page.content.decode()
    data = edit_page_data(client, project)
    data["local_quota"] = "15"
    data["note"] = "More local seats"
    response = client.post(reverse("project_edit", kwargs={"code": project.code}), data)
    assert response.status_code == 302, response.context["form"].errors
    revision = project.revisions.get()
    assert [c["text"] for c in revision.changes] == ["Local participants changed from 12 to 15."]


def test_clone_page_creates_a_new_edition(client, secretariat, project):
    client.force_login(secretariat)
    new_start = project.start_date + datetime.timedelta(days=365)
    response = client.post(
        reverse("project_clone", kwargs={"code": project.code}),
        {"code": "NEXT-1", "title": "", "start_date": new_start.isoformat(), "closing_date": ""},
    )
    assert response.status_code == 302
    clone = Project.objects.get(code="NEXT-1")
    assert clone.edition_of == project and clone.title == project.title


def test_deadline_page_extends(client, secretariat, project):
    client.force_login(secretariat)
    new = project.closing_date + datetime.timedelta(days=5)
    response = client.post(
        reverse("project_deadline", kwargs={"code": project.code}), {"closing_date": new.isoformat()}
    )
    assert response.status_code == 302
    project.refresh_from_db()
    assert project.closing_date == new
    response = client.post(
        reverse("project_deadline", kwargs={"code": project.code}), {"closing_date": project.start_date.isoformat()}
    )
    assert response.status_code == 200
    assert "closing_date" in response.context["form"].errors


def test_issue_and_nominations_buttons(client, secretariat):
    project = factories.ProjectFactory(notification_issued_at=None)
    client.force_login(secretariat)
    issue = reverse("project_issue", kwargs={"code": project.code})
    close = reverse("project_nominations", kwargs={"code": project.code})
    client.post(issue, confirmed(secretariat, issue))
    client.post(close, confirmed(secretariat, close, {"open": "0"}))
    project.refresh_from_db()
    assert project.notification_issued_at is not None
    assert project.nominations_open is False


@pytest.mark.parametrize(
    ("name", "data", "says"),
    [
        ("project_issue", {}, "every participating NPO is e-mailed now"),
        ("project_nominations", {"open": "0"}, "NPO officers can no longer create, submit"),
    ],
)
def test_irreversible_project_buttons_ask_first(client, secretariat, name, data, says):
    """The first POST (the button) only shows the consequence; a forged token does not act either."""
    project = factories.ProjectFactory(notification_issued_at=None)
    client.force_login(secretariat)
    url = reverse(name, kwargs={"code": project.code})
    response = client.post(url, data)
    assert response.status_code == 200
    assert says in response.content.decode()
    assert response.context["token"] == confirmed(secretariat, url)["confirm"]
    client.post(url, {**data, "confirm": "1"})
    other = reverse(
        "project_issue" if name == "project_nominations" else "project_nominations", kwargs={"code": project.code}
    )
    client.post(url, {**data, "confirm": confirmed(secretariat, other)["confirm"]})  # another action's token
    project.refresh_from_db()
    assert project.notification_issued_at is None
    assert project.nominations_open is True
    assert not AuditEntry.objects.filter(project=project).exists()


def test_manage_page_shows_phase_actions_and_audit_link(client, secretariat, project):
    client.force_login(secretariat)
    html = client.get(reverse("project_manage", kwargs={"code": project.code})).content.decode()
    assert "Nominations open" in html
    assert reverse("audit_log", kwargs={"code": project.code}) in html
    assert "Extend the deadline" in html


def test_category_is_reused_for_seats(project):
    # The quota check counts categories exactly as nominations store them.
    assert {Category.OVERSEAS, Category.LOCAL} == {"overseas", "local"}


def test_project_list_per_role_shows_phase_and_counts(client, secretariat, npo_in):
    open_project = factories.ProjectFactory(title="Open workshop")
    draft = factories.ProjectFactory(title="Draft workshop", notification_issued_at=None)
    elsewhere = factories.ProjectFactory(
        title="Japan only workshop", participating_countries=MemberCountry.objects.filter(iso2__in=["LK", "JP"])
    )
    factories.NominationFactory(project=open_project, country=factories.country("IN"), submitted=True)
    factories.NominationFactory(project=open_project, country=factories.country("JP"), submitted=True)
    factories.NominationFactory(project=open_project, country=factories.country("IN"))  # a draft
    factories.ParticipantFactory(nomination__project=open_project, nomination__country=factories.country("JP"))

    client.force_login(secretariat)
    response = client.get(reverse("project_list"))
    rows = {p.title: p for p in response.context["projects"]}
    assert set(rows) == {"Open workshop", "Draft workshop", "Japan only workshop"}
    assert (rows["Open workshop"].nomination_count, rows["Open workshop"].participant_count) == (3, 1)
    html = response.content.decode()
    assert "Nominations open" in html and "Draft" in html

    client.force_login(npo_in)
    response = client.get(reverse("project_list"))
    rows = {p.title: p for p in response.context["projects"]}
    assert set(rows) == {"Open workshop"}  # not the draft, not a project India is not part of
    assert (rows["Open workshop"].nomination_count, rows["Open workshop"].participant_count) == (2, 0)
    assert draft.title not in response.content.decode() and elsewhere.title not in response.content.decode()


@pytest.mark.parametrize("size", [2, 20])
def test_project_list_takes_5_queries_at_any_size(client, secretariat, npo_in, size, django_assert_num_queries):
    for _ in range(size):
        project = factories.ProjectFactory()
        factories.NominationFactory(project=project, submitted=True)
        factories.ParticipantFactory(nomination__project=project)
    for user in (secretariat, npo_in):
        client.force_login(user)
        # The session, its user, their roles; the page's count and its projects.
        with django_assert_num_queries(5):
            response = client.get(reverse("project_list"))
        assert len(response.context["projects"]) == size
        with django_assert_num_queries(5):
            response = client.get(reverse("project_list"), {"q": "workshop"})
        assert len(response.context["projects"]) == size


@pytest.mark.parametrize("size", [2, 20])
def test_home_page_takes_4_queries_at_any_size(client, npo_in, size, django_assert_num_queries):
    for _ in range(size):
        factories.ProjectFactory()
    client.force_login(npo_in)
    with django_assert_num_queries(4):
        response = client.get(reverse("home"))
    assert len(response.context["projects"]) == size


@pytest.mark.parametrize("size", [2, 20])
def test_audit_log_takes_7_queries_at_any_size(client, secretariat, project, size, django_assert_num_queries):
    for i in range(size):
        services.set_nominations_open(actor=secretariat, project=project, is_open=i % 2 == 1)
    client.force_login(secretariat)
    # The session, its user, their roles; the project; the people of the person filter; the page's
    # count and its entries (with their person and project).
    with django_assert_num_queries(7):
        response = client.get(reverse("audit_log", kwargs={"code": project.code}))
    assert len(response.context["page"].object_list) == size


def test_clone_brings_the_programme_skeleton_through_the_signal(secretariat, project):
    """The core only sends project_cloned; the sessions app (label agenda) copies its sessions."""
    first = factories.SessionFactory(project=project, title="Day 1")
    clone = services.clone_project(
        actor=secretariat,
        source=project,
        code="NEXT-2",
        start_date=project.start_date + datetime.timedelta(days=7),
    )
    sessions = list(clone.sessions.order_by("start_at"))
    assert [s.title for s in sessions] == ["Day 1"]
    assert sessions[0].start_at - first.start_at == datetime.timedelta(days=7)


def test_draft_page_is_previewed_by_secretariat_and_its_implementers_only(client, npo_in):
    draft = factories.ProjectFactory(notification_issued_at=None)
    client.force_login(factories.implementer(draft))
    response = client.get(draft.get_absolute_url())
    assert response.status_code == 200 and "Draft: this notification is not issued yet" in response.content.decode()
    client.force_login(npo_in)
    assert client.get(draft.get_absolute_url()).status_code == 404


def test_countries_with_nominations_stay_and_the_host_stays(secretariat, project):
    factories.NominationFactory(project=project, country=factories.country("IN"), submitted=True)
    with pytest.raises(DomainError) as exc:
        services.update_project(
            actor=secretariat,
            project=project,
            host_country=factories.country("JP"),
            participating_countries=MemberCountry.objects.exclude(iso2="IN"),
        )
    assert exc.value.errors["participating_countries"] == "India already nominated people; keep them participating."
    assert "host cannot change" in exc.value.errors["host_country"]


def test_implementer_list_counts_local_nominations_only(client, project):
    factories.NominationFactory(project=project, country=factories.country("IN"), submitted=True)
    factories.NominationFactory(project=project, country=factories.country("LK"), submitted=True)
    client.force_login(factories.implementer(project))
    response = client.get(reverse("project_list"))
    [row] = response.context["projects"]
    assert row.nomination_count == 1
    assert "Local nominations" in response.content.decode()


def test_admin_shows_issued_projects_read_only(client, project):
    admin_user = factories.secretariat_user(is_staff=True, is_superuser=True)
    client.force_login(admin_user)
    response = client.get(reverse("admin:apopms_project_change", args=[project.pk]))
    assert response.status_code == 200
    assert 'name="overseas_quota"' not in response.content.decode()
    draft = factories.ProjectFactory(notification_issued_at=None)
    response = client.get(reverse("admin:apopms_project_change", args=[draft.pk]))
    assert 'name="overseas_quota"' in response.content.decode()


# --- The per-country cap counts what selection counts -----------------------------------


def _selected(project, iso2, n):
    for _ in range(n):
        factories.NominationFactory(
            project=project, country=factories.country(iso2), submitted=True, decision="selected"
        )


@time_machine.travel(datetime.datetime(2030, 2, 10, 4, tzinfo=datetime.UTC), tick=False)
def test_local_participants_of_the_host_do_not_block_an_edit_under_the_cap(client, secretariat):
    # Cap 2; the host (Sri Lanka) has 6 local participants selected, India 2 overseas.
    project = factories.ProjectFactory(
        start_date=datetime.date(2030, 3, 22),
        end_date=datetime.date(2030, 3, 25),
        nomination_deadline=Project.deadline_for(datetime.date(2030, 2, 1), "Asia/Colombo"),
        per_country_cap=2,
        local_quota=12,
    )
    _selected(project, "LK", 6)
    _selected(project, "IN", 2)
    client.force_login(secretariat)
    data = edit_page_data(client, project)
    data.update(start_date="2030-03-29", end_date="2030-04-01")
    response = client.post(reverse("project_edit", kwargs={"code": project.code}), data)
    assert response.status_code == 302, response.context["form"].errors
    project.refresh_from_db()
    assert (project.start_date, project.per_country_cap) == (datetime.date(2030, 3, 29), 2)
    revision = project.revisions.get()
    assert [c["text"] for c in revision.changes] == ["Timing changed from 22–25 March 2030 to 29 March–1 April 2030."]
    html = client.get(project.get_absolute_url()).content.decode()
    assert "Timing changed from 22–25 March 2030 to 29 March–1 April 2030." in html
    assert "Per-country cap changed" not in html


@time_machine.travel(datetime.datetime(2030, 2, 10, 4, tzinfo=datetime.UTC), tick=False)
def test_cap_cannot_drop_below_the_overseas_participants_of_one_country(secretariat):
    project = factories.ProjectFactory(
        start_date=datetime.date(2030, 3, 22),
        end_date=datetime.date(2030, 3, 25),
        nomination_deadline=Project.deadline_for(datetime.date(2030, 2, 1), "Asia/Colombo"),
        per_country_cap=3,
    )
    _selected(project, "LK", 6)
    _selected(project, "IN", 2)
    with pytest.raises(DomainError) as exc:
        services.update_project(actor=secretariat, project=project, per_country_cap=1)
    assert exc.value.errors == {
        "per_country_cap": "2 overseas participants of one country are already selected; the cap cannot be lower."
    }
    services.update_project(actor=secretariat, project=project, per_country_cap=2)
    assert Project.objects.get(pk=project.pk).per_country_cap == 2


# --- One rule for the closing date -------------------------------------------------------

# 10 February 2030, 09:30 in Colombo.
NOW = datetime.datetime(2030, 2, 10, 4, tzinfo=datetime.UTC)


def _open_project(**kwargs):
    kwargs.setdefault("start_date", datetime.date(2030, 3, 22))
    kwargs.setdefault("end_date", datetime.date(2030, 3, 25))
    kwargs.setdefault("nomination_deadline", Project.deadline_for(datetime.date(2030, 2, 20), "Asia/Colombo"))
    return factories.ProjectFactory(**kwargs)


PAST_CLOSING = (
    "The closing date (9 February 2030) has passed in the project's time zone: choose today (10 February 2030) "
    "or a later day."
)


@time_machine.travel(NOW, tick=False)
def test_edit_page_refuses_to_move_the_closing_date_into_the_past(client, secretariat):
    project = _open_project()
    client.force_login(secretariat)
    data = edit_page_data(client, project)
    data["closing_date"] = "2030-02-09"
    response = client.post(reverse("project_edit", kwargs={"code": project.code}), data)
    assert response.status_code == 200
    assert response.context["form"].errors["closing_date"] == [PAST_CLOSING]
    assert PAST_CLOSING.replace("'", "&#x27;") in response.content.decode()
    project.refresh_from_db()
    assert project.closing_date == datetime.date(2030, 2, 20)
    assert project.accepts_nominations()
    assert not project.revisions.exists()
    # Today is still a day to close on: nominations run until its end in Colombo.
    data["closing_date"] = "2030-02-10"
    response = client.post(reverse("project_edit", kwargs={"code": project.code}), data)
    assert response.status_code == 302, response.context["form"].errors
    assert Project.objects.get(pk=project.pk).closing_date == datetime.date(2030, 2, 10)


@time_machine.travel(NOW, tick=False)
def test_extend_page_refuses_a_closing_date_in_the_past_by_the_same_rule(client, secretariat):
    # Nominations closed on 1 February; 9 February is later than that, but has passed too.
    project = _open_project(nomination_deadline=Project.deadline_for(datetime.date(2030, 2, 1), "Asia/Colombo"))
    client.force_login(secretariat)
    response = client.post(reverse("project_deadline", kwargs={"code": project.code}), {"closing_date": "2030-02-09"})
    assert response.status_code == 200
    assert response.context["form"].errors["closing_date"] == [PAST_CLOSING]
    assert Project.objects.get(pk=project.pk).closing_date == datetime.date(2030, 2, 1)
    with pytest.raises(DomainError) as exc:
        services.update_project(actor=secretariat, project=project, closing_date=datetime.date(2030, 2, 9))
    assert exc.value.errors == {"closing_date": PAST_CLOSING}


@time_machine.travel(NOW, tick=False)
def test_a_finished_project_stays_editable_with_its_past_closing_date(client, secretariat):
    project = _open_project(
        start_date=datetime.date(2029, 8, 24),
        end_date=datetime.date(2029, 8, 26),
        nomination_deadline=Project.deadline_for(datetime.date(2029, 8, 3), "Asia/Colombo"),
    )
    client.force_login(secretariat)
    data = edit_page_data(client, project)
    data.update(title="Digital Transformation (revised)", time_zone="Asia/Kolkata")
    response = client.post(reverse("project_edit", kwargs={"code": project.code}), data)
    assert response.status_code == 302, response.context["form"].errors
    project.refresh_from_db()
    assert (project.title, project.closing_date) == ("Digital Transformation (revised)", datetime.date(2029, 8, 3))
    # A workshop recorded after the fact is created with its past dates.
    recorded = _create(
        secretariat,
        code="29-RECORDED",
        closing_date=datetime.date(2029, 5, 1),
        start_date=datetime.date(2029, 6, 9),
        end_date=datetime.date(2029, 6, 12),
    )
    assert recorded.closing_date == datetime.date(2029, 5, 1)


@time_machine.travel(NOW, tick=False)
def test_the_signatory_name_is_cleaned_like_every_printed_name(client, secretariat):
    project = _open_project()
    client.force_login(secretariat)
    data = edit_page_data(client, project)
    data["signatory_name"] = "\u202eDr. AKP Mochtan\u200b"
    response = client.post(reverse("project_edit", kwargs={"code": project.code}), data)
    assert response.status_code == 302, response.context["form"].errors
    assert Project.objects.get(pk=project.pk).signatory_name == "Dr. AKP Mochtan"
    data["signatory_name"] = "\u200b\u200b"
    response = client.post(reverse("project_edit", kwargs={"code": project.code}), data)
    assert "no visible letters" in " ".join(response.context["form"].errors["signatory_name"])


def test_create_page_takes_a_total_quota_a_cap_for_everyone_and_the_host_zone(client, secretariat):
    client.force_login(secretariat)
    data = _form_data(
        code="20-RP-02-GE-SPW-A",
        host_country=factories.country("ID").pk,
        participating_countries=[c.pk for c in MemberCountry.objects.filter(iso2__in=["IN", "JP"])],
        time_zone="",
        notification_date="2040-03-02",
        quota_shape="total",
        total_quota="38",
        overseas_quota="",
        local_quota="",
        quotas_up_to="on",
        cap_scope="everyone",
    )
    response = client.post(reverse("project_create"), data)
    assert response.status_code == 302, response.context["form"].errors
    project = Project.objects.get(code="20-RP-02-GE-SPW-A")
    assert (project.time_zone, project.notification_date) == ("Asia/Jakarta", datetime.date(2040, 3, 2))
    assert (project.quota_shape, project.total_quota, project.overseas_quota, project.local_quota) == (
        "total",
        38,
        0,
        0,
    )
    assert (
        project.quota_summary
        == "Up to 38 participants from member countries; at most 2 from each country, the host included"
    )
    assert project.project_type_label == "Planning workshop"
    assert "ID" in project.nominating_countries().values_list("iso2", flat=True)


def test_edit_page_lists_the_host_zones_first(client, secretariat):
    project = factories.ProjectFactory(host_country=factories.country("ID"), time_zone="Asia/Jakarta")
    client.force_login(secretariat)
    form = client.get(reverse("project_edit", kwargs={"code": project.code})).context["form"]
    host_group, zones = form.fields["time_zone"].choices[1]
    assert host_group == "The host country's zones"
    assert [z for z, _ in zones] == ["Asia/Jakarta", "Asia/Pontianak", "Asia/Makassar", "Asia/Jayapura"]
