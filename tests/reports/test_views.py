"""The report page: who may use it, generating versions on the worker, progress, audited downloads,
failures, and old versions deleted by the project's retention."""

import io

import pytest
from django.core.files.storage import default_storage
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from apopms.models import AuditEntry
from reports import services, tasks
from reports.enums import ReportStatus
from reports.models import ReportVersion
from tests import factories
from tests.permissions import SECRETARIAT_ONLY, assert_matrix, role_users
from workspace import retention
from workspace.erasure import erase_person

pytestmark = pytest.mark.django_db


@pytest.fixture
def project():
    return factories.ProjectFactory(code="25-RPT-02")


@pytest.fixture
def users(project):
    return role_users(project)


def _generate(client, project, user, django_capture_on_commit_callbacks, *, names=False):
    client.force_login(user)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("reports:generate", args=[project.code]),
            {"include_participants": "on"} if names else {},
            follow=True,
        )
    return response


def test_report_pages_are_for_the_secretariat_only(client, users, project, django_capture_on_commit_callbacks):
    _generate(client, project, users["secretariat"], django_capture_on_commit_callbacks)
    for url in (
        reverse("reports:project", args=[project.code]),
        reverse("reports:progress", args=[project.code]),
        reverse("reports:download", args=[project.code, 1, "pdf"]),
        reverse("reports:download", args=[project.code, 1, "xlsx"]),
    ):
        assert_matrix(client, url, users, SECRETARIAT_ONLY)
    refused = {**SECRETARIAT_ONLY, "secretariat": 302}
    assert_matrix(client, reverse("reports:generate", args=[project.code]), users, refused, method="post")
    # Only the Secretariat's own POSTs above made versions (the first, and the matrix's).
    assert ReportVersion.objects.filter(project=project).count() == 2


def test_generating_twice_makes_two_numbered_versions(client, users, project, django_capture_on_commit_callbacks):
    admin = users["secretariat"]
    first = _generate(client, project, admin, django_capture_on_commit_callbacks)
    assert "Version 1 of the report is being generated" in first.content.decode()
    _generate(client, project, admin, django_capture_on_commit_callbacks, names=True)
    versions = list(ReportVersion.objects.filter(project=project).order_by("number"))
    assert [(v.number, v.status, v.include_participants, v.generated_by) for v in versions] == [
        (1, ReportStatus.DONE, False, admin),
        (2, ReportStatus.DONE, True, admin),
    ]
    assert versions[1].options == {"include_participants": True}
    for v in versions:
        assert v.generated_at is not None and v.pdf_size > 0 and v.xlsx_size > 0
        assert default_storage.exists(v.pdf.name) and default_storage.exists(v.xlsx.name)
    page = client.get(reverse("reports:project", args=[project.code])).content.decode()
    assert "PDF of version 2" in page and "XLSX of version 1" in page
    assert AuditEntry.objects.filter(action="reports.report.requested").count() == 2
    assert AuditEntry.objects.filter(action="reports.report.generated", actor=admin).count() == 2


def test_every_download_is_audited(client, users, project, django_capture_on_commit_callbacks):
    admin = users["secretariat"]
    _generate(client, project, admin, django_capture_on_commit_callbacks)
    pdf_url = reverse("reports:download", args=[project.code, 1, "pdf"])
    for _ in range(2):
        response = client.get(pdf_url)
        assert response["Content-Type"] == "application/pdf"
        assert b"".join(response.streaming_content if response.streaming else [response.content]).startswith(b"%PDF")
    xlsx = client.get(reverse("reports:download", args=[project.code, 1, "xlsx"]))
    assert 'filename="APO-report-25-RPT-02-v1.xlsx"' in xlsx["Content-Disposition"]
    assert load_workbook(io.BytesIO(xlsx.content)).sheetnames[0] == "Summary"
    entries = AuditEntry.objects.filter(action="reports.report.downloaded").order_by("pk")
    assert [(e.actor, e.details["format"], e.details["number"]) for e in entries] == [
        (admin, "pdf", 1),
        (admin, "pdf", 1),
        (admin, "xlsx", 1),
    ]
    assert client.get(reverse("reports:download", args=[project.code, 1, "docx"])).status_code == 404
    assert client.get(reverse("reports:download", args=[project.code, 9, "pdf"])).status_code == 404
    assert AuditEntry.objects.filter(action="reports.report.downloaded").count() == 3


def test_progress_polls_while_a_version_runs_and_stops_after(client, users, project):
    client.force_login(users["secretariat"])
    version = services.generate_report(project=project, actor=users["secretariat"])  # queued: not run yet
    services.set_progress(version.pk, stage="pdf", done=2, total=4)
    url = reverse("reports:progress", args=[project.code])
    running = client.get(url).content.decode()
    assert 'hx-trigger="every 1s"' in running
    assert "setting the PDF" in running and 'value="50"' in running
    # Pressing the button again while it runs makes no second version.
    assert services.generate_report(project=project, actor=users["secretariat"]) == version
    tasks.generate_report(version_id=version.pk)
    done = client.get(url, headers={"HX-Request": "true"})
    assert "hx-trigger" not in done.content.decode()
    assert done["HX-Refresh"] == "true"  # the page reloads to list the new version


def test_a_failed_generation_says_so_and_keeps_no_file(client, users, project, monkeypatch):
    def broken(figures):
        raise OSError("disk full")

    monkeypatch.setattr(tasks, "render_report_pdf", broken)
    version = services.generate_report(project=project, actor=users["secretariat"])
    tasks.generate_report(version_id=version.pk)
    version.refresh_from_db()
    assert (version.status, version.pdf.name, version.error) == (
        ReportStatus.FAILED,
        "",
        "The report could not be generated (OSError).",
    )
    client.force_login(users["secretariat"])
    page = client.get(reverse("reports:project", args=[project.code])).content.decode()
    assert "The report could not be generated (OSError)." in page
    assert client.get(reverse("reports:download", args=[project.code, 1, "pdf"])).status_code == 404
    # Running the task again does nothing: only a queued version runs.
    assert tasks.generate_report(version_id=version.pk) is None


@pytest.mark.parametrize("versions", [1, 6])
def test_report_page_queries_do_not_grow_with_versions(client, users, project, versions, django_assert_max_num_queries):
    for number in range(1, versions + 1):
        ReportVersion.objects.create(
            project=project, number=number, status=ReportStatus.DONE, generated_by=factories.secretariat_user()
        )
    client.force_login(users["secretariat"])
    with django_assert_max_num_queries(9):
        response = client.get(reverse("reports:project", args=[project.code]))
    assert response.content.decode().count('id="version-') == versions


def test_the_hub_links_to_the_report_for_the_secretariat_only(client, users, project):
    client.force_login(users["secretariat"])
    hub = client.get(reverse("workspace:hub", args=[project.code])).content.decode()
    assert f'href="{reverse("reports:project", args=[project.code])}"' in hub
    client.force_login(users["implementer"])
    hub = client.get(reverse("workspace:hub", args=[project.code])).content.decode()
    assert reverse("reports:project", args=[project.code]) not in hub


def _version(project, number, *, names=False):
    version = ReportVersion.objects.create(
        project=project, number=number, status=ReportStatus.DONE, include_participants=names
    )
    version.pdf.save(f"v{number}.pdf", io.BytesIO(b"%PDF-1.7"), save=False)
    version.xlsx.save(f"v{number}.xlsx", io.BytesIO(b"PK"), save=False)
    version.generated_at = timezone.now()
    version.save()
    return version


def test_retention_deletes_old_versions_then_those_naming_participants(project, django_capture_on_commit_callbacks):
    old, named, latest = _version(project, 1), _version(project, 2, names=True), _version(project, 3)
    files = {v.number: (v.pdf.name, v.xlsx.name) for v in (old, named, latest)}
    with django_capture_on_commit_callbacks(execute=True):
        retention.purge_nominees(project, now=timezone.now())
    left = {v.number: v.ready for v in ReportVersion.objects.filter(project=project)}
    assert left == {1: False, 2: False, 3: True}  # at the nominee limit, all but the latest
    assert [default_storage.exists(name) for number in (1, 2, 3) for name in files[number]] == [
        False,
        False,
        False,
        False,
        True,
        True,
    ]
    entry = AuditEntry.objects.get(action="workspace.retention.nominees_purged")
    assert entry.details["report_files"] == 4
    named_latest = _version(project, 4, names=True)
    with django_capture_on_commit_callbacks(execute=True):
        retention.purge_participants(project, now=timezone.now())
    left = {v.number: v.ready for v in ReportVersion.objects.filter(project=project)}
    assert left == {1: False, 2: False, 3: True, 4: False}  # the one naming participants goes
    assert not default_storage.exists(named_latest.pdf.name)
    assert AuditEntry.objects.get(action="workspace.retention.participants_purged").details["report_files"] == 2


def test_erasing_a_participant_deletes_the_versions_naming_participants(
    users, project, django_capture_on_commit_callbacks
):
    aggregates, named = _version(project, 1), _version(project, 2, names=True)
    email = users["participant"].email
    with django_capture_on_commit_callbacks(execute=True):
        counts = erase_person(email=email, actor=users["secretariat"])
    assert counts["report_files"] == 2
    assert {v.number: v.ready for v in ReportVersion.objects.filter(project=project)} == {1: True, 2: False}
    assert default_storage.exists(aggregates.pdf.name) and not default_storage.exists(named.pdf.name)
