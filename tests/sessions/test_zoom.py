"""Reading Zoom participant reports: the four variants, times, encodings and bad files."""

import datetime
import io

import openpyxl
import pytest

from sessions import zoom

MEETING_WITH_METADATA = """Meeting ID,Topic,Start Time,End Time,User Email,Duration (Minutes),Participants
812 3456 7890,Productivity of the Public Sector Day 1,08/24/2022 09:55:10 AM,08/24/2022 01:05:44 PM,host@apo-tokyo.org,191,3

Name (Original Name),User Email,Join Time,Leave Time,Duration (Minutes),Guest,Recording Consent
Kumari Perera (K. Perera),kumari@gov.lk,08/24/2022 09:58:02 AM,08/24/2022 11:02:15 AM,65,No,Y
Kumari Perera (K. Perera),kumari@gov.lk,08/24/2022 11:05:00 AM,08/24/2022 01:01:00 PM,116,No,Y
John's iPhone,,08/24/2022 10:00:00 AM,08/24/2022 10:30:00 AM,30,Yes,
"""

MEETING_ONLY = """Name (Original Name),User Email,Join Time,Leave Time,Duration (Minutes),Guest,Recording Consent
Kumari Perera,KUMARI@gov.lk ,08/24/2022 09:58 AM,08/24/2022 13:01,183,No,Y
"""

MEETING_LOWERCASE = """Topic,ID,Duration (minutes),Start time,End time,Participants
Day 1,81234567890,191,08/24/2022 09:55:10 AM,08/24/2022 01:05:44 PM,2

Name (original name),Email,Join time,Leave time,Duration (minutes),Guest,In waiting room
Ánh Nguyễn,,08/24/2022 10:00:00 AM,08/24/2022 01:00:00 PM,180,No,No
"""

WEBINAR = """Attendee Report
Report Generated:,08/24/2022 02:00 PM
Topic
Topic,Webinar ID,Actual Start Time,Actual Duration (minutes),# Registered,# Cancelled,Unique Viewers,Total Users,Max Concurrent Views
Day 1,912 3456 7890,08/24/2022 09:55:00 AM,190,3,0,2,3,2
Host Details
Attended,User Name (Original Name),Email,Join Time,Leave Time,Time in Session (minutes),Is Guest,Country/Region Name
Yes,APO Host,host@apo-tokyo.org,08/24/2022 09:55:00 AM,08/24/2022 01:05:00 PM,190,No,Japan
Panelist Details
Attended,User Name (Original Name),Email,Join Time,Leave Time,Time in Session (minutes),Is Guest,Country/Region Name
Yes,Speaker One,speaker@uni.example,08/24/2022 10:00:00 AM,08/24/2022 11:00:00 AM,60,No,Japan
Attendee Details
Attended,User Name (Original Name),First Name,Last Name,Email,Phone,Registration Time,Approval Status,Join Time,Leave Time,Time in Session (minutes),Is Guest,Country/Region Name
Yes,KP,Kumari,Perera,kumari@gov.lk,,08/01/2022 10:00:00 AM,approved,08/24/2022 10:00:00 AM,08/24/2022 01:00:00 PM,180,No,Sri Lanka
No,Absent Person,Ab,Sent,absent@gov.in,,08/01/2022 10:00:00 AM,approved,--,--,,No,India
Other Attended
"""


def test_meeting_report_with_metadata_reads_rows_and_meta():
    report = zoom.parse_report(MEETING_WITH_METADATA.encode())
    assert report.variant == "meeting_with_metadata"
    assert report.meta["Meeting ID"] == "812 3456 7890"
    assert [(r.name, r.email, r.guest) for r in report.rows] == [
        ("Kumari Perera (K. Perera)", "kumari@gov.lk", False),
        ("Kumari Perera (K. Perera)", "kumari@gov.lk", False),
        ("John's iPhone", "", True),
    ]
    assert report.rows[0].join == datetime.datetime(2022, 8, 24, 9, 58, 2)
    assert report.rows[1].leave == datetime.datetime(2022, 8, 24, 13, 1, 0)
    assert report.rows[0].line == 5


def test_meeting_report_without_metadata_reads_times_without_seconds_and_24h():
    report = zoom.parse_report(MEETING_ONLY.encode())
    assert report.variant == "meeting"
    assert report.meta == {}
    row = report.rows[0]
    assert (row.join, row.leave) == (datetime.datetime(2022, 8, 24, 9, 58), datetime.datetime(2022, 8, 24, 13, 1))


def test_newer_lowercase_export_is_read_by_alias():
    report = zoom.parse_report(MEETING_LOWERCASE.encode())
    assert report.variant == "meeting_lowercase"
    assert report.meta["ID"] == "81234567890"
    assert report.rows[0].name == "Ánh Nguyễn"


def test_webinar_report_reads_only_attendees_who_attended():
    report = zoom.parse_report(WEBINAR.encode())
    assert report.variant == "webinar"
    assert report.meta["Webinar ID"] == "912 3456 7890"
    assert [(r.name, r.email, r.alt_names) for r in report.rows] == [("KP", "kumari@gov.lk", ("Kumari Perera",))]


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "utf-16", "utf-16-le"])
def test_report_is_read_in_utf8_with_or_without_bom_and_utf16(encoding):
    report = zoom.parse_report(MEETING_LOWERCASE.encode(encoding))
    assert report.rows[0].name == "Ánh Nguyễn"


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "The file is empty."),
        (b"  \r\n\r\n", "The file is empty."),
        (b"%PDF-1.4 binary \xff\xd8\xe1 stuff", "characters could not be read"),
        ("Name,Join Time\nx,y\n".encode("cp1252"), "not a Zoom participant report"),
        (b"Quarterly budget,2022\nItem,Cost\nPens,3\n", "not a Zoom participant report"),
        (
            b"Name (Original Name),User Email,Join Time,Leave Time,Duration (Minutes),Guest\n",
            "no participant rows",
        ),
        (
            b"Name (Original Name),User Email,Total Duration (Minutes),Guest\nA,a@x.org,120,No\n",
            "show unique users",
        ),
    ],
)
def test_bad_files_get_a_clear_message(data, message):
    with pytest.raises(zoom.ReportError) as excinfo:
        zoom.parse_report(data)
    assert message in excinfo.value.message


def test_wrong_encoding_is_refused_with_a_message():
    data = "Name (Original Name),User Email,Join Time,Leave Time\nJosé Peña,,08/24/2022 10:00 AM,08/24/2022 11:00 AM\n"
    with pytest.raises(zoom.ReportError) as excinfo:
        zoom.parse_report(data.encode("latin-1"))
    assert "UTF-8 or UTF-16" in excinfo.value.message


def test_unreadable_time_names_the_row():
    data = MEETING_WITH_METADATA.replace("08/24/2022 11:05:00 AM", "24.08.2022 11h05")
    with pytest.raises(zoom.ReportError) as excinfo:
        zoom.parse_report(data.encode())
    assert excinfo.value.message.startswith("Row 6: the join time (“24.08.2022 11h05”) cannot be read")


def test_leave_before_join_names_the_row():
    data = MEETING_ONLY.replace("08/24/2022 13:01", "08/24/2022 09:00")
    with pytest.raises(zoom.ReportError) as excinfo:
        zoom.parse_report(data.encode())
    assert "Row 2" in excinfo.value.message


def test_name_variants_try_the_name_and_the_name_in_brackets():
    assert zoom.name_variants("Kumari Perera (K. Perera)") == [
        "Kumari Perera (K. Perera)",
        "Kumari Perera",
        "K. Perera",
    ]
    assert zoom.name_variants("Plain Name") == ["Plain Name"]


def test_normalize_name_casefolds_strips_accents_and_collapses_spaces():
    assert zoom.normalize_name("  ÁNH   Nguyễn ") == "anh nguyen"
    assert zoom.normalize_name("Elif Yılmaz") == "elif yilmaz"


def test_written_report_reads_back():
    start = datetime.datetime(2022, 8, 24, 10, 0)
    data = zoom.write_meeting_report([("A B", "a@b.org", start, start + datetime.timedelta(hours=1))])
    report = zoom.parse_report(data)
    assert report.variant == "meeting_with_metadata"
    assert report.rows[0].join == start


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("08/24/2022 09:02:15 AM", (9, 2, 15)),
        ("08/24/2022 12:05:00 AM", (0, 5, 0)),
        ("08/24/2022 12:05:00 PM", (12, 5, 0)),
        ("08/24/2022 01:05 pm", (13, 5, 0)),
        ("08/24/2022 17:45:30", (17, 45, 30)),
        ("08/24/2022 17:45", (17, 45, 0)),
        ("2022-08-24 17:45:30", (17, 45, 30)),
        ("Aug 24, 2022 09:02:15 AM", (9, 2, 15)),
    ],
)
def test_time_formats_seen_in_reports(text, expected):
    value = zoom.parse_time(text)
    assert value.date() == datetime.date(2022, 8, 24)
    assert (value.hour, value.minute, value.second) == expected


@pytest.mark.parametrize("text", ["24/08/2022 09:02:15", "08/24/2022 13:00:00 PM", "08/24/2022 00:30 AM", "--", ""])
def test_impossible_times_are_not_read(text):
    assert zoom.parse_time(text) is None


# --- waiting room, delimiters, workbooks (what users bring) ------------------------------------

MEETING_WITH_WAITING_ROOM = """Topic,ID,Duration (minutes),Start time,End time,Participants
Day 1,81234567890,191,08/24/2022 09:55:10 AM,08/24/2022 01:05:44 PM,2

Name (original name),Email,Join time,Leave time,Duration (minutes),Guest,In waiting room
Late Comer,late@gov.lk,08/24/2022 10:00:00 AM,08/24/2022 12:57:00 PM,177,No,Yes
Late Comer,late@gov.lk,08/24/2022 12:57:00 PM,08/24/2022 01:00:00 PM,3,No,No
"""


def test_waiting_room_rows_are_flagged():
    report = zoom.parse_report(MEETING_WITH_WAITING_ROOM.encode())
    assert [(r.name, r.waiting_room) for r in report.rows] == [("Late Comer", True), ("Late Comer", False)]
    assert zoom.Row.from_json(report.rows[0].as_json()).waiting_room is True


def test_meeting_start_is_read_from_the_metadata_block():
    assert zoom.meeting_start(zoom.parse_report(MEETING_WITH_METADATA.encode()).meta) == datetime.datetime(
        2022, 8, 24, 9, 55, 10
    )
    assert zoom.meeting_start(zoom.parse_report(MEETING_LOWERCASE.encode()).meta) == datetime.datetime(
        2022, 8, 24, 9, 55, 10
    )
    assert zoom.meeting_start(zoom.parse_report(WEBINAR.encode()).meta) == datetime.datetime(2022, 8, 24, 9, 55)
    assert zoom.meeting_start(zoom.parse_report(MEETING_ONLY.encode()).meta) is None


def test_semicolon_delimited_report_is_read():
    # Excel in locales whose decimal mark is a comma saves "CSV" with semicolons.
    data = MEETING_WITH_METADATA.replace(",", ";").encode("utf-8-sig")
    report = zoom.parse_report(data)
    assert report.variant == "meeting_with_metadata"
    assert report.rows[0].name == "Kumari Perera (K. Perera)"
    assert report.rows[1].leave == datetime.datetime(2022, 8, 24, 13, 1, 0)


def test_excel_unicode_text_export_utf16_tab_delimited_is_read():
    # Excel's "Unicode Text (*.txt)": UTF-16 LE with a BOM, tabs, times as Excel shows them.
    text = (
        "Name (Original Name)\tUser Email\tJoin Time\tLeave Time\tDuration (Minutes)\tGuest\r\n"
        '"Perera, Kumari"\tkumari@gov.lk\t8/24/2022 9:58\t8/24/2022 13:01\t183\tNo\r\n'
        "Ánh Nguyễn\t\t8/24/2022 10:00\t8/24/2022 13:00\t180\tNo\r\n"
    )
    report = zoom.parse_report(text.encode("utf-16"))
    assert [(r.name, r.email) for r in report.rows] == [("Perera, Kumari", "kumari@gov.lk"), ("Ánh Nguyễn", "")]
    assert report.rows[0].join == datetime.datetime(2022, 8, 24, 9, 58)


def test_xlsx_workbook_is_read():

    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["Meeting ID", "Topic", "Start Time", "End Time", "User Email", "Duration (Minutes)", "Participants"])
    sheet.append(
        ["812 3456 7890", "Day 1", datetime.datetime(2022, 8, 24, 9, 55), "08/24/2022 01:05:44 PM", "", 191, 2]
    )
    sheet.append([])
    sheet.append(["Name (Original Name)", "User Email", "Join Time", "Leave Time", "Duration (Minutes)", "Guest"])
    sheet.append(
        [
            "Kumari Perera",
            "kumari@gov.lk",
            datetime.datetime(2022, 8, 24, 9, 58, 2),
            "08/24/2022 01:01:00 PM",
            183,
            "No",
        ]
    )
    out = io.BytesIO()
    workbook.save(out)
    report = zoom.parse_report(out.getvalue())
    assert report.variant == "meeting_with_metadata"
    row = report.rows[0]
    assert (row.name, row.join, row.leave) == (
        "Kumari Perera",
        datetime.datetime(2022, 8, 24, 9, 58, 2),
        datetime.datetime(2022, 8, 24, 13, 1),
    )
    assert zoom.meeting_start(report.meta) == datetime.datetime(2022, 8, 24, 9, 55)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600, "Excel workbook in the old .xls format"),
        (b"PK\x03\x04" + b"\x00" * 100, "not an Excel workbook that can be read"),
    ],
)
def test_workbooks_that_cannot_be_read_say_how_to_export_csv(data, message):
    with pytest.raises(zoom.ReportError) as excinfo:
        zoom.parse_report(data)
    assert message in excinfo.value.message and "CSV" in excinfo.value.message
