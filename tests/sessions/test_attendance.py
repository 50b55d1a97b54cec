"""Attendance rules and services: intervals, threshold, matching, hand marks, report import."""

import datetime
from decimal import Decimal
from unittest import mock

import pytest
from django.db import IntegrityError
from django.utils import timezone

from apopms.exceptions import DomainError
from apopms.models import AuditEntry
from apopms.services import set_min_attendance_share
from certificates.models import Certificate
from sessions import intervals, selectors, services, zoom
from sessions.enums import AttendanceSource, ImportStatus
from sessions.models import Attendance, AttendanceImport, ReportMapping
from sessions.selectors import participants_attended_every_session
from tests import factories

UTC = datetime.UTC
T0 = datetime.datetime(2022, 8, 24, 4, 30, tzinfo=UTC)  # 10:00 in Colombo


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    # Each factory user hashes a password; PBKDF2 costs ~1 s per user on this machine.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def at(minutes, seconds=0):
    return T0 + datetime.timedelta(minutes=minutes, seconds=seconds)


# --- intervals -------------------------------------------------------------------------------


def test_merge_intervals_counts_overlaps_once():
    merged = intervals.merge_intervals([(at(0), at(60)), (at(30), at(90))])
    assert merged == [(at(0), at(90))]
    assert intervals.total_seconds(merged) == 90 * 60


def test_merge_intervals_keeps_gaps_between_rejoins():
    merged = intervals.merge_intervals([(at(60), at(120)), (at(0), at(50))])
    assert merged == [(at(0), at(50)), (at(60), at(120))]
    assert intervals.total_seconds(merged) == 110 * 60


def test_merge_intervals_two_devices_at_once_count_once():
    laptop, phone = (at(0), at(180)), (at(10), at(20))
    assert intervals.total_seconds(intervals.merge_intervals([laptop, phone, laptop])) == 180 * 60


def test_merge_intervals_clips_joins_before_start_and_leaves_after_end():
    merged = intervals.merge_intervals([(at(-30), at(10)), (at(170), at(240)), (at(-60), at(-40))], at(0), at(180))
    assert merged == [(at(0), at(10)), (at(170), at(180))]
    assert intervals.total_seconds(merged) == 20 * 60


def test_merge_intervals_joins_touching_connections():
    assert intervals.merge_intervals([(at(0), at(10)), (at(10), at(20))]) == [(at(0), at(20))]


def test_required_seconds_is_the_ceiling_in_exact_decimal():
    assert intervals.required_seconds(Decimal("0.80"), 10_800) == 8_640
    assert intervals.required_seconds(Decimal("0.80"), 10_801) == 8_641  # 8640.8 -> 8641
    assert intervals.required_seconds(Decimal("0.70"), 10) == 7  # float 0.7 * 10 would be 7.000000000000001
    assert intervals.required_seconds(Decimal("1.00"), 10_800) == 10_800


@pytest.mark.django_db
def test_threshold_edge_to_the_second(project):
    session = factories.SessionFactory(project=project)  # three hours: needs 8,640 s at 80%
    start = session.start_at
    just = intervals.total_seconds(intervals.merge_intervals([(start, start + datetime.timedelta(seconds=8640))]))
    short = intervals.total_seconds(intervals.merge_intervals([(start, start + datetime.timedelta(seconds=8639))]))
    assert intervals.is_present(just, session) is True
    assert intervals.is_present(short, session) is False


# --- fixtures for imports --------------------------------------------------------------------


@pytest.fixture
def workshop(project):
    session = factories.SessionFactory(project=project)  # 10:00-13:00 Colombo
    kumari = factories.ParticipantFactory(
        nomination__project=project,
        nomination__country=factories.country("LK"),
        nomination__email="kumari@gov.lk",
        certificate_name="Kumari Perera",
    )
    anh = factories.ParticipantFactory(
        nomination__project=project, nomination__country=factories.country("VN"), certificate_name="Anh Nguyen"
    )
    ravi = factories.ParticipantFactory(nomination__project=project, certificate_name="Ravi Kumar")
    return {"project": project, "session": session, "kumari": kumari, "anh": anh, "ravi": ravi}


def report(session, rows):
    """A meeting report for `session` from (name, email, 'HH:MM:SS', 'HH:MM:SS') in Colombo time."""
    day = session.start_at.astimezone(session.project.zone).date()

    def t(text):
        return datetime.datetime.combine(day, datetime.time.fromisoformat(text))

    return zoom.write_meeting_report([(name, email, t(a), t(b)) for name, email, a, b in rows])


def upload(w, rows, user=None, zone="Asia/Colombo"):
    return services.upload_attendance_report(
        session=w["session"], data=report(w["session"], rows), file_name="r.csv", time_zone=zone, actor=user
    )


def lines_by_name(preview):
    return {line.participant.certificate_name: line for line in preview.lines}


# --- matching ---------------------------------------------------------------------------------


@pytest.mark.django_db
def test_matching_by_email_is_case_insensitive_and_trimmed(workshop):
    imp, _ = upload(workshop, [("Somebody Else", "  KUMARI@Gov.LK ", "10:00:00", "13:00:00")])
    line = lines_by_name(selectors.build_preview(imp))["Kumari Perera"]
    assert (line.how, line.present, line.seconds) == ("email", True, 10_800)


@pytest.mark.django_db
def test_matching_by_email_of_the_user_account(workshop):
    user = workshop["anh"].user
    user.email = "anh.account@mpa.gov.vn"
    user.save()
    imp, _ = upload(workshop, [("A. N.", "anh.account@mpa.gov.vn", "10:00:00", "12:30:00")])
    assert lines_by_name(selectors.build_preview(imp))["Anh Nguyen"].how == "email"


@pytest.mark.django_db
def test_matching_by_unique_normalized_name_and_name_in_brackets(workshop):
    imp, _ = upload(
        workshop,
        [
            ("  ÁNH   NGUYỄN ", "", "10:00:00", "13:00:00"),
            ("RK laptop (Ravi Kumar)", "", "10:00:00", "13:00:00"),
        ],
    )
    lines = lines_by_name(selectors.build_preview(imp))
    assert lines["Anh Nguyen"].how == "name"
    assert lines["Ravi Kumar"].how == "name"


@pytest.mark.django_db
def test_ambiguous_name_is_left_for_a_person(workshop):
    factories.ParticipantFactory(nomination__project=workshop["project"], certificate_name="Ravi Kumar")
    imp, _ = upload(workshop, [("Ravi Kumar", "", "10:00:00", "13:00:00")])
    preview = selectors.build_preview(imp)
    assert [g.label for g in preview.unmatched] == ["Ravi Kumar"]


@pytest.mark.django_db
def test_unmatched_rows_are_listed_and_mappings_are_remembered_for_other_sessions(workshop, secretariat):
    rows = [
        ("John's iPhone", "", "10:00:00", "11:00:00"),
        ("John's iPhone", "", "11:05:00", "13:00:00"),
        ("Guest Speaker", "speaker@uni.example", "10:00:00", "11:00:00"),
    ]
    imp, _ = upload(workshop, rows, secretariat)
    preview = selectors.build_preview(imp)
    assert [(g.label, g.rows, g.minutes) for g in preview.unmatched] == [
        ("Guest Speaker", 1, 60),
        ("John's iPhone", 2, 175),
    ]
    with pytest.raises(DomainError):
        services.request_import_confirmation(attendance_import=imp, actor=secretariat)
    services.map_report_rows(
        project=workshop["project"],
        decisions={"name:john's iphone": workshop["ravi"], "email:speaker@uni.example": None},
        actor=secretariat,
    )
    preview = selectors.build_preview(imp)
    assert preview.unmatched == []
    assert [g.label for g in preview.ignored] == ["Guest Speaker"]
    ravi = lines_by_name(preview)["Ravi Kumar"]
    assert (ravi.how, ravi.minutes, ravi.present) == ("mapping", 175, True)

    other = factories.SessionFactory(
        project=workshop["project"], start_at=workshop["session"].start_at + datetime.timedelta(days=1)
    )
    other.end_at = other.start_at + datetime.timedelta(hours=3)
    other.save()
    imp2, _ = services.upload_attendance_report(
        session=other, data=report(other, rows), file_name="d2.csv", time_zone="Asia/Colombo", actor=secretariat
    )
    assert selectors.build_preview(imp2).unmatched == []


@pytest.mark.django_db
def test_mapping_refuses_a_participant_of_another_project(workshop, secretariat):
    stranger = factories.ParticipantFactory()
    with pytest.raises(DomainError):
        services.map_report_rows(project=workshop["project"], decisions={"name:x": stranger}, actor=secretariat)
    assert not ReportMapping.objects.exists()


# --- confirming -------------------------------------------------------------------------------


def confirm(imp, user):
    return services.confirm_attendance_import(attendance_import=imp, actor=user)


@pytest.mark.django_db
def test_nothing_is_saved_before_confirm_and_confirm_saves_every_participant(workshop, secretariat):
    imp, duplicate = upload(
        workshop,
        [
            ("Kumari Perera (K. Perera)", "kumari@gov.lk", "09:50:00", "11:00:00"),
            ("Kumari Perera (K. Perera)", "kumari@gov.lk", "10:55:00", "13:10:00"),  # two devices overlap
            ("Anh Nguyen", "", "10:00:00", "12:23:59"),  # 8,639 s: one second short
        ],
        secretariat,
    )
    assert not duplicate and imp.status == ImportStatus.PREVIEW
    assert not Attendance.objects.exists()
    confirm(imp, secretariat)
    got = {
        a.participant.certificate_name: (a.present, a.seconds, a.source, len(a.intervals))
        for a in Attendance.objects.select_related("participant")
    }
    assert got == {
        "Kumari Perera": (True, 10_800, AttendanceSource.REPORT, 1),
        "Anh Nguyen": (False, 8_639, AttendanceSource.REPORT, 1),
        "Ravi Kumar": (False, 0, AttendanceSource.REPORT, 0),
    }
    imp.refresh_from_db()
    assert imp.status == ImportStatus.CONFIRMED and imp.summary["present"] == 1
    assert AuditEntry.objects.filter(action="agenda.attendance_import.confirmed").count() == 1


@pytest.mark.django_db
def test_confirm_is_all_or_nothing(workshop, secretariat):
    factories.AttendanceFactory(
        participant=workshop["ravi"], session=workshop["session"], source=AttendanceSource.REPORT
    )
    imp, _ = upload(workshop, [("Kumari Perera", "kumari@gov.lk", "10:00:00", "13:00:00")], secretariat)
    with (
        mock.patch.object(Attendance.objects, "bulk_update", side_effect=IntegrityError("disk full")),
        pytest.raises(IntegrityError),
    ):
        confirm(imp, secretariat)
    assert list(Attendance.objects.values_list("participant__certificate_name", "present")) == [("Ravi Kumar", True)]
    imp.refresh_from_db()
    assert imp.status == ImportStatus.PREVIEW


@pytest.mark.django_db
@pytest.mark.parametrize("size", [2, 20])
def test_confirm_runs_the_same_14_set_based_queries_for_2_or_20_more_participants(
    workshop, secretariat, size, django_assert_num_queries
):
    for _ in range(size):
        factories.ParticipantFactory(nomination__project=workshop["project"])
    imp, _ = upload(workshop, [("Kumari Perera", "kumari@gov.lk", "10:00:00", "13:00:00")], secretariat)
    # The 14th asks whether the project has live certificates (their holders may lose eligibility).
    with django_assert_num_queries(14):
        confirm(imp, secretariat)
    assert Attendance.objects.count() == 3 + size


@pytest.mark.django_db
def test_reimporting_the_same_report_changes_nothing(workshop, secretariat):
    rows = [("Kumari Perera", "kumari@gov.lk", "10:00:00", "13:00:00")]
    imp, _ = upload(workshop, rows, secretariat)
    confirm(imp, secretariat)
    before = list(Attendance.objects.order_by("pk").values())
    again, duplicate = upload(workshop, rows, secretariat)
    assert duplicate and again.pk == imp.pk
    assert AttendanceImport.objects.count() == 1
    assert list(Attendance.objects.order_by("pk").values()) == before
    assert confirm(imp, secretariat).pk == imp.pk  # confirming twice is harmless
    assert list(Attendance.objects.order_by("pk").values()) == before


@pytest.mark.django_db
def test_corrected_report_replaces_the_import_and_keeps_hand_made_changes_flagged(workshop, secretariat):
    first, _ = upload(
        workshop,
        [("Kumari Perera", "kumari@gov.lk", "10:00:00", "13:00:00"), ("Anh Nguyen", "", "10:00:00", "11:00:00")],
        secretariat,
    )
    confirm(first, secretariat)
    services.mark_attendance(
        participant=workshop["anh"],
        session=workshop["session"],
        present=True,
        reason="Joined by phone; the host confirmed",
        actor=secretariat,
    )
    corrected, duplicate = upload(
        workshop,
        [("Kumari Perera", "kumari@gov.lk", "10:00:00", "11:00:00"), ("Anh Nguyen", "", "10:00:00", "11:30:00")],
        secretariat,
    )
    assert not duplicate
    preview = selectors.build_preview(corrected)
    assert lines_by_name(preview)["Anh Nguyen"].outcome == "kept"
    confirm(corrected, secretariat)
    first.refresh_from_db()
    assert first.status == ImportStatus.REPLACED
    kumari = Attendance.objects.get(participant=workshop["kumari"])
    anh = Attendance.objects.get(participant=workshop["anh"])
    assert (kumari.present, kumari.seconds, kumari.import_ref_id) == (False, 3600, corrected.pk)
    assert (anh.present, anh.source, anh.manual_override, anh.report_seconds) == (True, "manual", True, 5400)
    assert anh.reason == "Joined by phone; the host confirmed"


@pytest.mark.django_db
def test_time_zone_confirmed_by_the_uploader_is_used(workshop, secretariat):
    # The same wall-clock times read in Tokyo (UTC+9) are 3.5 hours earlier than in Colombo.
    imp, _ = upload(workshop, [("Kumari Perera", "kumari@gov.lk", "10:00:00", "13:00:00")], secretariat, "Asia/Tokyo")
    assert lines_by_name(selectors.build_preview(imp))["Kumari Perera"].seconds == 0
    services.set_import_time_zone(attendance_import=imp, time_zone="Asia/Colombo", actor=secretariat)
    assert lines_by_name(selectors.build_preview(imp))["Kumari Perera"].seconds == 10_800


@pytest.mark.django_db
def test_bad_file_saves_nothing(workshop, secretariat):
    with pytest.raises(zoom.ReportError):
        services.upload_attendance_report(
            session=workshop["session"], data=b"", file_name="x.csv", time_zone="Asia/Colombo", actor=secretariat
        )
    assert not AttendanceImport.objects.exists() and not AuditEntry.objects.filter(action__startswith="agenda").exists()


@pytest.mark.django_db
def test_queued_confirmation_runs_the_task_and_records_progress(
    workshop, secretariat, django_capture_on_commit_callbacks
):
    imp, _ = upload(workshop, [("Kumari Perera", "kumari@gov.lk", "10:00:00", "13:00:00")], secretariat)
    with django_capture_on_commit_callbacks(execute=True):
        services.request_import_confirmation(attendance_import=imp, actor=secretariat)
    imp.refresh_from_db()
    assert imp.status == ImportStatus.CONFIRMED and imp.confirmed_by == secretariat
    assert services.get_progress(imp.pk)["stage"] == "done"


# --- hand marks and the share ----------------------------------------------------------------


@pytest.mark.django_db
def test_marking_by_hand_records_who_and_why(workshop, secretariat):
    a = services.mark_attendance(
        participant=workshop["ravi"], session=workshop["session"], present=True, actor=secretariat, reason=""
    )
    assert (a.present, a.source, a.changed_by, a.seconds) == (True, "manual", secretariat, 0)
    entry = AuditEntry.objects.get(action="agenda.attendance.marked")
    assert entry.details["present"] is True and entry.actor == secretariat
    assert list(participants_attended_every_session(workshop["project"])) == [workshop["ravi"]]


@pytest.mark.django_db
def test_changing_an_imported_value_needs_a_reason(workshop, secretariat):
    imp, _ = upload(workshop, [("Kumari Perera", "kumari@gov.lk", "10:00:00", "13:00:00")], secretariat)
    confirm(imp, secretariat)
    with pytest.raises(DomainError) as excinfo:
        services.mark_attendance(
            participant=workshop["kumari"], session=workshop["session"], present=False, actor=secretariat
        )
    assert excinfo.value.field == "reason"
    a = services.mark_attendance(
        participant=workshop["kumari"],
        session=workshop["session"],
        present=False,
        actor=secretariat,
        reason="Left the camera on, was not there",
    )
    assert (a.present, a.manual_override, a.report_seconds, a.reason) == (
        False,
        True,
        10_800,
        "Left the camera on, was not there",
    )
    assert AuditEntry.objects.get(action="agenda.attendance.marked").details["previous"] == {
        "present": True,
        "source": "report",
    }


@pytest.mark.django_db
def test_setting_the_share_rederives_imported_records_only(workshop, secretariat):
    imp, _ = upload(workshop, [("Anh Nguyen", "", "10:00:00", "12:00:00")], secretariat)  # 2 of 3 hours
    confirm(imp, secretariat)
    services.mark_attendance(
        participant=workshop["ravi"], session=workshop["session"], present=False, actor=secretariat, reason="x"
    )
    change = set_min_attendance_share(project=workshop["project"], share=Decimal("0.60"), actor=secretariat)
    assert (change.participants_changed, change.records_changed) == (1, 1)
    workshop["project"].refresh_from_db()
    assert workshop["project"].min_attendance_share == Decimal("0.60")
    assert Attendance.objects.get(participant=workshop["anh"]).present is True
    assert Attendance.objects.get(participant=workshop["ravi"]).present is False
    entry = AuditEntry.objects.get(action="apopms.project.attendance_share_set")
    assert (entry.details["previous"], entry.details["share"], entry.details["participants_changed"]) == (
        "0.80",
        "0.60",
        1,
    )
    with pytest.raises(DomainError) as exc:
        set_min_attendance_share(project=workshop["project"], share=Decimal("1.5"), actor=secretariat)
    assert exc.value.field == "min_attendance_share"


@pytest.mark.django_db
def test_recompute_after_the_session_times_change_uses_the_stored_report(workshop, secretariat):
    imp, _ = upload(workshop, [("Anh Nguyen", "", "09:00:00", "12:00:00")], secretariat)  # 2 h of the 3 h session
    confirm(imp, secretariat)
    assert Attendance.objects.get(participant=workshop["anh"]).present is False
    session = workshop["session"]
    session.start_at -= datetime.timedelta(hours=1)  # the session really ran 09:00-12:00
    session.end_at -= datetime.timedelta(hours=1)
    session.save()
    assert services.recompute_session_attendance(session=session, actor=secretariat) == 3
    anh = Attendance.objects.get(participant=workshop["anh"])
    assert (anh.present, anh.seconds) == (True, 10_800)
    assert AuditEntry.objects.filter(action="agenda.attendance.recomputed").count() == 1


@pytest.mark.django_db
def test_moving_a_session_in_the_programme_remeasures_its_imported_attendance(workshop, secretariat):

    imp, _ = upload(workshop, [("Anh Nguyen", "", "09:00:00", "12:00:00")], secretariat)
    confirm(imp, secretariat)
    assert Attendance.objects.get(participant=workshop["anh"]).present is False
    session = workshop["session"]
    services.update_session(
        session=session,
        actor=secretariat,
        start_at=session.start_at - datetime.timedelta(hours=1),
        end_at=session.end_at - datetime.timedelta(hours=1),
    )
    anh = Attendance.objects.get(participant=workshop["anh"])
    assert (anh.present, anh.seconds) == (True, 10_800)


# --- another session's report, waiting rooms, rows outside, impact ------------------------------


def present_everywhere(w, user):
    """Kumari and Anh present at the session from a first, right report."""
    imp, _ = upload(
        w,
        [("Kumari Perera", "kumari@gov.lk", "10:00:00", "13:00:00"), ("Anh Nguyen", "", "10:00:00", "13:00:00")],
        user,
    )
    confirm(imp, user)
    return imp


def upload_other_day(w, user, rows, days=1):
    """A report whose connections are all `days` after the session (the next day's report)."""
    day = w["session"].start_at.astimezone(w["project"].zone).date() + datetime.timedelta(days=days)

    def t(text):
        return datetime.datetime.combine(day, datetime.time.fromisoformat(text))

    data = zoom.write_meeting_report([(name, email, t(a), t(b)) for name, email, a, b in rows])
    return services.upload_attendance_report(
        session=w["session"], data=data, file_name="day2.csv", time_zone="Asia/Colombo", actor=user
    )[0]


@pytest.mark.django_db
def test_report_with_no_connection_in_the_session_cannot_be_confirmed(workshop, secretariat):
    present_everywhere(workshop, secretariat)
    imp = upload_other_day(workshop, secretariat, [("Kumari Perera", "kumari@gov.lk", "10:00:00", "13:00:00")])
    preview = selectors.build_preview(imp)
    assert preview.rows_in_session == 0 and not preview.confirmable
    for call in (
        lambda: services.request_import_confirmation(attendance_import=imp, actor=secretariat, acknowledged=True),
        lambda: services.confirm_attendance_import(attendance_import=imp, actor=secretariat, acknowledged=True),
    ):
        with pytest.raises(DomainError) as excinfo:
            call()
        assert "cannot be saved for this session" in excinfo.value.message
    assert sorted(Attendance.objects.filter(present=True).values_list("participant__certificate_name", flat=True)) == [
        "Anh Nguyen",
        "Kumari Perera",
    ]
    imp.refresh_from_db()
    assert imp.status == ImportStatus.PREVIEW


@pytest.mark.django_db
def test_report_with_most_participants_outside_the_session_needs_an_acknowledgement(workshop, secretariat):
    present_everywhere(workshop, secretariat)
    # The host's connection overlaps the session; both participants were there only the day after.
    day = workshop["session"].start_at.astimezone(workshop["project"].zone).date()
    rows = [
        ("Kumari Perera", "kumari@gov.lk", day + datetime.timedelta(days=1), 10, 13),
        ("Anh Nguyen", "", day + datetime.timedelta(days=1), 10, 13),
        ("Ravi Kumar", "", day, 10, 13),
    ]
    data = zoom.write_meeting_report(
        [
            (n, e, datetime.datetime.combine(d, datetime.time(a)), datetime.datetime.combine(d, datetime.time(b)))
            for n, e, d, a, b in rows
        ]
    )
    imp, _ = services.upload_attendance_report(
        session=workshop["session"], data=data, file_name="x.csv", time_zone="Asia/Colombo", actor=secretariat
    )
    preview = selectors.build_preview(imp)
    assert preview.needs_acknowledgement
    assert preview.acknowledgement.startswith("2 participants now present will be marked absent")
    with pytest.raises(DomainError) as excinfo:
        services.request_import_confirmation(attendance_import=imp, actor=secretariat)
    assert excinfo.value.field == "acknowledge"
    assert "2 participants now present will be marked absent" in excinfo.value.message
    with pytest.raises(DomainError):
        confirm(imp, secretariat)
    assert Attendance.objects.filter(present=True).count() == 2

    services.confirm_attendance_import(attendance_import=imp, actor=secretariat, acknowledged=True)
    assert dict(Attendance.objects.values_list("participant__certificate_name", "present")) == {
        "Kumari Perera": False,
        "Anh Nguyen": False,
        "Ravi Kumar": True,
    }


@pytest.mark.django_db
def test_acknowledgement_travels_with_the_queued_confirmation(
    workshop, secretariat, django_capture_on_commit_callbacks
):
    day = workshop["session"].start_at.astimezone(workshop["project"].zone).date()
    data = zoom.write_meeting_report(
        [
            ("Kumari Perera", "kumari@gov.lk", *(datetime.datetime.combine(day, datetime.time(h)) for h in (7, 9))),
            ("Anh Nguyen", "", *(datetime.datetime.combine(day, datetime.time(h)) for h in (10, 13))),
            ("Ravi Kumar", "", *(datetime.datetime.combine(day, datetime.time(h)) for h in (7, 9))),
        ]
    )
    imp, _ = services.upload_attendance_report(
        session=workshop["session"], data=data, file_name="x.csv", time_zone="Asia/Colombo", actor=secretariat
    )
    with django_capture_on_commit_callbacks(execute=True):
        services.request_import_confirmation(attendance_import=imp, actor=secretariat, acknowledged=True)
    imp.refresh_from_db()
    assert imp.status == ImportStatus.CONFIRMED and imp.summary["present"] == 1


@pytest.mark.django_db
def test_waiting_room_time_is_not_attendance(workshop, secretariat):
    data = f"""Topic,ID,Duration (minutes),Start time,End time,Participants
Day 1,81234567890,180,{_d(workshop)} 10:00:00 AM,{_d(workshop)} 01:00:00 PM,2

Name (original name),Email,Join time,Leave time,Duration (minutes),Guest,In waiting room
Kumari Perera,kumari@gov.lk,{_d(workshop)} 10:00:00 AM,{_d(workshop)} 12:57:00 PM,177,No,Yes
Kumari Perera,kumari@gov.lk,{_d(workshop)} 12:57:00 PM,{_d(workshop)} 01:00:00 PM,3,No,No
Anh Nguyen,,{_d(workshop)} 10:00:00 AM,{_d(workshop)} 01:00:00 PM,180,No,No
""".encode()
    imp, _ = services.upload_attendance_report(
        session=workshop["session"], data=data, file_name="w.csv", time_zone="Asia/Colombo", actor=secretariat
    )
    preview = selectors.build_preview(imp)
    assert preview.waiting_room_rows == 1
    kumari = lines_by_name(preview)["Kumari Perera"]
    assert (kumari.seconds, kumari.present) == (180, False)
    confirm(imp, secretariat)
    assert Attendance.objects.get(participant=workshop["kumari"]).seconds == 180


def _d(w):
    return f"{w['session'].start_at.astimezone(w['project'].zone):%m/%d/%Y}"


@pytest.mark.django_db
def test_rows_on_another_day_are_listed(workshop, secretariat):
    day = workshop["session"].start_at.astimezone(workshop["project"].zone).date()
    data = zoom.write_meeting_report(
        [
            ("Kumari Perera", "kumari@gov.lk", *(datetime.datetime.combine(day, datetime.time(h)) for h in (10, 13))),
            (
                "Anh Nguyen",
                "",
                *(datetime.datetime.combine(day + datetime.timedelta(days=1), datetime.time(h)) for h in (10, 13)),
            ),
        ]
    )
    imp, _ = services.upload_attendance_report(
        session=workshop["session"], data=data, file_name="x.csv", time_zone="Asia/Colombo", actor=secretariat
    )
    outside = selectors.build_preview(imp).outside
    assert [(row.line, row.name, row.join.astimezone(workshop["project"].zone).date()) for row in outside] == [
        (6, "Anh Nguyen", day + datetime.timedelta(days=1))
    ]


@pytest.mark.django_db
def test_meeting_start_far_from_the_session_start_is_warned(workshop, secretariat):
    imp, _ = upload(workshop, [("Kumari Perera", "kumari@gov.lk", "10:00:00", "13:00:00")], secretariat)
    assert selectors.build_preview(imp).meeting_start_warning == ""
    # Read in Dhaka (UTC+06:00) instead of Colombo (UTC+05:30): the meeting seems to start 30 minutes early.
    services.set_import_time_zone(attendance_import=imp, time_zone="Asia/Dhaka", actor=secretariat)
    day = f"{workshop['session'].start_at.astimezone(workshop['project'].zone):%d %b %Y}"
    assert selectors.build_preview(imp).meeting_start_warning == (
        f"The report's meeting started at 10:00 on {day} in Asia/Dhaka, 30 minutes before the session's "
        f"start (10:00 on {day} in Asia/Colombo): check the zone chosen for the report's times, and that "
        "this is the report of this session."
    )


@pytest.mark.django_db
def test_preview_names_certificate_holders_who_would_no_longer_qualify(workshop, secretariat):

    present_everywhere(workshop, secretariat)
    for serial, who in enumerate(("kumari", "anh"), start=1):
        Certificate.objects.create(
            participant=workshop[who],
            project=workshop["project"],
            serial=serial,
            number=f"X-{serial}",
            verification_code=f"code{serial}",
            snapshot={},
            pdf="x.pdf",
            revoked_at=timezone.now() if who == "anh" else None,
            revocation_reason="wrong name" if who == "anh" else "",
        )
    # The corrected report shows Kumari and Anh left after an hour.
    imp, _ = upload(
        workshop,
        [("Kumari Perera", "kumari@gov.lk", "10:00:00", "11:00:00"), ("Anh Nguyen", "", "10:00:00", "11:00:00")],
        secretariat,
    )
    preview = selectors.build_preview(imp)
    assert [p.certificate_name for p in selectors.certificate_losses(preview)] == ["Kumari Perera"]  # Anh's is revoked
    assert Attendance.objects.filter(present=True).count() == 2  # nothing saved
