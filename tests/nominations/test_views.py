import datetime
import io
import zipfile
import zoneinfo

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import TestCase
from django.urls import reverse
from django.utils import timezone

from apopms.models import AuditEntry
from nominations import services
from nominations.enums import NominationStatus
from nominations.models import Nomination
from tests import factories
from tests.permissions import LOGIN, assert_matrix, role_users

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def docx_bytes():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("word/document.xml", "<w:document/>")
    return buffer.getvalue()


def form_data(**overrides):
    values = {
        "certificate_name": "Nguyen Thi Lan",
        "native_name": "Nguyễn Thị Lan",
        "gender": "female",
        "date_of_birth": "1984-05-02",
        "email": "lan.nguyen@example.org",
        "phone": "+84 24 3826 1234",
        "organization": "Ministry of Home Affairs",
        "organization_type": "ministry",
        "position": "Deputy Director",
        "years_experience": "11",
        "statement": "Leads performance management.",
        "english_proficiency": "good",
        "candidate_informed": "on",
    }
    values.update(overrides)
    return values


def service_data(**overrides):
    """The candidate's data as a service takes it: the form's fields without the officer's confirmation."""
    values = form_data(**overrides)
    del values["candidate_informed"]
    return values


def in_nomination(project, **kwargs):
    kwargs.setdefault("cv", SimpleUploadedFile("cv.pdf", PDF, content_type="application/pdf"))
    nomination = factories.NominationFactory(project=project, country=factories.country("IN"), **kwargs)
    return nomination


# --- Permission matrix of every view ---------------------------------------------------------

NOMINATION_VIEWS = [
    ("nominations:detail", "get", 200),
    ("nominations:edit", "get", 200),
    ("nominations:withdraw", "get", 200),
    ("nominations:cv", "get", 200),
    ("nominations:submit", "post", 302),
    ("nominations:move", "post", 302),
]


@pytest.mark.parametrize("name, method, ok", NOMINATION_VIEWS)
def test_nomination_views_answer_404_to_other_countries(client, project, name, method, ok):
    users = role_users(project)
    nomination = in_nomination(project)
    assert_matrix(
        client,
        reverse(name, kwargs={"pk": nomination.pk}),
        users,
        {
            "anonymous": LOGIN,
            "other_npo": 404,
            "host_npo": 404,
            # An implementer reads only the local nominations of its project: this one is overseas.
            "implementer": 404 if name == "nominations:detail" else 403,
            "participant": 403,
            "own_npo": ok,
            "secretariat": ok,
        },
        method=method,
        data={"direction": "up"},
    )


@pytest.mark.parametrize("name", ["nominations:project", "nominations:create"])
def test_project_pages_are_for_officers_and_secretariat(client, project, name):
    users = role_users(project)
    expected = {
        "anonymous": LOGIN,
        "own_npo": 200,
        "other_npo": 200,
        "host_npo": 200,
        "implementer": 200 if name == "nominations:project" else 403,
        "participant": 403,
        "secretariat": 200,
    }
    assert_matrix(client, reverse(name, kwargs={"code": project.code}), users, expected)


def test_project_pages_hide_projects_a_country_does_not_take_part_in(client):
    project = factories.ProjectFactory(participating_countries=[factories.country("LK")])
    officer = factories.npo_officer("IN")
    client.force_login(officer)
    for name in ["nominations:project", "nominations:create"]:
        assert client.get(reverse(name, kwargs={"code": project.code})).status_code == 404


def test_index_is_for_officers_and_secretariat(client, project):
    users = role_users(project)
    assert_matrix(
        client,
        reverse("nominations:index"),
        users,
        {
            "anonymous": LOGIN,
            "own_npo": 200,
            "other_npo": 200,
            "implementer": 200,
            "participant": 403,
            "secretariat": 200,
        },
    )


@pytest.mark.parametrize(
    "name, kwargs",
    [
        ("nominations:export", {"fmt": "csv"}),
        ("nominations:export", {"fmt": "xlsx"}),
        ("nominations:import", {}),
    ],
)
def test_secretariat_pages_are_for_the_secretariat_only(client, project, name, kwargs):
    users = role_users(project)
    assert_matrix(
        client,
        reverse(name, kwargs={"code": project.code, **kwargs}),
        users,
        {
            "anonymous": LOGIN,
            "own_npo": 403,
            "other_npo": 403,
            "implementer": 403,
            "participant": 403,
            "secretariat": 200,
        },
    )


def test_other_country_cannot_post_changes(client, project, npo_jp):
    nomination = in_nomination(project)
    client.force_login(npo_jp)
    for name, data in [
        ("nominations:edit", form_data()),
        ("nominations:withdraw", {"reason": "x"}),
        ("nominations:submit", {}),
    ]:
        assert client.post(reverse(name, kwargs={"pk": nomination.pk}), data).status_code == 404
    nomination.refresh_from_db()
    assert nomination.status == NominationStatus.DRAFT


# --- The officer's pages -----------------------------------------------------------------------


def test_index_shows_deadline_in_project_zone_and_officers_own(client, npo_in):
    now = timezone.now()
    closing = now.astimezone(zoneinfo.ZoneInfo("Asia/Colombo")).date() + datetime.timedelta(days=5)
    factories.ProjectFactory(
        title="Open workshop", nomination_deadline=factories.Project.deadline_for(closing, "Asia/Colombo")
    )
    factories.ProjectFactory(title="Closed workshop", nomination_deadline=now - datetime.timedelta(hours=1))
    client.force_login(npo_in)
    html = client.get(reverse("nominations:index")).content.decode()
    assert f"Nominations close at the end of {closing:%-d %B %Y}, Colombo time." in html
    assert f"Your time: the end of {closing:%-d %B %Y}, Kolkata time" in html
    assert "closes in 5 days" in html
    assert "Closed workshop" in html and ">closed<" in html


def test_create_draft_with_cv_then_submit(client, project, npo_in, django_capture_on_commit_callbacks):
    client.force_login(npo_in)
    url = reverse("nominations:create", kwargs={"code": project.code})
    data = form_data(cv=SimpleUploadedFile("Lan CV.pdf", PDF, content_type="application/pdf"), draft="")
    response = client.post(url, data)
    nomination = Nomination.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("nominations:detail", args=[nomination.pk])
    assert nomination.status == NominationStatus.DRAFT and nomination.category == "overseas"
    assert nomination.cv.name.startswith(f"private/nominations/{project.pk}/") and nomination.cv.name.endswith(".pdf")
    assert nomination.cv_original_name == "Lan CV.pdf"
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("nominations:submit", args=[nomination.pk]))
    nomination.refresh_from_db()
    assert (nomination.status, nomination.priority) == ("submitted", 1)
    html = client.get(reverse("nominations:detail", args=[nomination.pk])).content.decode()
    assert "Submitted with priority 1" in html and "Created as a draft" in html and "Nguyễn Thị Lan" in html


def test_docx_cv_is_accepted(client, project, npo_in):
    client.force_login(npo_in)
    upload = SimpleUploadedFile("cv.docx", docx_bytes())
    client.post(reverse("nominations:create", kwargs={"code": project.code}), form_data(cv=upload))
    assert Nomination.objects.get().cv.name.endswith(".docx")


@pytest.mark.parametrize(
    "name, content, message",
    [
        ("cv.pdf", b"MZ\x90\x00 this is an executable" * 10, "PDF or Word"),
        ("cv.pdf", b"just some text that pretends to be a PDF", "PDF or Word"),
        ("cv.pdf", PDF + b"0" * (5 * 1024 * 1024), "at most 5 MB"),
    ],
)
def test_cv_of_wrong_type_or_too_large_is_refused(client, project, npo_in, name, content, message):
    client.force_login(npo_in)
    upload = SimpleUploadedFile(name, content, content_type="application/pdf")
    response = client.post(reverse("nominations:create", kwargs={"code": project.code}), form_data(cv=upload))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Nomination.objects.exists()


def test_cv_of_exactly_5_mb_is_accepted(client, project, npo_in):
    client.force_login(npo_in)
    content = PDF + b"0" * (5 * 1024 * 1024 - len(PDF))
    upload = SimpleUploadedFile("cv.pdf", content)
    client.post(reverse("nominations:create", kwargs={"code": project.code}), form_data(cv=upload))
    assert Nomination.objects.get().cv.size == 5 * 1024 * 1024


def test_duplicate_email_is_a_friendly_form_error(client, project, npo_in):
    factories.NominationFactory(project=project, email="lan.nguyen@example.org", country=factories.country("JP"))
    client.force_login(npo_in)
    response = client.post(
        reverse("nominations:create", kwargs={"code": project.code}), form_data(email="LAN.NGUYEN@example.org")
    )
    assert response.status_code == 200
    assert "already nominated for this project" in response.content.decode()
    assert Nomination.objects.count() == 1


def test_certificate_name_must_be_latin(client, project, npo_in):
    client.force_login(npo_in)
    response = client.post(
        reverse("nominations:create", kwargs={"code": project.code}), form_data(certificate_name="अंजलि शर्मा")
    )
    assert "Latin letters" in response.content.decode()


def test_cv_download_is_audited_and_private(client, project, npo_in, secretariat):
    nomination = in_nomination(project)
    for user in (npo_in, secretariat):
        client.force_login(user)
        response = client.get(reverse("nominations:cv", args=[nomination.pk]))
        assert response.status_code == 200
        assert response.content == PDF
        assert response["Content-Disposition"].startswith("attachment")
    downloads = AuditEntry.objects.for_object(nomination).filter(action="nominations.nomination.cv_downloaded")
    assert sorted(e.actor.email for e in downloads) == sorted([npo_in.email, secretariat.email])


def test_edit_replaces_fields(client, project, npo_in):
    nomination = in_nomination(project)
    client.force_login(npo_in)
    response = client.post(reverse("nominations:edit", args=[nomination.pk]), form_data(position="Director General"))
    assert response.status_code == 302
    nomination.refresh_from_db()
    assert nomination.position == "Director General"


def test_withdraw_through_the_page(client, project, npo_in):
    nomination = in_nomination(project, submitted=True)
    client.force_login(npo_in)
    client.post(reverse("nominations:withdraw", args=[nomination.pk]), {"reason": "Changed job"})
    nomination.refresh_from_db()
    assert (nomination.status, nomination.withdrawal_reason) == ("withdrawn", "Changed job")


def _submit_three(project, officer):
    result = []
    for i in range(3):
        n = services.create_nomination(
            project=project,
            country=officer.npo_country,
            actor=officer,
            data=service_data(email=f"p{i}@example.org", certificate_name=f"Person {i}"),
        )
        result.append(services.submit_nomination(nomination=n, actor=officer, notify=False))
    return result


def test_move_up_without_javascript_redirects_back(client, project, npo_in):
    _a, b, c = _submit_three(project, npo_in)
    client.force_login(npo_in)
    response = client.post(reverse("nominations:move", args=[c.pk]), {"direction": "up"})
    assert response.status_code == 302
    assert response["Location"].endswith(f"/projects/{project.code}/nominations/#nomination-{c.pk}")
    b.refresh_from_db()
    c.refresh_from_db()
    assert (b.priority, c.priority) == (3, 2)


def test_move_with_htmx_returns_the_ranking_table(client, project, npo_in):
    a, _b, _c = _submit_three(project, npo_in)
    client.force_login(npo_in)
    response = client.post(
        reverse("nominations:move", args=[a.pk]), {"direction": "down"}, headers={"HX-Request": "true"}
    )
    html = response.content.decode()
    assert response.status_code == 200 and html.lstrip().startswith('<div id="nomination-table"')
    rows = html[html.index("<tbody>") :]
    assert rows.index("Person 1") < rows.index("Person 0") < rows.index("Person 2")


def test_after_deadline_officer_pages_refuse_with_a_clear_message(client, project, npo_in):
    a, b, c = _submit_three(project, npo_in)
    draft = in_nomination(project, email="draft@example.org")
    project.nomination_deadline = timezone.now() - datetime.timedelta(seconds=1)
    project.save(update_fields=["nomination_deadline"])
    client.force_login(npo_in)
    before = list(Nomination.objects.order_by("pk").values())
    html = client.get(reverse("nominations:project", kwargs={"code": project.code})).content.decode()
    assert "Nominations are closed" in html and "▲ Up" not in html
    response = client.post(reverse("nominations:move", args=[c.pk]), {"direction": "up"}, follow=True)
    assert "Nominations closed at" in response.content.decode()
    client.post(reverse("nominations:submit", args=[draft.pk]))
    client.post(reverse("nominations:withdraw", args=[a.pk]), {"reason": ""})
    client.post(reverse("nominations:edit", args=[b.pk]), form_data(email="b@example.org"))
    client.post(reverse("nominations:create", kwargs={"code": project.code}), form_data(email="new@example.org"))
    assert list(Nomination.objects.order_by("pk").values()) == before


# --- The Secretariat's pages -------------------------------------------------------------------


def test_review_filters_and_counts(client, project, secretariat):
    for iso2, gender in [("IN", "female"), ("IN", "male"), ("JP", "female"), ("LK", "female")]:
        factories.NominationFactory(project=project, country=factories.country(iso2), gender=gender, submitted=True)
    client.force_login(secretariat)
    url = reverse("nominations:project", kwargs={"code": project.code})
    response = client.get(url)
    counts = response.context["counts"]
    assert counts["countries"] == [("India", 2, 2), ("Japan", 1, 1), ("Sri Lanka", 1, 1)]
    assert sorted(counts["categories"]) == [("local", 1, 1), ("overseas", 3, 3)]
    response = client.get(url, {"category": "overseas", "gender": "female"})
    assert len(response.context["nominations"]) == 2
    response = client.get(url, {"country": factories.country("IN").pk, "state": "submitted"})
    assert len(response.context["nominations"]) == 2
    response = client.get(url, {"state": "draft"})
    assert response.context["nominations"] == []


def test_secretariat_late_nomination_through_the_page(client, secretariat):
    project = factories.ProjectFactory(nomination_deadline=timezone.now() - datetime.timedelta(days=1))
    client.force_login(secretariat)
    data = form_data(country=factories.country("PH").pk, submit="")
    response = client.post(reverse("nominations:create", kwargs={"code": project.code}), data)
    assert response.status_code == 302
    nomination = Nomination.objects.get()
    assert nomination.is_late and nomination.status == "submitted" and nomination.country.iso2 == "PH"
    html = client.get(reverse("nominations:detail", args=[nomination.pk])).content.decode()
    assert "late nomination" in html


def test_the_officers_list_escapes_every_value_it_writes(client, project, npo_in):
    hostile = '<script>alert(1)</script>"><img src=x onerror=alert(2)>'
    for _ in range(2):  # two, so both move buttons (with the name in their labels) are written
        factories.NominationFactory(
            project=project,
            country=npo_in.npo_country,
            submitted=True,
            certificate_name=f"Ana {hostile}",
            native_name=f"ආනා {hostile}",
            position=hostile,
            organization=hostile,
        )
    client.force_login(npo_in)
    html = client.get(reverse("nominations:project", kwargs={"code": project.code})).content.decode()
    assert "<script>alert(1)" not in html and "<img src=x" not in html
    escaped = "&lt;script&gt;alert(1)&lt;/script&gt;&quot;&gt;&lt;img src=x onerror=alert(2)&gt;"
    assert html.count(escaped) >= 2 * 4  # name, native name, position, organization of each row
    assert f'aria-label="Move Ana {escaped} down (lower priority)"' in html


# --- Query counts ----------------------------------------------------------------------------


@pytest.mark.parametrize("rows", [2, 20])
def test_officer_list_runs_the_same_queries_at_two_sizes(client, project, npo_in, django_assert_num_queries, rows):
    for _ in range(rows):
        factories.NominationFactory(project=project, country=npo_in.npo_country, submitted=True)
    client.force_login(npo_in)
    # session, user (with "taking part" for the navigation), memberships, project (with whether it
    # invites the country), its nominations (a list that fits one page is counted from its rows), and
    # the country's replacement window
    with django_assert_num_queries(6):
        response = client.get(reverse("nominations:project", kwargs={"code": project.code}))
    assert len(response.context["nominations"]) == rows
    with django_assert_num_queries(7):  # and the lowest priority of all (the page is not the whole list)
        response = client.get(reverse("nominations:project", kwargs={"code": project.code}), {"q": "@"})
    assert len(response.context["nominations"]) == rows


@pytest.mark.parametrize("rows", [2, 20])
def test_secretariat_list_runs_the_same_queries_at_two_sizes(
    client, project, secretariat, django_assert_num_queries, rows
):
    for i in range(rows):
        iso2 = ["IN", "JP", "LK", "TH"][i % 4]
        factories.NominationFactory(project=project, country=factories.country(iso2), submitted=True)
    client.force_login(secretariat)
    with django_assert_num_queries(9):
        response = client.get(reverse("nominations:project", kwargs={"code": project.code}))
    assert len(response.context["nominations"]) == rows
    with django_assert_num_queries(9):
        response = client.get(reverse("nominations:project", kwargs={"code": project.code}), {"q": "@"})
    assert len(response.context["nominations"]) == rows


@pytest.mark.parametrize("rows", [2, 20])
def test_index_runs_the_same_queries_at_two_sizes(client, npo_in, django_assert_num_queries, rows):
    for _ in range(rows):
        factories.ProjectFactory()
    client.force_login(npo_in)
    with django_assert_num_queries(4):
        response = client.get(reverse("nominations:index"))
    assert len(response.context["projects"]) == rows


def test_import_pages_are_for_the_secretariat_only(client, project, secretariat):
    from nominations import services

    users = role_users(project)
    with TestCase.captureOnCommitCallbacks(execute=True):
        job = services.upload_nomination_import(
            project=project,
            country=factories.country("IN"),
            actor=secretariat,
            content=b"Name for the certificate,E-mail\nA B,a@example.org\n",
            file_name="x.csv",
        ).pk
    expected = {
        "anonymous": LOGIN,
        "own_npo": 403,
        "other_npo": 403,
        "implementer": 403,
        "participant": 403,
        "secretariat": 200,
    }
    # The file is read already (eager worker): its progress page goes on to the preview.
    for name, shown in (("nominations:import_preview", 200), ("nominations:import_progress", 302)):
        url = reverse(name, kwargs={"code": project.code, "job": job})
        assert_matrix(client, url, users, {**expected, "secretariat": shown})


def test_import_job_of_another_project_is_not_found(client, project, secretariat):
    from nominations import services

    other = factories.ProjectFactory()
    other.participating_countries.add(factories.country("IN"))
    job = services.upload_nomination_import(
        project=other, country=factories.country("IN"), actor=secretariat, content=b"a,b\n", file_name="x.csv"
    ).pk
    client.force_login(secretariat)
    url = reverse("nominations:import_preview", kwargs={"code": project.code, "job": job})
    assert client.get(url).status_code == 404


def test_withdraw_post_matrix(client, project):
    users = role_users(project)
    nomination = in_nomination(project)
    assert_matrix(
        client,
        reverse("nominations:withdraw", kwargs={"pk": nomination.pk}),
        users,
        {"anonymous": LOGIN, "other_npo": 404, "host_npo": 404, "implementer": 403, "participant": 403},
        method="post",
        data={"reason": "x"},
    )
    nomination.refresh_from_db()
    assert nomination.status == NominationStatus.DRAFT


def test_admin_actions_go_through_the_services(client, project, secretariat):
    secretariat.is_staff = secretariat.is_superuser = True
    secretariat.save()
    draft = factories.NominationFactory(project=project, country=factories.country("IN"))
    client.force_login(secretariat)
    response = client.post(
        reverse("admin:nominations_nomination_changelist"),
        {"action": "submit_selected", "_selected_action": [draft.pk]},
    )
    assert response.status_code == 302
    draft.refresh_from_db()
    assert (draft.status, draft.priority) == ("submitted", 1)
    assert AuditEntry.objects.for_object(draft).filter(action="nominations.nomination.submitted").exists()


@pytest.mark.parametrize(
    "instant, allowed",
    [
        (datetime.datetime(2030, 8, 3, 23, 59, 59, 999999, tzinfo=zoneinfo.ZoneInfo("Asia/Colombo")), True),
        (datetime.datetime(2030, 8, 4, 0, 0, tzinfo=zoneinfo.ZoneInfo("Asia/Colombo")), False),
    ],
)
def test_pages_at_the_exact_deadline_edge_in_the_project_zone(client, npo_in, time_machine, instant, allowed):
    project = factories.ProjectFactory(
        start_date=datetime.date(2030, 8, 24),
        nomination_deadline=datetime.datetime(2030, 8, 4, tzinfo=zoneinfo.ZoneInfo("Asia/Colombo")),
    )
    time_machine.move_to(datetime.datetime(2030, 8, 1, tzinfo=datetime.UTC), tick=False)
    a, b, _ = _submit_three(project, npo_in)
    draft = in_nomination(project, email="draft@example.org")
    time_machine.move_to(instant, tick=False)
    client.force_login(npo_in)
    page = client.get(reverse("nominations:project", kwargs={"code": project.code})).content.decode()
    assert ("closes today" in page) is allowed and (">closed<" in page) is not allowed
    posts = [
        (reverse("nominations:create", kwargs={"code": project.code}), form_data(email="new@example.org")),
        (reverse("nominations:edit", args=[b.pk]), form_data(email="b.changed@example.org")),
        (reverse("nominations:submit", args=[draft.pk]), {}),
        (reverse("nominations:move", args=[b.pk]), {"direction": "up"}),
        (reverse("nominations:withdraw", args=[a.pk]), {"reason": "Edge"}),
    ]
    before = list(Nomination.objects.order_by("pk").values())
    for url, data in posts:
        response = client.post(url, data, follow=True)
        assert ("Nominations closed at 4 Aug 2030, 00:00 Colombo" in response.content.decode()) is not allowed, url
    after = list(Nomination.objects.order_by("pk").values())
    assert (after == before) is not allowed
    if allowed:
        assert Nomination.objects.filter(email="new@example.org").exists()
        a.refresh_from_db()
        assert a.status == NominationStatus.WITHDRAWN


def test_implementer_reads_local_nominations_of_its_project_only(client, project):
    implementer = factories.implementer(project)
    local = factories.NominationFactory(
        project=project,
        country=factories.country("LK"),
        submitted=True,
        cv=SimpleUploadedFile("cv.pdf", PDF, content_type="application/pdf"),
    )
    overseas = in_nomination(project, email="overseas@example.org", submitted=True)
    other_project_local = factories.NominationFactory(country=factories.country("LK"))
    client.force_login(implementer)
    response = client.get(reverse("nominations:project", kwargs={"code": project.code}))
    assert [n.pk for n in response.context["nominations"]] == [local.pk]
    html = response.content.decode()
    assert "Export CSV" not in html and "Import from a spreadsheet" not in html
    assert reverse("nominations:cv", args=[local.pk]) not in html
    detail = client.get(reverse("nominations:detail", args=[local.pk])).content.decode()
    assert "only the NPO and the APO Secretariat can open it" in detail and "Withdraw" not in detail
    assert client.get(reverse("nominations:cv", args=[local.pk])).status_code == 403
    assert client.get(reverse("nominations:edit", args=[local.pk])).status_code == 403
    assert client.get(reverse("nominations:detail", args=[overseas.pk])).status_code == 404
    assert client.get(reverse("nominations:detail", args=[other_project_local.pk])).status_code == 404
    other = factories.ProjectFactory()
    assert client.get(reverse("nominations:project", kwargs={"code": other.code})).status_code == 404
    index = client.get(reverse("nominations:index"))
    assert [p.pk for p in index.context["projects"]] == [project.pk]


def test_rank_sets_the_whole_order_in_one_request(client, project, npo_in):
    a, b, c = _submit_three(project, npo_in)
    client.force_login(npo_in)
    url = reverse("nominations:rank", kwargs={"code": project.code})
    response = client.post(url, {"order": [c.pk, a.pk, b.pk]}, headers={"HX-Request": "true"})
    assert response.status_code == 200 and "The ranking is saved." in response.content.decode()
    priorities = dict(Nomination.objects.filter(project=project).values_list("pk", "priority"))
    assert priorities == {c.pk: 1, a.pk: 2, b.pk: 3}
    response = client.post(url, {"order": [a.pk]}, follow=True)
    assert "The ranking changed meanwhile" in response.content.decode()
    assert dict(Nomination.objects.filter(project=project).values_list("pk", "priority")) == priorities


def test_rank_is_for_the_officers_own_country(client, project):
    users = role_users(project)
    jp = users["other_npo"]
    own = _submit_three(project, users["own_npo"])
    url = reverse("nominations:rank", kwargs={"code": project.code})
    order = {"order": [n.pk for n in reversed(own)]}
    before = [n.priority for n in Nomination.objects.filter(pk__in=[n.pk for n in own]).order_by("pk")]
    assert_matrix(
        client,
        url,
        users,
        {"anonymous": LOGIN, "implementer": 403, "participant": 403, "secretariat": 403, "other_npo": 302},
        method="post",
        data=order,
    )
    # Japan's officer posting India's ids changes nothing: they are not Japan's ranking.
    assert [n.priority for n in Nomination.objects.filter(pk__in=[n.pk for n in own]).order_by("pk")] == before
    assert jp.npo_country.iso2 == "JP"
