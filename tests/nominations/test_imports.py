"""The nominations import as a background job: set-based checks, bulk insert, progress, and locks
that let officers work during an import (PostgreSQL)."""

import datetime
import threading

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection

from apopms import auditlog
from apopms.models import AuditEntry, Project, User
from nominations import resources, services
from nominations.enums import NominationStatus
from nominations.models import Nomination
from nominations.views.history import history
from tests import factories
from tests.concurrency import run_together

from .test_resources import HEADER, row
from .test_services import data


def csv_bytes(n, start=1, country=None):
    extra = ["Country"] if country else []
    lines = [",".join(HEADER + extra)] + [
        ",".join(f'"{v}"' for v in row(i) + ([country] if country else [])) for i in range(start, start + n)
    ]
    return ("\n".join(lines) + "\n").encode()


def rows_of(project, n, start=1, iso2="TH"):
    return resources.parse_rows(
        resources.read_dataset(csv_bytes(n, start), "n.csv"), project=project, country=factories.country(iso2)
    )


@pytest.mark.django_db
@pytest.mark.parametrize("n", [3, 30])
def test_checking_a_file_takes_the_same_queries_whatever_its_length(project, django_assert_num_queries, n):
    factories.NominationFactory(project=project, country=factories.country("JP"), email="somchai2@example.org")
    content = csv_bytes(n, country="TH")
    th = factories.country("TH")
    with django_assert_num_queries(3):  # e-mails already nominated, member countries, participating countries
        rows = resources.parse_rows(resources.read_dataset(content, "n.csv"), project=project, country=th)
    assert len(rows) == n
    assert [r.errors for r in rows if r.errors] == [
        [("E-mail", "This person is already nominated for this project by another NPO.")]
    ]


@pytest.mark.django_db
@pytest.mark.parametrize("n", [3, 30])
def test_importing_takes_the_same_queries_whatever_the_number_of_rows(
    project, secretariat, django_assert_num_queries, n
):
    rows = [r.data for r in rows_of(project, n)]
    th = factories.country("TH")
    assert secretariat.is_secretariat
    ContentType.objects.get_for_models(Nomination, Project)
    # savepoint, project (shared lock, a plain read here), participation, e-mails present, top
    # priority, the nominations' insert, the audit entries' insert, the import's audit entry, release
    # PostgreSQL: FOR SHARE, the country's advisory lock and `SET LOCAL synchronous_commit = off`
    postgres_only = 3 if connection.vendor == "postgresql" else 0
    with django_assert_num_queries(9 + postgres_only):
        result = services.import_nominations(project=project, country=th, actor=secretariat, rows=rows)
    assert len(result["created"]) == n
    stored = Nomination.objects.filter(project=project).order_by("priority")
    assert [n.priority for n in stored] == list(range(1, n + 1))
    assert {n.status for n in stored} == {NominationStatus.SUBMITTED}
    # One entry per nomination, created and submitted at once.
    assert AuditEntry.objects.filter(action="nominations.nomination.imported").count() == n
    assert not AuditEntry.objects.filter(
        action__in=["nominations.nomination.created", "nominations.nomination.submitted"]
    )


@pytest.mark.django_db
def test_importing_after_submissions_continues_the_countrys_priorities(project, secretariat):
    th = factories.country("TH")
    factories.NominationFactory(project=project, country=th, submitted=True, priority=1)
    factories.NominationFactory(project=project, country=th, submitted=True, priority=2)
    services.import_nominations(
        project=project, country=th, actor=secretariat, rows=[r.data for r in rows_of(project, 2)]
    )
    priorities = sorted(Nomination.objects.filter(project=project, country=th).values_list("priority", flat=True))
    assert priorities == [1, 2, 3, 4]


@pytest.mark.django_db
def test_importing_the_same_rows_again_skips_them(project, secretariat):
    th = factories.country("TH")
    rows = [r.data for r in rows_of(project, 4)]
    services.import_nominations(project=project, country=th, actor=secretariat, rows=rows)
    again = services.import_nominations(project=project, country=th, actor=secretariat, rows=rows)
    assert again["created"] == [] and len(again["skipped"]) == 4
    assert Nomination.objects.filter(project=project).count() == 4


@pytest.mark.django_db
def test_only_the_secretariat_imports(project, npo_in):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        services.import_nominations(
            project=project, country=npo_in.npo_country, actor=npo_in, rows=[r.data for r in rows_of(project, 1)]
        )
    assert not Nomination.objects.exists()


@pytest.mark.django_db
def test_the_worker_reports_its_progress_while_reading_and_importing(project, secretariat, monkeypatch):
    from nominations.resources import imports
    from nominations.services import imports as service_module

    monkeypatch.setattr(imports, "PROGRESS_EVERY", 2)
    seen = []
    real = services.set_progress

    def spy(job_id, **values):
        seen.append(values["stage"])
        real(job_id, **values)

    monkeypatch.setattr(services, "set_progress", spy)
    monkeypatch.setattr(service_module, "set_progress", spy)
    from django.test import TestCase

    with TestCase.captureOnCommitCallbacks(execute=True):
        job = services.upload_nomination_import(
            project=project, country=factories.country("TH"), actor=secretariat, content=csv_bytes(5), file_name="n.csv"
        )
    with TestCase.captureOnCommitCallbacks(execute=True):
        services.confirm_nomination_import(job=job, actor=secretariat)
    job.refresh_from_db()
    assert job.status == "done" and job.summary["created"] == 5 and job.started_at and job.finished_at
    assert seen[0] == "reading" and "checking" in seen and "previewed" in seen
    assert seen[-3:] == ["importing", "importing", "done"]
    assert services.get_progress(job.pk) == {"stage": "done", "done": 5, "total": 5}


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_an_officers_save_during_an_import_is_not_blocked():
    """The import holds the project's shared lock and TH's lock; India's officer saves meanwhile."""
    project = factories.ProjectFactory()
    admin = factories.secretariat_user()
    officer = factories.npo_officer("IN")
    draft = factories.NominationFactory(project=project, country=officer.npo_country, created_by=officer)
    rows = [r.data for r in rows_of(project, 6)]
    importing, saved = threading.Event(), threading.Event()

    def run_import():
        def progress(**p):
            if p["done"] and not importing.is_set():
                importing.set()  # the first batch is in, inside the import's transaction
                assert saved.wait(15), "the officer's save waited for the import"

        return services.import_nominations(
            project=Project.objects.get(pk=project.pk),
            country=factories.country("TH"),
            actor=User.objects.get(pk=admin.pk),
            rows=rows,
            progress=progress,
        )

    def officer_saves():
        assert importing.wait(15)
        actor = User.objects.get(pk=officer.pk)
        services.create_nomination(project=project, country=officer.npo_country, actor=actor, data=data())
        services.update_nomination(nomination=draft, actor=actor, data={"position": "Director"})
        saved.set()

    errors = run_together([run_import, officer_saves], timeout=40)[1]
    assert errors == []
    assert Nomination.objects.filter(project=project, country__iso2="TH").count() == 6
    assert Nomination.objects.get(pk=draft.pk).position == "Director"


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_extending_the_deadline_waits_for_a_running_import():
    """Closing, extending and publishing take the exclusive lock: they wait until the import commits."""
    project = factories.ProjectFactory()
    rows = [r.data for r in rows_of(project, 3)]
    admin = factories.secretariat_user()
    importing = threading.Event()
    order = []

    def run_import():
        def progress(**p):
            if p["done"] and not importing.is_set():
                importing.set()
                threading.Event().wait(0.5)  # the other transaction tries its exclusive lock meanwhile
                order.append("import")

        services.import_nominations(
            project=Project.objects.get(pk=project.pk),
            country=factories.country("TH"),
            actor=User.objects.get(pk=admin.pk),
            rows=rows,
            progress=progress,
        )

    def lock_exclusively():
        from django.db import transaction

        assert importing.wait(15)
        with transaction.atomic():
            Project.objects.lock(project.pk)
            order.append("exclusive")

    assert run_together([run_import, lock_exclusively], timeout=40)[1] == []
    assert order == ["import", "exclusive"]


def test_dates_survive_the_json_of_the_job_row():
    rows = resources.imports.ImportRows()
    rows.append(
        resources.imports.ImportRow(line=2, data={"date_of_birth": datetime.date(1985, 8, 3), "email": "a@b.c"})
    )
    assert resources.rows_as_json(rows) == [
        {"line": 2, "data": {"date_of_birth": "1985-08-03", "email": "a@b.c"}, "errors": [], "present": False}
    ]


@pytest.mark.django_db
def test_checking_row_after_row_keeps_each_rows_errors_and_data_its_own(project):
    def line(i, **overrides):
        return ",".join(f'"{v}"' for v in row(i, **overrides))

    content = "\n".join(
        [",".join(HEADER), line(1, Gender="unknown"), line(2), line(3, **{"E-mail": "not-an-email"}), line(4, Phone="")]
    ).encode()
    rows = resources.parse_rows(
        resources.read_dataset(content, "n.csv"), project=project, country=factories.country("TH")
    )
    assert [r.errors for r in rows] == [
        [("Gender", "Select a valid choice. unknown is not one of the available choices.")],
        [],
        [("E-mail", "Enter a valid email address.")],
        [],
    ]
    assert [r.data.get("email") for r in rows] == [None, "somchai2@example.org", None, "somchai4@example.org"]
    assert (rows[1].data["gender"], rows[3].data["phone"]) == ("male", "")


@pytest.mark.django_db
def test_confirming_twice_queues_the_import_once(project, secretariat, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        job = services.upload_nomination_import(
            project=project, country=factories.country("TH"), actor=secretariat, content=csv_bytes(2), file_name="n.csv"
        )
    with django_capture_on_commit_callbacks() as first:
        services.confirm_nomination_import(job=job, actor=secretariat)
    with django_capture_on_commit_callbacks() as second:
        again = services.confirm_nomination_import(job=job, actor=secretariat)
    assert (len(first), len(second), again.status) == (1, 0, "queued")


@pytest.mark.django_db
def test_an_imported_nomination_reads_in_its_history_and_the_trail_as_imported(project, secretariat):
    th = factories.country("TH")
    services.import_nominations(
        project=project, country=th, actor=secretariat, rows=[r.data for r in rows_of(project, 2)]
    )
    nomination = Nomination.objects.get(project=project, priority=2)
    assert [row["text"] for row in history(nomination, secretariat)] == ["Imported and submitted with priority 2"]
    entry = AuditEntry.objects.for_object(nomination).get()
    sentence = auditlog.describe(entry)
    assert "imported" in sentence and "submitted with priority 2" in sentence
