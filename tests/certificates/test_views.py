import io
import re
import zipfile

import pytest
from django.template.loader import render_to_string
from django.urls import reverse

from apopms.models import Project
from certificates import pdf, selectors, services, views
from certificates.models import Certificate, IssueBatch, IssueFailure
from sessions.models import Attendance, Session
from sessions.selectors import participants_attended_every_session
from tests import factories
from tests.confirm import confirmed
from tests.permissions import LOGIN, assert_matrix, role_users

from .conftest import attendee, finished_project

pytestmark = pytest.mark.django_db


@pytest.fixture
def users(done_project):
    users = role_users(done_project)
    participant = users["participant"].participations.get()
    for session in done_project.sessions.all():
        factories.AttendanceFactory(participant=participant, session=session)
    users["other_participant"] = attendee(done_project, iso2="JP").user
    return users


@pytest.fixture
def certificate(users, done_project):
    participant = users["participant"].participations.get()
    return services.issue_certificate(participant=participant, actor=users["secretariat"])


SECRETARIAT_ONLY = {
    "anonymous": LOGIN,
    "own_npo": 403,
    "other_npo": 403,
    "implementer": 403,
    "participant": 403,
    "secretariat": 200,
}


def test_project_page_permissions(client, users, done_project):
    assert_matrix(client, reverse("certificates:project", args=[done_project.code]), users, SECRETARIAT_ONLY)


def test_index_and_progress_permissions(client, users, done_project):
    assert_matrix(client, reverse("certificates:index"), users, SECRETARIAT_ONLY)
    assert_matrix(client, reverse("certificates:progress", args=[done_project.code]), users, SECRETARIAT_ONLY)


def test_correct_name_page_permissions(client, users, done_project):
    participant = users["participant"].participations.get()
    url = reverse("certificates:correct_name", args=[done_project.code, participant.pk])
    assert_matrix(client, url, users, SECRETARIAT_ONLY)


def test_revoke_page_permissions(client, users, certificate):
    assert_matrix(client, reverse("certificates:revoke", args=[certificate.number]), users, SECRETARIAT_ONLY)


def test_zip_permissions(client, users, done_project, certificate):
    assert_matrix(client, reverse("certificates:zip", args=[done_project.code]), users, SECRETARIAT_ONLY)


def test_post_actions_are_secretariat_only(client, users, done_project):
    participant = users["participant"].participations.get()
    expected = {k: v for k, v in SECRETARIAT_ONLY.items() if k != "secretariat"}
    for url in (
        reverse("certificates:start", args=[done_project.code]),
        reverse("certificates:issue_one", args=[done_project.code, participant.pk]),
    ):
        assert_matrix(client, url, users, expected, method="post")
    assert not Certificate.objects.exists()


def test_download_permissions(client, users, certificate):
    assert_matrix(
        client,
        reverse("certificates:download", args=[certificate.number]),
        users,
        {
            "anonymous": LOGIN,
            "participant": 200,
            "own_npo": 200,
            "secretariat": 200,
            "other_participant": 404,
            "other_npo": 404,
            "host_npo": 404,
            "implementer": 404,
        },
    )


def test_download_serves_the_stored_file_without_rendering(client, users, certificate, monkeypatch):
    def no_render(*args, **kwargs):
        raise AssertionError("re-rendered on download")

    monkeypatch.setattr(pdf, "render_certificate", no_render)
    client.force_login(users["participant"])
    response = client.get(reverse("certificates:download", args=[certificate.number]))
    with certificate.pdf.open("rb") as handle:
        assert response.content == handle.read()
    assert response["Content-Type"] == "application/pdf"


def test_revoked_certificate_is_not_downloadable_by_its_holder(client, users, certificate):
    services.revoke_certificate(certificate=certificate, actor=users["secretariat"], reason="Attendance corrected")
    client.force_login(users["participant"])
    assert client.get(reverse("certificates:download", args=[certificate.number])).status_code == 404


def test_zip_contains_every_live_certificate(client, users, done_project, certificate):
    client.force_login(users["secretariat"])
    response = client.get(reverse("certificates:zip", args=[done_project.code]))
    archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    assert archive.namelist() == [f"{certificate.number}.pdf"]
    assert archive.read(f"{certificate.number}.pdf").startswith(b"%PDF-")


def test_start_issuing_from_the_page(client, users, done_project, django_capture_on_commit_callbacks):
    client.force_login(users["secretariat"])
    url = reverse("certificates:start", args=[done_project.code])
    asked = client.post(url)
    assert "each is e-mailed a link to it" in asked.content.decode()
    assert not Certificate.objects.exists()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, confirmed(users["secretariat"], url), follow=True)
    assert Certificate.objects.count() == 2  # both participants attended every session
    assert b"Issuing started" in response.content


def test_progress_polls_while_running_and_stops_after(client, users, done_project):
    client.force_login(users["secretariat"])
    url = reverse("certificates:progress", args=[done_project.code])
    IssueBatch.objects.create(project=done_project)
    running = client.get(url).content.decode()
    assert 'hx-trigger="every 2s"' in running
    assert 'id="count-eligible">2<' in running
    IssueBatch.objects.update(finished_at="2024-01-01T00:00Z")
    assert "hx-trigger" not in client.get(url).content.decode()


def test_issue_one_refuses_an_ineligible_participant(client, users, done_project):
    other = attendee(done_project, miss={0})
    client.force_login(users["secretariat"])
    response = client.post(reverse("certificates:issue_one", args=[done_project.code, other.pk]), follow=True)
    assert b"did not attend every session" in response.content
    assert not Certificate.objects.exists()


def test_revoke_and_reissue_from_the_page(client, users, certificate, django_capture_on_commit_callbacks):
    client.force_login(users["secretariat"])
    url = reverse("certificates:revoke", args=[certificate.number])
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, confirmed(users["secretariat"], url, {"reason": "Name misspelt", "reissue": "1"}))
    certificate.refresh_from_db()
    assert certificate.revoked_at is not None
    assert Certificate.objects.live().get().replaces == certificate


def test_revoke_without_the_pages_confirmation_does_not_act(client, users, certificate):
    """The revoke page states the consequence; a POST that did not come from it (no token) revokes nothing."""
    client.force_login(users["secretariat"])
    url = reverse("certificates:revoke", args=[certificate.number])
    assert "Revoking cannot be undone" in client.get(url).content.decode()
    response = client.post(url, {"reason": "Name misspelt"})
    assert response.status_code == 200
    assert "Nothing was revoked" in response.content.decode()
    certificate.refresh_from_db()
    assert certificate.revoked_at is None


def test_correct_name_form_refused_after_issue(client, users, done_project, certificate):
    client.force_login(users["secretariat"])
    participant = certificate.participant
    url = reverse("certificates:correct_name", args=[done_project.code, participant.pk])
    response = client.post(url, {"certificate_name": "Another Name"})
    assert b"revoke it" in response.content
    participant.refresh_from_db()
    assert participant.certificate_name != "Another Name"


# The same number at both sizes: each list of the page is one query, whatever its length. Of the 21:
# the request's session, user (with whether they take part, for the navigation), roles and project;
# the latest batch; 5 counters; when the last session ends (twice: may issuing start, and the date
# shown); the session count behind each of 3 eligibility lists; sessions, attendance and participants
# of the not-eligible list; the certificates, to revoke and waiting lists.
PROJECT_PAGE_QUERIES = 21


@pytest.mark.parametrize("rows", [2, 12])
def test_project_page_queries_are_the_same_for_2_and_12_rows(client, done_project, django_assert_num_queries, rows):
    secretariat = factories.secretariat_user()
    for _ in range(rows):
        services.issue_certificate(participant=attendee(done_project), actor=secretariat)
    for _ in range(rows):  # issued, then their attendance corrected: listed to revoke
        holder = attendee(done_project)
        services.issue_certificate(participant=holder, actor=secretariat)
        Attendance.objects.filter(participant=holder).update(present=False)
    attendee(done_project)  # eligible, waiting
    for _ in range(rows):
        attendee(done_project, miss={1})  # listed as not eligible, with the session missed
    client.force_login(secretariat)
    with django_assert_num_queries(PROJECT_PAGE_QUERIES):
        response = client.get(reverse("certificates:project", args=[done_project.code]))
    assert response.status_code == 200
    assert len(response.context["to_revoke"]) == rows
    assert len(response.context["not_eligible"]) == 2 * rows  # those to revoke missed sessions too


# The request's session, user (with whether they take part), roles; the projects with their counts.
INDEX_QUERIES = 4


@pytest.mark.parametrize("rows", [2, 12])
def test_index_queries_are_the_same_for_2_and_12_projects(client, django_assert_num_queries, rows):
    for _ in range(rows):
        factories.ProjectFactory()
    secretariat = factories.secretariat_user()
    client.force_login(secretariat)
    with django_assert_num_queries(INDEX_QUERIES):
        response = client.get(reverse("certificates:index"))
    assert response.status_code == 200
    assert len(response.context["projects"]) >= rows


# ---------------------------------------------------------------- verification


def test_verify_shows_valid_certificate_and_nothing_more(client, certificate):
    response = client.get(f"/v/{certificate.verification_code}/")
    text = response.content.decode()
    assert response.status_code == 200
    assert "Valid." in text
    assert certificate.snapshot["certificate_name"] in text
    assert certificate.snapshot["project_title"] in text
    assert certificate.snapshot["date_range"] in text
    assert certificate.participant.user.email not in text
    assert certificate.snapshot["country"] not in text


def test_verify_shows_revoked(client, users, certificate):
    services.revoke_certificate(certificate=certificate, actor=users["secretariat"], reason="Attendance corrected")
    text = client.get(reverse("certificates:verify", args=[certificate.verification_code])).content.decode()
    assert "Revoked." in text
    assert "Attendance corrected" not in text


def test_verify_wrong_code_is_plain_not_found(client, db):
    response = client.get("/v/not-a-real-code/")
    assert response.status_code == 404
    assert "No certificate has this verification code." in response.content.decode()


def test_verify_is_rate_limited_per_address(client, db, settings):
    limit = views.VERIFY_RATE[0]
    for _ in range(limit):
        assert client.get("/v/guess/", REMOTE_ADDR="10.0.0.7").status_code == 404
    response = client.get("/v/guess/", REMOTE_ADDR="10.0.0.7")
    assert response.status_code == 429
    assert "Too many verification requests" in response.content.decode()
    assert client.get("/v/guess/", REMOTE_ADDR="10.0.0.8").status_code == 404


# ---------------------------------------------------------------- "My workshop" partial


def _partial(participant):
    """The section as "My workshop" includes it: with whether the programme is over, as the page reads it."""
    over = selectors.issuing_open(participant.project)
    return render_to_string("certificates/_my_certificate.html", {"participant": participant, "over": over})


def test_my_certificate_links_the_issued_certificate(certificate):
    html = _partial(certificate.participant)
    assert reverse("certificates:download", args=[certificate.number]) in html


def test_my_certificate_lists_missed_sessions(done_project):
    participant = attendee(done_project, miss={1})
    html = _partial(participant)
    assert "not present at" in html and "Day 2" in html and "Day 1" not in html


def test_my_certificate_before_the_end_says_when(db):
    project = finished_project(days_ago=-5)
    html = _partial(attendee(project, miss={0, 1}))
    assert "issued after the last session" in html


def test_project_page_lists_certificates_to_revoke(client, users, done_project, certificate):
    Attendance.objects.filter(participant=certificate.participant).update(present=False)
    client.force_login(users["secretariat"])
    page = client.get(reverse("certificates:project", args=[done_project.code])).content.decode()
    assert 'id="to-revoke-list"' in page
    assert certificate.number in page.split('id="to-revoke-list"')[1].split("</ul>")[0]


def test_admin_action_cannot_issue_to_an_ineligible_participant(client, users, certificate):
    services.revoke_certificate(certificate=certificate, actor=users["secretariat"], reason="Attendance corrected")
    Attendance.objects.filter(participant=certificate.participant).update(present=False)
    admin = users["secretariat"]
    admin.is_staff = admin.is_superuser = True
    admin.save()
    client.force_login(admin)
    response = client.post(
        reverse("admin:certificates_certificate_changelist"),
        {"action": "issue_again_if_missing", "_selected_action": [certificate.pk]},
        follow=True,
    )
    assert "did not attend every session" in response.content.decode()
    assert not Certificate.objects.live().exists()


def test_project_page_lists_who_is_not_eligible_and_why(client, users, done_project):
    attendee(done_project, miss={1}, certificate_name="Absent Person")
    client.force_login(users["secretariat"])
    page = client.get(reverse("certificates:project", args=[done_project.code])).content.decode()
    section = page.split('id="not-eligible-table"')[1].split("</table>")[0]
    assert "Absent Person" in section and "Day 2" in section and "Day 1" not in section


def test_issue_one_after_attendance_correction(client, users, done_project, django_capture_on_commit_callbacks):
    late = attendee(done_project, miss={0})
    client.force_login(users["secretariat"])
    url = reverse("certificates:issue_one", args=[done_project.code, late.pk])
    client.post(url)
    assert not Certificate.objects.filter(participant=late).exists()
    session = done_project.sessions.order_by("start_at").first()
    Attendance.objects.create(participant=late, session=session, present=True, seconds=10800, source="manual")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, follow=True)
    certificate = Certificate.objects.get(participant=late)
    assert f"The certificate of {late.certificate_name} is being made" in response.content.decode()
    assert certificate.snapshot["certificate_name"] == late.certificate_name


class _CountingRenderer:
    """Counts the calls of the PDF renderer, and which of them ran inside a web request."""

    def __init__(self, monkeypatch, module, name):
        self.real = getattr(module, name)
        self.calls = 0
        monkeypatch.setattr(module, name, self)

    def __call__(self, *args, **kwargs):
        self.calls += 1
        return self.real(*args, **kwargs)


def test_issue_this_one_renders_nothing_in_the_request_and_the_worker_makes_it(
    client, users, done_project, monkeypatch, django_capture_on_commit_callbacks
):
    participant = users["participant"].participations.get()
    renderer = _CountingRenderer(monkeypatch, pdf, "render_certificate")
    client.force_login(users["secretariat"])
    with django_capture_on_commit_callbacks(execute=False) as queued:
        response = client.post(reverse("certificates:issue_one", args=[done_project.code, participant.pk]))
    assert response.status_code == 302
    assert renderer.calls == 0
    assert not Certificate.objects.exists()
    batch = IssueBatch.objects.get()
    assert (batch.participant, batch.running) == (participant, True)
    assert (
        'hx-trigger="every 2s"'
        in client.get(reverse("certificates:progress", args=[done_project.code])).content.decode()
    )
    for callback in queued:  # the worker's turn
        callback()
    assert renderer.calls == 1
    certificate = Certificate.objects.live().get(participant=participant)
    batch.refresh_from_db()
    assert not batch.running  # a batch of one ends with its certificate, though others still wait
    assert "hx-trigger" not in client.get(reverse("certificates:progress", args=[done_project.code])).content.decode()
    assert client.get(reverse("certificates:download", args=[certificate.number])).content.startswith(b"%PDF-")


def test_revoke_and_reissue_renders_nothing_in_the_request(
    client, users, certificate, monkeypatch, django_capture_on_commit_callbacks
):
    renderer = _CountingRenderer(monkeypatch, pdf, "render_certificate")
    client.force_login(users["secretariat"])
    with django_capture_on_commit_callbacks(execute=False) as queued:
        url = reverse("certificates:revoke", args=[certificate.number])
        response = client.post(url, confirmed(users["secretariat"], url, {"reason": "Name misspelt", "reissue": "1"}))
    assert response.status_code == 302
    assert renderer.calls == 0
    certificate.refresh_from_db()
    assert certificate.revoked_at is not None and not Certificate.objects.live().exists()
    for callback in queued:
        callback()
    assert renderer.calls == 1
    assert Certificate.objects.live().get().replaces == certificate


def test_issue_this_one_failure_shows_on_the_page_with_retry(
    client, users, done_project, monkeypatch, django_capture_on_commit_callbacks
):
    participant = users["participant"].participations.get()

    def broken(data, **options):
        raise OSError("disk full")

    monkeypatch.setattr(pdf, "render_certificate", broken)
    client.force_login(users["secretariat"])
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("certificates:issue_one", args=[done_project.code, participant.pk]))
    page = client.get(reverse("certificates:progress", args=[done_project.code])).content.decode()
    assert "OSError: disk full" in page and "Retry the failed ones" in page
    assert not Certificate.objects.exists()


def test_project_page_offers_issuing_only_after_the_last_session(client, db):
    secretariat = factories.secretariat_user()
    client.force_login(secretariat)
    future = finished_project(days_ago=-5)
    page = client.get(reverse("certificates:project", args=[future.code])).content.decode()
    assert "Issuing opens once the last session has ended." in page
    assert ">Issue certificates</button>" not in page
    past = finished_project()
    assert (
        ">Issue certificates</button>" in client.get(reverse("certificates:project", args=[past.code])).content.decode()
    )


# ---------------------------------------------------------------- counts shown on the pages


def _cells(html, table_id):
    """The rows of table `table_id` as lists of their cells' text (header cell included)."""
    table = re.search(rf'<table[^>]*id="{table_id}".*?</table>', html, re.S)[0]
    body = table.split("<tbody>", 1)[1]
    rows = re.findall(r"<tr>(.*?)</tr>", body, re.S)
    strip = lambda cell: " ".join(re.sub(r"<[^>]+>", " ", cell).split())  # noqa: E731
    return [[strip(c) for c in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)] for row in rows]


def test_every_count_on_the_overview_matches_the_database(client, db):
    """Several sessions per project: a join across sessions must not multiply the certificates."""
    secretariat = factories.secretariat_user()
    three = finished_project(sessions=3)
    four = finished_project(sessions=4)
    factories.ProjectFactory()  # no sessions, no certificates
    for project, count in ((three, 3), (four, 2)):
        for _ in range(count):
            services.issue_certificate(participant=attendee(project), actor=secretariat)
    revoked = Certificate.objects.filter(project=three).order_by("serial").first()
    services.revoke_certificate(certificate=revoked, actor=secretariat, reason="Attendance corrected")
    client.force_login(secretariat)
    rows = _cells(client.get(reverse("certificates:index")).content.decode(), "certificate-projects")

    shown = {row[0].split(" ", 1)[0]: (int(row[2]), int(row[3])) for row in rows}
    expected = {
        p.code: (
            Session.objects.filter(project=p).count(),
            Certificate.objects.live().filter(project=p).count(),
        )
        for p in Project.objects.all()
    }
    assert shown == expected
    assert shown[three.code] == (3, 2) and shown[four.code] == (4, 2)


def test_every_count_on_the_project_page_matches_the_database(client, db):
    secretariat = factories.secretariat_user()
    project = finished_project(sessions=3)
    issued = [services.issue_certificate(participant=attendee(project), actor=secretariat) for _ in range(3)]
    services.revoke_certificate(certificate=issued[0], actor=secretariat, reason="Attendance corrected")
    failed = attendee(project)
    attendee(project, miss={2})
    batch = IssueBatch.objects.create(project=project, started_by=secretariat, eligible_at_start=4)
    services.record_failure(batch=batch, participant=failed, reason="Font missing")
    client.force_login(secretariat)
    html = client.get(reverse("certificates:project", args=[project.code])).content.decode()

    def counter(name):
        return int(re.search(rf'id="count-{name}">(\d+)<', html)[1])

    live = Certificate.objects.live().filter(project=project).count()
    assert counter("eligible") == participants_attended_every_session(project).count() == 4
    assert counter("issued") == live == 2
    assert counter("failed") == IssueFailure.objects.filter(batch=batch).count() == 1
    assert f"Download all ({live}) as ZIP" in html
    assert len(_cells(html, "certificates")) == Certificate.objects.filter(project=project).count() == 3
    assert len(_cells(html, "waiting-table")) == 2  # the revoked holder and the failed one
    assert len(_cells(html, "not-eligible-table")) == 1


# ---------------------------------------------------------------- replacement after a revocation


def test_issue_this_one_after_revocation_records_the_replacement(
    client, users, certificate, django_capture_on_commit_callbacks
):
    client.force_login(users["secretariat"])
    services.revoke_certificate(certificate=certificate, actor=users["secretariat"], reason="Attendance corrected")
    participant = certificate.participant
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("certificates:issue_one", args=[certificate.project.code, participant.pk]))
    new = Certificate.objects.live().get(participant=participant)
    assert new.replaces == certificate
    assert list(certificate.replaced_by.all()) == [new]


def test_verify_revoked_names_its_valid_replacement_without_the_reason(client, users, certificate):
    new = services.reissue_certificate(certificate=certificate, actor=users["secretariat"], reason="Name misspelt")
    text = client.get(reverse("certificates:verify", args=[certificate.verification_code])).content.decode()
    assert "Revoked." in text
    assert f"A valid certificate, No. {new.number}, was issued in its place." in text
    assert "Name misspelt" not in text


def test_verify_revoked_without_replacement_says_so(client, users, certificate):
    services.revoke_certificate(certificate=certificate, actor=users["secretariat"], reason="Did not attend")
    text = client.get(reverse("certificates:verify", args=[certificate.verification_code])).content.decode()
    assert "No valid certificate replaces it." in text
    assert "Did not attend" not in text


def test_verify_rate_limit_behind_one_proxy_counts_visitors_apart(client, db, settings):
    settings.PROXY_COUNT = 1
    proxy = {"REMOTE_ADDR": "172.18.0.2"}
    limit = views.VERIFY_RATE[0]
    for _ in range(limit):
        assert client.get("/v/guess/", HTTP_X_FORWARDED_FOR="203.0.113.5", **proxy).status_code == 404
    assert client.get("/v/guess/", HTTP_X_FORWARDED_FOR="203.0.113.5", **proxy).status_code == 429
    # Another visitor behind the same proxy is still answered.
    assert client.get("/v/guess/", HTTP_X_FORWARDED_FOR="192.0.2.44", **proxy).status_code == 404


def test_certificate_download_is_private_and_not_stored(client, users, certificate):
    client.force_login(users["participant"])
    response = client.get(reverse("certificates:download", args=[certificate.number]))
    assert response.status_code == 200
    assert {d.strip() for d in response["Cache-Control"].split(",")} == {"private", "no-store"}


# ---------------------------------------------------------------- verification codes: new and already printed

CROCKFORD = set("0123456789ABCDEFGHJKMNPQRSTVWXYZ")


def test_new_codes_have_no_hyphen_or_underscore(certificate):
    code = certificate.verification_code
    assert len(code) == 26 and set(code) <= CROCKFORD  # 130 random bits
    assert certificate.snapshot["verification_code_grouped"] == " ".join(code[i : i + 4] for i in range(0, 26, 4))


@pytest.mark.parametrize(
    "typed",
    [
        lambda c: c,
        lambda c: c.lower(),
        lambda c: " ".join(c[i : i + 4] for i in range(0, 26, 4)),
        lambda c: "-".join(c[i : i + 5] for i in range(0, 26, 5)).lower(),
        lambda c: f"  {c[:13]}.{c[13:]} ",
    ],
    ids=["as-stored", "lower-case", "grouped", "hyphenated", "dot-and-spaces"],
)
def test_new_code_is_found_whatever_the_case_and_separators(client, certificate, typed):
    response = client.get(reverse("certificates:verify", args=[typed(certificate.verification_code)]))
    assert response.status_code == 200
    assert certificate.number in response.content.decode()


def test_new_code_read_with_look_alike_letters_is_found(client, certificate):
    """Crockford's alphabet has no I, L, O, U: I and L are read as 1, O as 0."""
    code = certificate.verification_code
    Certificate.objects.filter(pk=certificate.pk).update(verification_code="01" + code[2:])
    assert client.get(reverse("certificates:verify", args=["OL" + code[2:]])).status_code == 200
    assert client.get(reverse("certificates:verify", args=["oi" + code[2:]])).status_code == 200


def test_codes_already_printed_keep_working_and_stay_case_sensitive(client, certificate):
    old = "BEniu7EEgY70xz-SuT8dYQ"  # 16 bytes, base64url: the earlier format
    Certificate.objects.filter(pk=certificate.pk).update(verification_code=old)
    response = client.get(reverse("certificates:verify", args=[old]))
    assert response.status_code == 200 and certificate.number in response.content.decode()
    assert client.get(reverse("certificates:verify", args=[old.lower()])).status_code == 404
    assert client.get(reverse("certificates:verify", args=[old.replace("-", "")])).status_code == 404


def test_lookup_form_finds_a_code_typed_with_spaces(client, certificate):
    page = client.get(reverse("certificates:verify_lookup"))
    assert page.status_code == 200 and 'name="code"' in page.content.decode()
    grouped = certificate.snapshot["verification_code_grouped"].lower()
    response = client.get(reverse("certificates:verify_lookup"), {"code": grouped}, follow=True)
    assert response.status_code == 200
    assert certificate.number in response.content.decode()


def test_lookup_form_with_an_unknown_code_says_not_found(client, db):
    response = client.get(reverse("certificates:verify_lookup"), {"code": "nothing here"}, follow=True)
    assert response.status_code == 404
    assert "No certificate has this verification code." in response.content.decode()


def test_project_page_says_whether_the_holder_was_told_from_the_outbox(
    client, done_project, django_capture_on_commit_callbacks
):
    secretariat = factories.secretariat_user()
    told, waiting = (
        attendee(done_project, certificate_name="Asha Rao"),
        attendee(done_project, certificate_name="Yuki Mori"),
    )
    with django_capture_on_commit_callbacks(execute=True):
        services.issue_certificate(participant=told, actor=secretariat)
    services.issue_certificate(participant=waiting, actor=secretariat)  # its e-mail not sent yet
    client.force_login(secretariat)
    rows = client.get(reverse("certificates:project", args=[done_project.code])).content.decode().split("<tr>")
    row_of = {name: next(r for r in rows if name in r) for name in ("Asha Rao", "Yuki Mori")}
    assert "Valid; holder told" in row_of["Asha Rao"]
    assert "Valid; holder not told yet" in row_of["Yuki Mori"]
