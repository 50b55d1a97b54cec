"""The report as a workbook (openpyxl): one sheet per part, each part a titled table, from `Figures`.

Each table is a bold title row, a header row, its rows and one empty row, so a reader (or a test)
finds a part by its title in column A. Dates and times are written as naive values in the
project's zone (a spreadsheet cell has no zone; the Project sheet names it).
"""

import io

from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

BOLD = Font(bold=True)


def _naive(value):
    return value.replace(tzinfo=None) if getattr(value, "tzinfo", None) else value


def _table(sheet, title, headers, rows):
    sheet.append([title])
    sheet.cell(row=sheet.max_row, column=1).font = BOLD
    if headers:
        sheet.append(headers)
        for cell in sheet[sheet.max_row]:
            cell.font = BOLD
    for row in rows:
        sheet.append([_naive(value) for value in row])
    sheet.append([])


def _widths(sheet):
    for index, column in enumerate(sheet.iter_cols(values_only=True), start=1):
        width = max((len(str(v)) for v in column if v is not None), default=8)
        sheet.column_dimensions[get_column_letter(index)].width = min(max(width + 2, 10), 60)


def _project_sheet(book, f):
    sheet = book.create_sheet("Project")
    p = f.project
    _table(
        sheet,
        "Project as notified",
        ["Field", "Value"],
        [
            ("Code", p["code"]),
            ("Title", p["title"]),
            ("Modality", p["modality"]),
            ("Host country", p["host"]),
            ("Venue", p["venue"]),
            ("Start date", p["start_date"]),
            ("End date", p["end_date"]),
            ("Time zone", p["time_zone"]),
            ("Implementing organizations", "; ".join(p["implementing_organizations"])),
            ("Nominating countries", ", ".join(p["countries"])),
            ("Participants", p["quotas"]),
            ("Notification issued", p["notification_issued_at"]),
            ("Selection published", p["selection_published_at"]),
        ],
    )
    _table(
        sheet,
        "Revisions of the notification",
        ["Revision", "Made", "Changes", "Note"],
        [(r["number"], r["at"], "\n".join(r["changes"]), r["note"]) for r in f.revisions],
    )


def _nominations_sheet(book, f):
    sheet = book.create_sheet("Nominations")
    labels = [label for _, label in f.categories]
    rows = [(country, *counts, total) for country, counts, total in f.nominations]
    totals = [sum(counts[i] for _, counts, _ in f.nominations) for i in range(len(labels))]
    rows.append(("Total", *totals, f.nominations_submitted))
    _table(sheet, "Submitted nominations per country and category", ["Country", *labels, "Total"], rows)
    _table(sheet, "Withdrawn nominations", ["Withdrawn"], [(f.nominations_withdrawn,)])


def _participants_sheet(book, f):
    sheet = book.create_sheet("Participants")
    _table(sheet, "Participants by country", ["Country", "Participants"], f.participants_by_country)
    _table(sheet, "Participants by gender", ["Gender", "Participants"], f.participants_by_gender)
    _table(
        sheet,
        "Participants by organization type",
        ["Organization type", "Participants"],
        f.participants_by_organization_type,
    )
    _table(sheet, "Participants withdrawn", ["Withdrawn"], [(f.participants_withdrawn,)])


def _programme_sheet(book, f):
    sheet = book.create_sheet("Programme")
    _table(
        sheet,
        "Sessions as delivered",
        ["Session", "Start", "End", "Room", "Agenda items"],
        [(s.title, s.start, s.end, s.room, len(s.items)) for s in f.sessions],
    )
    _table(
        sheet,
        "Agenda",
        ["Session", "Time", "Kind", "Title", "Speakers"],
        [(s.title, *item) for s in f.sessions for item in s.items],
    )
    _table(
        sheet,
        "Programme versions",
        ["Version", "Published", "Changes", "Note", "With participants"],
        [
            (v["number"], v["published_at"], v["changes"], v["note"], "yes" if v["with_participants"] else "no")
            for v in f.programme_versions
        ],
    )
    _table(
        sheet,
        "Resource persons",
        ["Name", "Title", "Organization", "Country", "Overseas or local", "APO honorarium"],
        [
            (r["name"], r["title"], r["organization"], r["country"], r["category"], "yes" if r["honorarium"] else "no")
            for r in f.resource_persons
        ],
    )


def _attendance_sheet(book, f):
    sheet = book.create_sheet("Attendance")
    _table(
        sheet,
        "Attendance per session",
        ["Session", "Present", "Absent", "Not recorded"],
        [(s.title, s.present, s.absent, s.not_recorded) for s in f.sessions],
    )
    _table(
        sheet,
        "Participants by sessions attended",
        ["Sessions attended", "Participants"],
        f.attendance_distribution,
    )
    if f.attendance_by_participant is not None:
        _table(
            sheet,
            "Attendance per participant",
            ["Participant", "Country", "Sessions present", "Minutes", "Every session"],
            [
                (r["name"], r["country"], r["present"], r["minutes"], "yes" if r["every"] else "no")
                for r in f.attendance_by_participant
            ],
        )


def _certificates_sheet(book, f):
    sheet = book.create_sheet("Certificates")
    c = f.certificates
    _table(
        sheet,
        "Certificates",
        ["", "Number"],
        [("Issued", c["issued"]), ("Valid", c["valid"]), ("Revoked", c["revoked"]), ("Reissued", c["reissued"])],
    )
    if f.certificate_list is not None:
        _table(
            sheet,
            "Certificates issued",
            ["Number", "Name", "Issued", "Revoked", "Reason", "Replaces"],
            [
                (c["number"], c["name"], c["issued_at"], c["revoked_at"], c["reason"], c["replaces"])
                for c in f.certificate_list
            ],
        )


def _evaluation_sheet(book, f):
    sheet = book.create_sheet("Evaluation")
    evaluation = f.evaluation
    if evaluation is None:
        _table(sheet, "Evaluation", [], [("The portal held no evaluation for this project.",)])
        return
    _table(sheet, "Evaluation", ["Asked", "Submitted"], [(evaluation.asked, evaluation.submitted)])
    for number, result in enumerate(evaluation.questions, start=1):
        title = f"Q{number}. {result.question.text}"
        rows = [(label, count) for label, count in result.distribution]
        rows.append(("Answers", result.answers))
        if result.average is not None:
            rows.append(("Average", round(result.average, 2)))
        rows.extend(("Answer", text) for text in result.texts)
        _table(sheet, title, ["", "Number"] if result.distribution else ["", "Text"], rows)


def render_xlsx(figures):
    """The workbook's bytes."""
    book = Workbook()
    summary = book.active
    summary.title = "Summary"
    p = figures.project
    _table(
        summary,
        f"{p['code']} {p['title']}: end-of-project report",
        [],
        [
            ("Generated", figures.generated_at),
            ("Participant names", "included" if figures.include_participants else "not included (aggregates only)"),
        ],
    )
    _table(summary, "Summary", ["", "Number"], figures.summary)
    _project_sheet(book, figures)
    _nominations_sheet(book, figures)
    _participants_sheet(book, figures)
    _programme_sheet(book, figures)
    _attendance_sheet(book, figures)
    _certificates_sheet(book, figures)
    _evaluation_sheet(book, figures)
    if figures.participant_list is not None:
        sheet = book.create_sheet("Participant list")
        _table(
            sheet,
            "Participant list",
            ["Name", "Country", "Gender", "Organization type", "Organization"],
            [
                (r["name"], r["country"], r["gender"], r["organization_type"], r["organization"])
                for r in figures.participant_list
            ],
        )
    for sheet in book.worksheets:
        _widths(sheet)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
