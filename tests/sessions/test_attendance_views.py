"""Attendance pages: who sees what, the grid (htmx and plain forms), exports, the import journey."""

import csv
import datetime
import io
from decimal import Decimal

import openpyxl
import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from apopms.models import AuditEntry, Project
from certificates.models import Certificate
from sessions import services, zoom
from sessions.enums import AttendanceSource, ImportStatus
from sessions.models import Attendance, AttendanceImport, ReportMapping
from sessions.views import imports as import_views
from tests import factories
from tests.apopms.project_helpers import edit_page_data
from tests.permissions import LOGIN, assert_matrix, role_users

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def users(project):
    return role_users(project)


@pytest.fixture
def sessions(project):
    first = factories.SessionFactory(project=project, title="Day 1")
    second = factories.SessionFactory(
        project=project,
        title="Day 2",
        start_at=first.start_at + datetime.timedelta(days=1),
        end_at=first.end_at + datetime.timedelta(days=1),
    )
    return [first, second]


def url(name, project, **kwargs):
    return reverse(f"agenda:{name}", kwargs={"code": project.code, **kwargs})


def make_report(session, rows):
    day = session.start_at.astimezone(session.project.zone).date()

    def t(text):
        return datetime.datetime.combine(day, datetime.time.fromisoformat(text))

    return zoom.write_meeting_report([(name, email, t(a), t(b)) for name, email, a, b in rows])


# --- permission matrices ---------------------------------------------------------------------

MANAGERS_ONLY = {
    "anonymous": LOGIN,
    "own_npo": 403,
    "other_npo": 403,
    "host_npo": 403,
    "implementer": 200,
    "participant": 403,
    "secretariat": 200,
}


def test_grid_matrix(client, project, users, sessions):
    assert_matrix(client, url("attendance_grid", project), users, MANAGERS_ONLY)


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_export_matrix(client, project, users, sessions, fmt):
    assert_matrix(client, url("attendance_export", project, fmt=fmt), users, MANAGERS_ONLY)


def test_upload_matrix(client, project, users, sessions):
    assert_matrix(client, url("attendance_import_upload", project), users, MANAGERS_ONLY)


def test_preview_and_progress_matrix(client, project, users, sessions, secretariat):
    imp, _ = services.upload_attendance_report(
        session=sessions[0],
        data=make_report(sessions[0], [("X", "x@y.org", "10:00:00", "11:00:00")]),
        file_name="r.csv",
        time_zone=project.time_zone,
        actor=secretariat,
    )
    assert_matrix(client, url("attendance_import_preview", project, pk=imp.pk), users, MANAGERS_ONLY)
    assert_matrix(client, url("attendance_import_progress", project, pk=imp.pk), users, MANAGERS_ONLY)


def test_mark_matrix(client, project, users, sessions):
    participant = factories.ParticipantFactory(nomination__project=project)
    target = url("attendance_mark", project, participant_id=participant.pk, session_id=sessions[0].pk)
    expected = {**MANAGERS_ONLY, "implementer": 302, "secretariat": 302}
    assert_matrix(client, target, users, expected, method="post", data={"present": "1"})


def test_share_matrix(client, project, users, sessions):
    expected = {**MANAGERS_ONLY, "implementer": 403, "secretariat": 302}
    assert_matrix(client, url("attendance_share", project), users, expected, method="post", data={"share": "75"})


def test_country_page_matrix(client, project, users, sessions):
    expected = {
        "anonymous": LOGIN,
        "own_npo": 200,
        "other_npo": 404,
        "host_npo": 404,
        "implementer": 200,
        "participant": 403,
        "secretariat": 200,
    }
    assert_matrix(client, url("attendance_country", project, iso2="IN"), users, expected)


def test_my_attendance_matrix(client, project, users, sessions):
    expected = {
        "anonymous": LOGIN,
        "own_npo": 404,
        "other_npo": 404,
        "implementer": 404,
        "participant": 200,
        "secretariat": 404,
    }
    assert_matrix(client, url("attendance_mine", project), users, expected)


# --- what people see -------------------------------------------------------------------------


def test_npo_officer_sees_only_their_countrys_participants(client, project, sessions, npo_in):
    indian = factories.ParticipantFactory(nomination__project=project, certificate_name="Priya Sharma")
    factories.ParticipantFactory(
        nomination__project=project, nomination__country=factories.country("JP"), certificate_name="Hana Mori"
    )
    factories.AttendanceFactory(participant=indian, session=sessions[0])
    client.force_login(npo_in)
    page = client.get(url("attendance_country", project, iso2="IN")).content.decode()
    assert "Priya Sharma" in page and "Hana Mori" not in page
    assert "Present" in page and "Mark present" not in page and "Mark absent" not in page


def test_participant_sees_own_attendance(client, project, sessions):
    participant = factories.ParticipantFactory(nomination__project=project)
    factories.AttendanceFactory(participant=participant, session=sessions[0])
    client.force_login(participant.user)
    page = client.get(url("attendance_mine", project)).content.decode()
    assert "Your attendance" in page
    assert "Sessions attended: 1 of 2." in page
    assert "180 of 180 min" in page


def test_grid_shows_cells_totals_and_who_attended_every_session(client, project, sessions, secretariat):
    full = factories.ParticipantFactory(nomination__project=project, certificate_name="Full Attendee")
    half = factories.ParticipantFactory(nomination__project=project, certificate_name="Half Attendee")
    for s in sessions:
        factories.AttendanceFactory(participant=full, session=s)
    factories.AttendanceFactory(participant=half, session=sessions[0], present=False, seconds=600)
    client.force_login(secretariat)
    response = client.get(url("attendance_grid", project))
    grid = response.context["grid"]
    assert [(r.participant.certificate_name, r.present_count, r.attended_every_session) for r in grid.rows] == [
        ("Full Attendee", 2, True),
        ("Half Attendee", 0, False),
    ]
    assert [t.present for t in grid.totals] == [1, 1]
    page = response.content.decode()
    assert "1 attended every session" in page
    assert "10 min" in page and "Not recorded" in page


@pytest.mark.parametrize("size", [2, 20])
def test_grid_runs_the_same_ten_queries_for_2_or_20_participants(
    client, project, sessions, secretariat, size, django_assert_num_queries
):
    for _ in range(size):
        p = factories.ParticipantFactory(nomination__project=project)
        factories.AttendanceFactory(participant=p, session=sessions[0])
        factories.AttendanceFactory(participant=p, session=sessions[1], present=False, seconds=60)
    client.force_login(secretariat)
    # The tenth: the sessions listed in the absentees' form.
    with django_assert_num_queries(10):
        response = client.get(url("attendance_grid", project))
    assert len(response.context["grid"].rows) == size


@pytest.mark.parametrize("size", [2, 20])
def test_country_page_runs_the_same_nine_queries_for_2_or_20_participants(
    client, project, sessions, npo_in, size, django_assert_num_queries
):
    for _ in range(size):
        p = factories.ParticipantFactory(nomination__project=project)
        factories.AttendanceFactory(participant=p, session=sessions[0])
    client.force_login(npo_in)
    with django_assert_num_queries(9):
        response = client.get(url("attendance_country", project, iso2="IN"))
    assert len(response.context["grid"].rows) == size


# --- marking ----------------------------------------------------------------------------------


def test_marking_with_htmx_returns_the_cell(client, project, sessions, secretariat):
    participant = factories.ParticipantFactory(nomination__project=project, certificate_name="Ravi Kumar")
    client.force_login(secretariat)
    target = url("attendance_mark", project, participant_id=participant.pk, session_id=sessions[0].pk)
    response = client.post(target, {"present": "1"}, headers={"HX-Request": "true"})
    assert response.status_code == 200
    body = response.content.decode()
    assert body.lstrip().startswith(f'<td id="att-{participant.pk}-{sessions[0].pk}"')
    assert "Present" in body and "Mark absent" in body
    assert f'<td id="total-{participant.pk}" hx-swap-oob="true">1 of 2' in body  # the row's totals follow
    assert f'<td id="stotal-{sessions[0].pk}" hx-swap-oob="true">1 of 1' in body  # and the session's
    assert '<td id="every-total" colspan="2" hx-swap-oob="true">0 attended every session' in body
    a = Attendance.objects.get()
    assert (a.present, a.source, a.changed_by) == (True, AttendanceSource.MANUAL, secretariat)


def test_marking_without_javascript_redirects_to_the_grid(client, project, sessions, secretariat):
    participant = factories.ParticipantFactory(nomination__project=project)
    client.force_login(secretariat)
    target = url("attendance_mark", project, participant_id=participant.pk, session_id=sessions[0].pk)
    response = client.post(target, {"present": "1"})
    assert response.status_code == 302
    assert response["Location"].startswith(url("attendance_grid", project))
    assert Attendance.objects.get().present is True


def test_changing_an_imported_value_asks_for_a_reason(client, project, sessions, secretariat):
    participant = factories.ParticipantFactory(nomination__project=project)
    factories.AttendanceFactory(participant=participant, session=sessions[0], source=AttendanceSource.REPORT)
    client.force_login(secretariat)
    target = url("attendance_mark", project, participant_id=participant.pk, session_id=sessions[0].pk)

    asked = client.post(target, {"present": "0"}, headers={"HX-Request": "true"}).content.decode()
    assert 'name="reason"' in asked and "say why you change it" in asked
    plain = client.post(target, {"present": "0"})
    assert plain.status_code == 200 and "say why you change it" in plain.content.decode()
    assert Attendance.objects.get().present is True

    client.post(target, {"present": "0", "reason": "Camera on, nobody there"}, headers={"HX-Request": "true"})
    a = Attendance.objects.get()
    assert (a.present, a.reason, a.manual_override, a.changed_by) == (
        False,
        "Camera on, nobody there",
        True,
        secretariat,
    )
    assert AuditEntry.objects.filter(action="agenda.attendance.marked").count() == 1


def test_secretariat_sets_the_minimum_share(client, project, sessions, secretariat):
    client.force_login(secretariat)
    response = client.post(url("attendance_share", project), {"share": "75"})
    assert response.status_code == 302
    project.refresh_from_db()
    assert str(project.min_attendance_share) == "0.75"


@pytest.mark.parametrize("page", ["attendance", "project_edit"])
@time_machine.travel(datetime.datetime(2030, 3, 30, 4, tzinfo=datetime.UTC), tick=False)
def test_lowering_the_share_on_either_page_makes_a_70_percent_attendee_present(client, secretariat, page):
    project = factories.ProjectFactory(
        start_date=datetime.date(2030, 3, 22),
        end_date=datetime.date(2030, 3, 24),
        nomination_deadline=Project.deadline_for(datetime.date(2030, 2, 20), "Asia/Colombo"),
        min_attendance_share=Decimal("0.80"),
    )
    session = factories.SessionFactory(project=project, title="Day 1")  # 10:00-13:00 Colombo
    anh = factories.ParticipantFactory(
        nomination__project=project, nomination__country=factories.country("VN"), certificate_name="Anh Nguyen"
    )
    imp, _ = services.upload_attendance_report(
        session=session,
        data=make_report(session, [("Anh Nguyen", "", "10:00:00", "12:06:00")]),  # 70% of 3 hours
        file_name="r.csv",
        time_zone="Asia/Colombo",
        actor=secretariat,
    )
    services.confirm_attendance_import(attendance_import=imp, actor=secretariat)
    record = Attendance.objects.get(participant=anh)
    assert (record.present, record.seconds) == (False, 7_560)
    client.force_login(secretariat)
    if page == "attendance":
        response = client.post(url("attendance_share", project), {"share": "60"}, follow=True)
    else:
        data = edit_page_data(client, project)
        data["min_attendance_share"] = "0.60"
        response = client.post(reverse("project_edit", kwargs={"code": project.code}), data, follow=True)
    assert response.status_code == 200
    shown = [str(m) for m in response.context["messages"]]
    assert "Minimum attendance set to 60% of each session: presence changed for 1 participant." in shown
    record.refresh_from_db()
    assert record.present is True
    assert Project.objects.get(pk=project.pk).min_attendance_share == Decimal("0.60")
    entry = AuditEntry.objects.get(action="apopms.project.attendance_share_set")
    assert entry.details["participants_changed"] == 1


# --- exports ----------------------------------------------------------------------------------


def test_exports_hold_the_grid(client, project, sessions, secretariat):
    participant = factories.ParticipantFactory(nomination__project=project, certificate_name="Ravi Kumar")
    for s in sessions:
        factories.AttendanceFactory(participant=participant, session=s)
    client.force_login(secretariat)
    text = client.get(url("attendance_export", project, fmt="csv")).content.decode()
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0][:6] == ["Participant", "Country", "Category", "E-mail", "Day 1: attendance", "Day 1: minutes"]
    assert rows[1][0] == "Ravi Kumar" and rows[1][4:8] == ["present (by hand)", "180", "present (by hand)", "180"]
    assert rows[1][-1] == "yes"
    response = client.get(url("attendance_export", project, fmt="xlsx"))
    assert response["Content-Disposition"] == f'attachment; filename="attendance-{project.code}.xlsx"'
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    assert sheet.cell(row=2, column=1).value == "Ravi Kumar"


# --- the import journey ----------------------------------------------------------------------


def test_import_journey_upload_preview_map_confirm(
    client, project, sessions, secretariat, django_capture_on_commit_callbacks
):
    kumari = factories.ParticipantFactory(
        nomination__project=project, nomination__email="kumari@gov.lk", certificate_name="Kumari Perera"
    )
    ravi = factories.ParticipantFactory(nomination__project=project, certificate_name="Ravi Kumar")
    data = make_report(
        sessions[0],
        [
            ("Kumari Perera (K. Perera)", "kumari@gov.lk", "09:55:00", "11:00:00"),
            ("Kumari Perera (K. Perera)", "kumari@gov.lk", "11:02:00", "13:05:00"),
            ("RK tablet", "", "10:00:00", "13:00:00"),
            ("APO Host", "host@apo-tokyo.org", "09:50:00", "13:10:00"),
        ],
    )
    client.force_login(secretariat)
    response = client.post(
        url("attendance_import_upload", project),
        {"session": sessions[0].pk, "time_zone": "Asia/Colombo", "report": SimpleUploadedFile("day1.csv", data)},
    )
    imp = AttendanceImport.objects.get()
    assert response.status_code == 302 and response["Location"] == url("attendance_import_preview", project, pk=imp.pk)
    assert not Attendance.objects.exists()

    page = client.get(response["Location"]).content.decode()
    assert "Names to resolve (2)" in page and "RK tablet" in page and "APO Host" in page
    assert "10:00:00–11:00:00, 11:02:00–13:00:00" in page  # merged and clipped, in Colombo time

    client.post(url("attendance_import_confirm", project, pk=imp.pk))
    imp.refresh_from_db()
    assert imp.status == ImportStatus.PREVIEW and not Attendance.objects.exists()

    client.post(
        url("attendance_import_map", project, pk=imp.pk),
        {
            "map:name:rk tablet": str(ravi.pk),
            "map:email:host@apo-tokyo.org": "ignore",
            "label:name:rk tablet": "RK tablet",
        },
    )
    assert ReportMapping.objects.count() == 2
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url("attendance_import_confirm", project, pk=imp.pk))
    assert response["Location"] == url("attendance_import_progress", project, pk=imp.pk)
    imp.refresh_from_db()
    assert imp.status == ImportStatus.CONFIRMED
    got = {a.participant_id: (a.present, a.seconds) for a in Attendance.objects.all()}
    assert got == {kumari.pk: (True, 3600 + 7080), ravi.pk: (True, 10_800)}
    progress = client.get(response["Location"]).content.decode()
    assert "Saved: 2 present of 2 participants" in progress


def test_progress_is_polled_with_htmx_while_queued(client, project, sessions, secretariat):
    imp, _ = services.upload_attendance_report(
        session=sessions[0],
        data=make_report(sessions[0], [("X", "x@y.org", "10:00:00", "11:00:00")]),
        file_name="r.csv",
        time_zone=project.time_zone,
        actor=secretariat,
    )
    AttendanceImport.objects.filter(pk=imp.pk).update(status=ImportStatus.QUEUED)
    services.set_progress(imp.pk, stage="saving", done=500, total=2000)
    client.force_login(secretariat)
    body = client.get(url("attendance_import_progress", project, pk=imp.pk), headers={"HX-Request": "true"}).content
    body = body.decode()
    assert 'hx-trigger="every 1s"' in body and 'value="25"' in body and "Saving 500 of 2000" in body


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "file is empty."),
        (b"hello,world\n1,2\n", "not a Zoom participant report"),
        ("Name,Join Time,Leave Time\nJosé,x,y\n".encode("latin-1"), "UTF-8 or UTF-16"),
        (b"Name,Join Time,Leave Time\nA,yesterday,today\n", "Row 2: the join time"),
    ],
)
def test_bad_file_upload_shows_the_message_and_saves_nothing(client, project, sessions, secretariat, data, message):
    client.force_login(secretariat)
    response = client.post(
        url("attendance_import_upload", project),
        {"session": sessions[0].pk, "time_zone": "Asia/Colombo", "report": SimpleUploadedFile("bad.csv", data)},
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not AttendanceImport.objects.exists() and not Attendance.objects.exists()


def test_uploading_an_imported_report_again_changes_nothing(client, project, sessions, secretariat):
    factories.ParticipantFactory(nomination__project=project, nomination__email="kumari@gov.lk")
    data = make_report(sessions[0], [("K", "kumari@gov.lk", "10:00:00", "13:00:00")])
    imp, _ = services.upload_attendance_report(
        session=sessions[0], data=data, file_name="r.csv", time_zone="Asia/Colombo", actor=secretariat
    )
    services.confirm_attendance_import(attendance_import=imp, actor=secretariat)
    before = list(Attendance.objects.values())
    client.force_login(secretariat)
    response = client.post(
        url("attendance_import_upload", project),
        {"session": sessions[0].pk, "time_zone": "Asia/Colombo", "report": SimpleUploadedFile("again.csv", data)},
        follow=True,
    )
    assert "already imported" in response.content.decode()
    assert AttendanceImport.objects.count() == 1 and list(Attendance.objects.values()) == before


def test_attendance_index_lists_what_each_role_may_open(client, project, users, sessions):
    expected = dict.fromkeys(users, 200) | {"anonymous": LOGIN}
    assert_matrix(client, reverse("agenda:attendance_index"), users, expected)
    client.force_login(users["own_npo"])
    assert (
        url("attendance_country", project, iso2="IN") in client.get(reverse("agenda:attendance_index")).content.decode()
    )
    client.force_login(users["implementer"])
    assert url("attendance_grid", project) in client.get(reverse("agenda:attendance_index")).content.decode()
    client.force_login(users["participant"])
    assert url("attendance_mine", project) in client.get(reverse("agenda:attendance_index")).content.decode()


def test_export_neutralises_formulae_in_names(client, project, sessions, secretariat):
    factories.ParticipantFactory(nomination__project=project, certificate_name='=HYPERLINK("http://x","y")')
    client.force_login(secretariat)
    rows = list(csv.reader(io.StringIO(client.get(url("attendance_export", project, fmt="csv")).content.decode())))
    assert rows[1][0] == '\'=HYPERLINK("http://x","y")'


@pytest.mark.parametrize("size", [2, 20])
def test_preview_runs_the_same_nine_queries_for_2_or_20_participants(
    client, project, sessions, secretariat, size, django_assert_num_queries
):
    people = [factories.ParticipantFactory(nomination__project=project) for _ in range(size)]
    rows = [(p.certificate_name, p.user.email, "10:00:00", "12:00:00") for p in people] + [
        ("Guest", "", "10:00:00", "11:00:00")
    ]
    imp, _ = services.upload_attendance_report(
        session=sessions[0],
        data=make_report(sessions[0], rows),
        file_name="r.csv",
        time_zone="Asia/Colombo",
        actor=secretariat,
    )
    client.force_login(secretariat)
    with django_assert_num_queries(9):
        response = client.get(url("attendance_import_preview", project, pk=imp.pk))
    assert len(response.context["preview"].lines) == size


def test_large_projects_map_names_through_a_shared_list(client, project, sessions, secretariat, monkeypatch):

    monkeypatch.setattr(import_views, "DATALIST_FROM", 1)
    ravi = factories.ParticipantFactory(nomination__project=project, certificate_name="Ravi Kumar")
    factories.ParticipantFactory(nomination__project=project)
    imp, _ = services.upload_attendance_report(
        session=sessions[0],
        data=make_report(
            sessions[0], [("RK tablet", "", "10:00:00", "13:00:00"), ("Guest", "", "10:00:00", "11:00:00")]
        ),
        file_name="r.csv",
        time_zone="Asia/Colombo",
        actor=secretariat,
    )
    client.force_login(secretariat)
    page = client.get(url("attendance_import_preview", project, pk=imp.pk)).content.decode()
    assert 'list="participant-choices"' in page and f'value="{ravi.pk} · Ravi Kumar (India)"' in page
    client.post(
        url("attendance_import_map", project, pk=imp.pk),
        {"map:name:rk tablet": f"{ravi.pk} · Ravi Kumar (India)", "map:name:guest": "Ignore"},
    )
    assert {(m.key, m.participant_id, m.ignored) for m in ReportMapping.objects.all()} == {
        ("name:rk tablet", ravi.pk, False),
        ("name:guest", None, True),
    }


# --- reports of another session, bulk names, impact ------------------------------------------------


def upload_report(session, data, user):
    return services.upload_attendance_report(
        session=session, data=data, file_name="r.csv", time_zone="Asia/Colombo", actor=user
    )[0]


def confirm_now(client, project, imp, django_capture_on_commit_callbacks, **data):
    with django_capture_on_commit_callbacks(execute=True):
        return client.post(url("attendance_import_confirm", project, pk=imp.pk), data)


def test_day1_report_uploaded_for_day2_cannot_be_confirmed(
    client, project, sessions, secretariat, django_capture_on_commit_callbacks
):
    kumari = factories.ParticipantFactory(nomination__project=project, nomination__email="kumari@gov.lk")
    rows = [(kumari.certificate_name, "kumari@gov.lk", "10:00:00", "13:00:00")]
    day2 = upload_report(sessions[1], make_report(sessions[1], rows), secretariat)
    services.confirm_attendance_import(attendance_import=day2, actor=secretariat)
    wrong = upload_report(sessions[1], make_report(sessions[0], rows), secretariat)  # Day 1's report
    client.force_login(secretariat)
    page = client.get(url("attendance_import_preview", project, pk=wrong.pk)).content.decode()
    assert "No connection in this report falls within the session's time" in page
    assert "cannot be saved for this session" in page
    assert 'type="submit" disabled aria-describedby="confirm-help">Confirm and save' in page
    response = confirm_now(client, project, wrong, django_capture_on_commit_callbacks)
    assert response["Location"] == url("attendance_import_preview", project, pk=wrong.pk)
    wrong.refresh_from_db()
    assert wrong.status == ImportStatus.PREVIEW
    assert Attendance.objects.get(participant=kumari, session=sessions[1]).present is True


def test_mostly_outside_report_is_confirmed_only_with_the_box_ticked(
    client, project, sessions, secretariat, django_capture_on_commit_callbacks
):
    people = [factories.ParticipantFactory(nomination__project=project) for _ in range(3)]
    right = [(p.certificate_name, p.user.email, "10:00:00", "13:00:00") for p in people]
    services.confirm_attendance_import(
        attendance_import=upload_report(sessions[1], make_report(sessions[1], right), secretariat), actor=secretariat
    )
    # Day 1's report, in which one person stayed connected overnight into Day 2.
    first = sessions[0].start_at.astimezone(project.zone).replace(tzinfo=None)
    connections = [(p.certificate_name, p.user.email, first, first + datetime.timedelta(hours=3)) for p in people]
    connections[0] = (*connections[0][:3], first + datetime.timedelta(hours=27))
    wrong = upload_report(sessions[1], zoom.write_meeting_report(connections), secretariat)
    client.force_login(secretariat)
    page = client.get(url("attendance_import_preview", project, pk=wrong.pk)).content.decode()
    assert 'name="acknowledge"' in page
    assert "2 participants now present will be marked absent" in page
    confirm_now(client, project, wrong, django_capture_on_commit_callbacks)
    wrong.refresh_from_db()
    assert wrong.status == ImportStatus.PREVIEW
    assert Attendance.objects.filter(session=sessions[1], present=True).count() == 3
    confirm_now(client, project, wrong, django_capture_on_commit_callbacks, acknowledge="1")
    wrong.refresh_from_db()
    assert wrong.status == ImportStatus.CONFIRMED
    assert Attendance.objects.filter(session=sessions[1], present=True).count() == 1


def test_preview_lists_rows_outside_the_session_and_waiting_room_rows(client, project, sessions, secretariat):
    kumari = factories.ParticipantFactory(nomination__project=project, nomination__email="kumari@gov.lk")
    day = f"{sessions[0].start_at.astimezone(project.zone):%m/%d/%Y}"
    next_day = f"{sessions[1].start_at.astimezone(project.zone):%m/%d/%Y}"
    data = f"""Name (original name),Email,Join time,Leave time,Duration (minutes),Guest,In waiting room
{kumari.certificate_name},kumari@gov.lk,{day} 10:00:00 AM,{day} 01:00:00 PM,180,No,No
Lost Soul,,{day} 09:00:00 AM,{day} 01:00:00 PM,240,Yes,Yes
Tomorrow Person,,{next_day} 10:00:00 AM,{next_day} 11:00:00 AM,60,Yes,No
""".encode()
    imp = upload_report(sessions[0], data, secretariat)
    client.force_login(secretariat)
    page = client.get(url("attendance_import_preview", project, pk=imp.pk)).content.decode()
    assert "1 row of time in the waiting room is not counted as attendance." in page
    assert "Rows outside the session's time (1), not counted" in page
    assert (
        f'<td>4</td><th scope="row">Tomorrow Person</th><td>{sessions[1].start_at.astimezone(project.zone):%d %b %Y} 10:00:00</td>'
        in page
    )
    assert "Lost Soul" not in page  # waiting only: neither a name to resolve nor attendance


def test_preview_names_certificate_holders_who_would_lose_eligibility(client, project, sessions, secretariat):

    kumari = factories.ParticipantFactory(nomination__project=project, certificate_name="Kumari Perera")
    for session in sessions:
        factories.AttendanceFactory(participant=kumari, session=session, source="report")
    Certificate.objects.create(
        participant=kumari, project=project, serial=1, number="X-1", verification_code="c1", snapshot={}, pdf="x.pdf"
    )
    imp = upload_report(
        sessions[0], make_report(sessions[0], [("Kumari Perera", "", "10:00:00", "10:30:00")]), secretariat
    )
    client.force_login(secretariat)
    page = client.get(url("attendance_import_preview", project, pk=imp.pk)).content.decode()
    assert "Confirming records 1 participant who holds a certificate absent at this session" in page
    assert "<li>Kumari Perera (India)</li>" in page
    assert Attendance.objects.filter(present=True).count() == 2


def test_three_hundred_unknown_names_fit_a_small_page_and_are_ignored_at_once(
    client, project, sessions, secretariat, django_capture_on_commit_callbacks
):

    kumari = factories.ParticipantFactory(nomination__project=project, nomination__email="kumari@gov.lk")
    for _ in range(5):
        factories.ParticipantFactory(nomination__project=project)
    known = [(kumari.certificate_name, "kumari@gov.lk", "10:00:00", "13:00:00")]

    def page_for(count):
        observers = [(f"Observer {n:03}", "", "10:00:00", "12:00:00") for n in range(count)]
        imp = upload_report(sessions[0], make_report(sessions[0], known + observers), secretariat)
        return imp, client.get(url("attendance_import_preview", project, pk=imp.pk)).content.decode()

    client.force_login(secretariat)
    _, small = page_for(30)
    imp, page = page_for(300)
    assert "Names to resolve (300)" in page
    assert page.count('<select class="form-select form-select-sm" name="map:') == import_views.UNMATCHED_SHOWN
    assert "and 275 more names not shown" in page
    assert "Ignore all remaining unmatched names (300)</button>" in page
    assert len(page) - len(small) < 200  # the page does not grow with the number of names
    response = client.post(url("attendance_import_map", project, pk=imp.pk), {"ignore_rest": "1"})
    assert response.status_code == 302
    assert ReportMapping.objects.filter(project=project, ignored=True).count() == 300
    page = client.get(url("attendance_import_preview", project, pk=imp.pk)).content.decode()
    assert "Names to resolve" not in page and "and 275 more." in page
    confirm_now(client, project, imp, django_capture_on_commit_callbacks)
    imp.refresh_from_db()
    assert imp.status == ImportStatus.CONFIRMED
    assert Attendance.objects.get(participant=kumari, session=sessions[0]).present is True
    assert AuditEntry.objects.filter(action="agenda.report_mapping.rest_ignored").count() == 1


def test_ignore_rest_keeps_the_choices_made_on_the_page(client, project, sessions, secretariat):
    ravi = factories.ParticipantFactory(nomination__project=project, certificate_name="Ravi Kumar")
    data = make_report(
        sessions[0], [("RK tablet", "", "10:00:00", "13:00:00"), ("Observer", "", "10:00:00", "11:00:00")]
    )
    imp = upload_report(sessions[0], data, secretariat)
    client.force_login(secretariat)
    client.post(
        url("attendance_import_map", project, pk=imp.pk),
        {"map:name:rk tablet": str(ravi.pk), "map:name:observer": "", "ignore_rest": "1"},
    )
    assert {(m.key, m.participant_id, m.ignored) for m in ReportMapping.objects.all()} == {
        ("name:rk tablet", ravi.pk, False),
        ("name:observer", None, True),
    }


def test_the_file_is_parsed_once_reopening_resolving_and_rezoning_read_the_stored_rows(
    client, project, sessions, secretariat, monkeypatch
):
    factories.ParticipantFactory(nomination__project=project, certificate_name="Ravi Kumar")
    data = make_report(sessions[0], [("RK tablet", "", "10:00:00", "13:00:00")])
    calls = {"parse_report": 0, "parse_time": 0}
    for name in calls:
        real = getattr(zoom, name)

        def counted(*args, _real=real, _name=name, **kwargs):
            calls[_name] += 1
            return _real(*args, **kwargs)

        monkeypatch.setattr(zoom, name, counted)
    client.force_login(secretariat)
    client.post(
        url("attendance_import_upload", project),
        {"session": sessions[0].pk, "time_zone": "Asia/Colombo", "report": SimpleUploadedFile("day1.csv", data)},
    )
    imp = AttendanceImport.objects.get()
    assert calls["parse_report"] == 1 and len(imp.rows) == 1
    calls.update(parse_report=0, parse_time=0)
    for _ in range(2):
        assert "RK tablet" in client.get(url("attendance_import_preview", project, pk=imp.pk)).content.decode()
    client.post(url("attendance_import_map", project, pk=imp.pk), {"map:name:rk tablet": "ignore"})
    client.post(url("attendance_import_zone", project, pk=imp.pk), {"time_zone": "Asia/Tokyo"})
    client.get(url("attendance_import_preview", project, pk=imp.pk))
    assert calls == {"parse_report": 0, "parse_time": 0}
    imp.refresh_from_db()
    assert ReportMapping.objects.get().ignored and imp.time_zone == "Asia/Tokyo"
