"""The audit trail read as sentences: every kind has one; filters, pages, zone, CSV export."""

import ast
import csv
import datetime
import io
from pathlib import Path

import pytest
import time_machine
from django.urls import reverse

from apopms import audit, auditlog, services
from apopms.models import AuditEntry
from tests import factories
from tests.permissions import LOGIN, assert_matrix, role_users

pytestmark = pytest.mark.django_db

SECRETARIAT_ONLY = dict.fromkeys(("own_npo", "other_npo", "host_npo", "implementer", "participant"), 403) | {
    "anonymous": LOGIN,
    "secretariat": 200,
}

ROOT = Path(__file__).resolve().parents[2]
APPS = ("apopms", "nominations", "sessions", "certificates", "workspace")


def _recorded_kinds():
    """Every action a `record(...)` call of the portal's source can write, and the calls whose action
    is not written out (which a sentence could not be checked for)."""
    kinds, unreadable = set(), []
    for app in APPS:
        for path in (ROOT / app).rglob("*.py"):
            if "migrations" in path.parts:
                continue
            tree = ast.parse(path.read_text(encoding="utf-8"))
            for node in ast.walk(tree):
                if not isinstance(node, ast.Call) or not node.args:
                    continue
                func = node.func
                name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
                if name != "record" or path.name == "audit.py":
                    continue
                arg = node.args[0]
                options = [arg.body, arg.orelse] if isinstance(arg, ast.IfExp) else [arg]
                for option in options:
                    if isinstance(option, ast.Constant) and isinstance(option.value, str):
                        kinds.add(option.value)
                    else:
                        unreadable.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    return kinds, unreadable


def test_every_recorded_kind_has_a_sentence():
    kinds, unreadable = _recorded_kinds()
    assert unreadable == [], "write the action of these record() calls out, so the trail can say them"
    assert len(kinds) > 50  # the scan finds the portal's calls
    missing = sorted(kind for kind in kinds if not auditlog.has_sentence(kind))
    assert missing == [], f"kinds of audit entry without a sentence in apopms.auditlog: {missing}"


def test_every_sentence_reads_with_its_details_missing(project):
    """An old entry may lack a detail a newer one records: the sentence still reads, with no code in it."""
    actor = factories.UserFactory(full_name="Aiko Tanaka")
    for action, _ in auditlog.kinds():
        entry = AuditEntry(action=action, actor=actor, project=project, object_repr="Something (LK, 3)", details={})
        sentence = auditlog.describe(entry)
        assert sentence.startswith("Aiko Tanaka ") and sentence.endswith("."), (action, sentence)
        assert action not in sentence


def test_certificate_issued_reads_as_a_sentence(project):
    aiko = factories.UserFactory(full_name="Aiko Tanaka")
    entry = AuditEntry.objects.create(
        action="certificates.certificate.issued",
        actor=aiko,
        project=project,
        object_repr="22-PSP-DMC-0007 Ravi Kumar",
        details={"number": "22-PSP-DMC-0007", "participant": 5, "replaces": None},
    )
    assert auditlog.describe(entry) == "Aiko Tanaka issued certificate 22-PSP-DMC-0007 to Ravi Kumar."


def test_system_entries_name_the_portal(project):
    entry = AuditEntry.objects.create(action="apopms.invitation.renewed", project=project, details={"replaces": 3})
    assert auditlog.describe(entry) == "The portal sent a fresh invitation link in place of an expired one."


def _page(client, project, **query):
    response = client.get(reverse("audit_log", kwargs={"code": project.code}), query)
    assert response.status_code == 200
    return response


def test_trail_shows_sentences_in_the_projects_zone_with_utc_on_hover(client, secretariat, project):
    with time_machine.travel(datetime.datetime(2022, 8, 1, 20, 15, tzinfo=datetime.UTC), tick=False):
        services.set_nominations_open(actor=secretariat, project=project, is_open=False)
    client.force_login(secretariat)
    html = _page(client, project).content.decode()
    name = secretariat.full_name
    assert f"{name} closed nominations for {project.code}." in html
    # Colombo is UTC+05:30: 20:15 UTC is 01:45 the next day there.
    assert (
        '<time datetime="2022-08-01T20:15:00+00:00" title="1 Aug 2022, 20:15:00 UTC">2 Aug 2022, 01:45</time>' in html
    )
    assert "apopms.project.nominations_closed" not in html.split('id="audit-trail"')[1]


def test_filters_by_person_kind_and_dates_in_the_projects_zone(client, secretariat, project):
    other = factories.secretariat_user(full_name="Budi Santoso")
    moments = [
        (secretariat, datetime.datetime(2022, 8, 1, 18, 29, tzinfo=datetime.UTC)),  # 1 Aug 23:59 in Colombo
        (other, datetime.datetime(2022, 8, 1, 18, 31, tzinfo=datetime.UTC)),  # 2 Aug 00:01 in Colombo
        (secretariat, datetime.datetime(2022, 8, 3, 6, 0, tzinfo=datetime.UTC)),
    ]
    for i, (actor, at) in enumerate(moments):
        with time_machine.travel(at, tick=False):
            services.set_nominations_open(actor=actor, project=project, is_open=i % 2 == 1)
    client.force_login(secretariat)

    def sentences(**query):
        return [row["sentence"] for row in _page(client, project, **query).context["rows"]]

    assert len(sentences()) == 3
    assert sentences(person=other.pk) == [f"Budi Santoso opened nominations for {project.code}."]
    assert len(sentences(kind="apopms.project.nominations_closed")) == 2
    assert sentences(since="2022-08-02", until="2022-08-02") == [f"Budi Santoso opened nominations for {project.code}."]
    assert len(sentences(until="2022-08-01")) == 1
    assert len(sentences(since="2022-08-02")) == 2
    response = _page(client, project, since="2022-08-03", until="2022-08-01")
    assert "The end of the range is before its start." in response.content.decode()


def test_pages_keep_the_filter_in_their_links(client, secretariat, project, monkeypatch):
    monkeypatch.setattr("apopms.views.audit.PAGE_SIZE", 2)
    for i in range(5):
        services.set_nominations_open(actor=secretariat, project=project, is_open=i % 2 == 1)
    client.force_login(secretariat)
    response = _page(client, project, kind="apopms.project.nominations_closed")
    html = response.content.decode()
    assert response.context["page"].paginator.num_pages == 2
    assert 'href="?kind=apopms.project.nominations_closed&amp;page=2"' in html
    assert "/audit/export.csv?kind=apopms.project.nominations_closed" in html
    assert len(_page(client, project, kind="apopms.project.nominations_closed", page=2).context["rows"]) == 1


def test_csv_export_has_the_filtered_sentences_and_is_itself_audited(client, secretariat, project):
    secretariat.full_name = "=HYPERLINK(1)"
    secretariat.save()
    with time_machine.travel(datetime.datetime(2022, 8, 1, 20, 15, tzinfo=datetime.UTC), tick=False):
        services.set_nominations_open(actor=secretariat, project=project, is_open=False)
        services.set_nominations_open(actor=secretariat, project=project, is_open=True)
    client.force_login(secretariat)
    url = reverse("audit_log_csv", kwargs={"code": project.code})
    response = client.get(url, {"kind": "apopms.project.nominations_closed"})
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0][:3] == ["when (Asia/Colombo)", "when (UTC)", "person"]
    assert len(rows) == 2
    assert rows[1][:2] == ["2022-08-02T01:45:00+05:30", "2022-08-01T20:15:00+00:00"]
    assert rows[1][2] == "'=HYPERLINK(1)"  # a spreadsheet does not run it
    assert rows[1][5] == f"'=HYPERLINK(1) closed nominations for {project.code}."
    exported = AuditEntry.objects.get(action="apopms.audit.exported")
    assert exported.actor == secretariat and exported.project == project
    assert exported.details == {"filters": "kind Nominations closed", "rows": 1}
    assert auditlog.describe(exported) == (
        f"=HYPERLINK(1) exported 1 entries of the audit trail of {project.code} as CSV (kind Nominations closed)."
    )


@pytest.mark.parametrize("name", ["audit_log", "audit_log_csv"])
def test_audit_pages_are_for_the_secretariat(client, project, name):
    assert_matrix(client, reverse(name, kwargs={"code": project.code}), role_users(project), SECRETARIAT_ONLY)


def test_audit_record_keeps_working_for_the_export(project, secretariat):
    entry = audit.record("apopms.audit.exported", actor=secretariat, target=project, filters="", rows=0)
    assert (
        auditlog.describe(entry)
        == f"{secretariat.full_name} exported 0 entries of the audit trail of {project.code} as CSV."
    )
