"""Every number of the report computed again here with plain ORM queries, and compared with the
figures, the XLSX cells (read back with openpyxl) and the PDF's text (pdftotext)."""

import io
import re
import subprocess
from collections import Counter

import pytest
from openpyxl import load_workbook

from apopms.models import ProjectRevision
from certificates.models import Certificate
from evaluations.models import Answer, Evaluation, Question
from nominations.enums import Gender, OrganizationType
from nominations.models import Nomination, Participant
from reports.figures import report_figures
from reports.pdf import render_report_pdf
from reports.xlsx import render_xlsx
from sessions.models import Attendance, ProgrammeVersion, ResourcePerson, Session

pytestmark = pytest.mark.django_db


def expected(project):
    """The report's numbers, from the database, written apart from reports.figures."""
    submitted = Nomination.objects.filter(project=project, status="submitted")
    per_country = Counter(submitted.values_list("country__name", "category"))
    active = Participant.objects.filter(project=project, status="active")
    sessions = list(Session.objects.filter(project=project).order_by("start_at"))
    attendance = {
        s.title: (
            Attendance.objects.filter(session=s, participant__in=active, present=True).count(),
            Attendance.objects.filter(session=s, participant__in=active, present=False).count(),
        )
        for s in sessions
    }
    attended = Counter(
        Attendance.objects.filter(participant=p, present=True).count() for p in active
    )  # {sessions attended: participants}
    questions = list(Question.objects.filter(questionnaire__project=project).order_by("position"))
    answers = Answer.objects.filter(evaluation__project=project, evaluation__submitted_at__isnull=False)
    rating = questions[0]
    ratings = list(answers.filter(question=rating).values_list("rating", flat=True))
    return {
        "nominations": {
            country: (per_country[(country, "overseas")], per_country[(country, "local")]) for country, _ in per_country
        },
        "nominations_total": submitted.count(),
        "nominations_withdrawn": Nomination.objects.filter(project=project, status="withdrawn").count(),
        "by_country": Counter(active.values_list("country__name", flat=True)),
        "by_gender": Counter(active.values_list("nomination__gender", flat=True)),
        "by_type": Counter(active.values_list("nomination__organization_type", flat=True)),
        "participants": active.count(),
        "withdrawn": Participant.objects.filter(project=project, status="withdrawn").count(),
        "sessions": len(sessions),
        "attendance": {
            title: (present, absent, active.count() - present - absent)
            for title, (present, absent) in attendance.items()
        },
        "attended": attended,
        "revisions": ProjectRevision.objects.filter(project=project).count(),
        "versions": ProgrammeVersion.objects.filter(project=project).count(),
        "speakers": ResourcePerson.objects.filter(project=project).count(),
        "honoraria": ResourcePerson.objects.filter(project=project, local_honorarium=True).count(),
        "certificates": {
            "issued": Certificate.objects.filter(project=project).count(),
            "valid": Certificate.objects.filter(project=project, revoked_at__isnull=True).count(),
            "revoked": Certificate.objects.filter(project=project, revoked_at__isnull=False).count(),
            "reissued": Certificate.objects.filter(project=project, replaces__isnull=False).count(),
        },
        "asked": active.count(),
        "submitted": Evaluation.objects.filter(project=project, submitted_at__isnull=False).count(),
        "ratings": Counter(ratings),
        "rating_average": sum(ratings) / len(ratings),
        "choices": Counter(answers.filter(question=questions[1]).exclude(choice="").values_list("choice", flat=True)),
        "texts": sorted(answers.filter(question=questions[2]).exclude(text="").values_list("text", flat=True)),
    }


def test_the_workshop_has_something_in_every_part(workshop):
    project, _ = workshop
    e = expected(project)
    # The fixture's own arithmetic, so that a mistake in it cannot make the comparisons vacuous.
    assert e["nominations"] == {"India": (3, 0), "Japan": (3, 0), "Philippines": (2, 0), "Sri Lanka": (0, 3)}
    assert (e["participants"], e["withdrawn"], e["sessions"]) == (7, 1, 3)
    assert e["attended"] == {3: 5, 2: 1, 1: 1}
    assert e["certificates"] == {"issued": 6, "valid": 5, "revoked": 1, "reissued": 1}
    assert (e["submitted"], e["ratings"]) == (4, {5: 1, 4: 2, 2: 1})


def test_figures_match_the_database(workshop):
    project, _ = workshop
    e = expected(project)
    f = report_figures(project)
    assert {country: tuple(counts) for country, counts, _ in f.nominations} == e["nominations"]
    assert (f.nominations_submitted, f.nominations_withdrawn) == (e["nominations_total"], e["nominations_withdrawn"])
    assert dict(f.participants_by_country) == e["by_country"]
    assert dict(f.participants_by_gender) == {g.label: e["by_gender"][g.value] for g in Gender}
    assert dict(f.participants_by_organization_type) == {OrganizationType(t).label: n for t, n in e["by_type"].items()}
    assert (f.participants, f.participants_withdrawn) == (e["participants"], e["withdrawn"])
    assert {s.title: (s.present, s.absent, s.not_recorded) for s in f.sessions} == e["attendance"]
    assert {k: n for k, n in f.attendance_distribution if n} == e["attended"]
    assert (len(f.revisions), len(f.programme_versions)) == (e["revisions"], e["versions"])
    assert (len(f.resource_persons), f.honoraria) == (e["speakers"], e["honoraria"])
    assert f.certificates == e["certificates"]
    evaluation = f.evaluation
    assert (evaluation.asked, evaluation.submitted) == (e["asked"], e["submitted"])
    rating, choice, text = evaluation.questions
    assert dict(rating.distribution) == {
        label: e["ratings"][point] for point, label in enumerate(rating.question.scale_labels, start=1)
    }
    assert rating.average == pytest.approx(e["rating_average"])
    assert {label: n for label, n in choice.distribution if n} == e["choices"]
    assert sorted(text.texts) == e["texts"]


def test_without_the_list_no_participant_is_named(workshop):
    project, people = workshop
    f = report_figures(project)
    assert (f.participant_list, f.attendance_by_participant, f.certificate_list) == (None, None, None)
    book = load_workbook(io.BytesIO(render_xlsx(f)))
    cells = " ".join(str(c) for sheet in book.worksheets for row in sheet.iter_rows(values_only=True) for c in row)
    assert [name for name in people if name in cells] == []
    assert "Participant list" not in book.sheetnames


def test_with_the_list_participants_are_named(workshop):
    project, _ = workshop
    f = report_figures(project, include_participants=True)
    active = Participant.objects.filter(project=project, status="active")
    assert sorted(r["name"] for r in f.participant_list) == sorted(active.values_list("certificate_name", flat=True))
    every = {
        p.certificate_name
        for p in active
        if Attendance.objects.filter(participant=p, present=True).count()
        == Session.objects.filter(project=project).count()
    }
    assert {r["name"] for r in f.attendance_by_participant if r["every"]} == every
    minutes = {r["name"]: r["minutes"] for r in f.attendance_by_participant}
    assert minutes["Maria Santos"] == (180 * 60 + 2 * 600) // 60
    assert [c["name"] for c in f.certificate_list] == list(
        Certificate.objects.filter(project=project)
        .order_by("serial")
        .values_list("snapshot__certificate_name", flat=True)
    )
    book = load_workbook(io.BytesIO(render_xlsx(f)))
    names = [row[0] for row in book["Participant list"].iter_rows(min_row=3, values_only=True) if row and row[0]]
    assert sorted(names) == sorted(active.values_list("certificate_name", flat=True))
    assert "Hiroshi Ito" not in names  # withdrawn


def tables(sheet):
    """{title: [rows after the header]} of a report sheet: a bold title row, a header row, rows, an empty row."""
    out, title, rows = {}, None, []
    for row in [*sheet.iter_rows(values_only=True), ()]:  # the sheet's last empty row is not stored
        values = [v for v in row if v is not None]
        if not values:
            if title is not None:
                out[title] = rows[1:]  # after the header row
            title, rows = None, []
        elif title is None:
            title = values[0]
        else:
            rows.append(list(row))
    return out


def test_the_spreadsheet_holds_the_same_numbers(workshop):
    project, _ = workshop
    e = expected(project)
    book = load_workbook(io.BytesIO(render_xlsx(report_figures(project))))
    nominations = tables(book["Nominations"])["Submitted nominations per country and category"]
    assert {r[0]: (r[1], r[2]) for r in nominations if r[0] != "Total"} == e["nominations"]
    assert [r for r in nominations if r[0] == "Total"] == [["Total", 8, 3, e["nominations_total"]]]
    participants = tables(book["Participants"])
    assert {r[0]: r[1] for r in participants["Participants by country"]} == e["by_country"]
    assert {r[0]: r[1] for r in participants["Participants by gender"]} == {
        g.label: e["by_gender"][g.value] for g in Gender
    }
    attendance = tables(book["Attendance"])
    assert {r[0]: tuple(r[1:4]) for r in attendance["Attendance per session"]} == e["attendance"]
    assert "Attendance per participant" not in attendance
    certificates = {r[0]: r[1] for r in tables(book["Certificates"])["Certificates"]}
    assert certificates == {k.capitalize(): v for k, v in e["certificates"].items()}
    evaluation = tables(book["Evaluation"])
    q1 = {r[0]: r[1] for r in evaluation["Q1. Overall, how satisfied are you with the workshop?"]}
    assert (q1["Excellent"], q1["Good"], q1["Poor"], q1["Answers"]) == (1, 2, 1, 4)
    assert q1["Average"] == round(e["rating_average"], 2)
    q3 = evaluation["Q3. What will you apply in your organization?"]
    assert sorted(r[1] for r in q3 if r[0] == "Answer") == e["texts"]
    summary = {r[0]: r[1] for r in tables(book["Summary"])["Summary"]}
    assert summary["Participants"] == e["participants"]
    assert summary["Local honoraria"] == e["honoraria"]
    assert summary["Evaluations submitted"] == f"{e['submitted']} of {e['asked']}"


def pdf_text(content, tmp_path):
    path = tmp_path / "report.pdf"
    path.write_bytes(content)
    out = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True).stdout
    return re.sub(r"[ \t]+", " ", out)


@pytest.mark.poppler
def test_the_pdf_states_the_same_numbers(workshop, tmp_path):
    project, people = workshop
    e = expected(project)
    text = pdf_text(render_report_pdf(report_figures(project)), tmp_path)
    front = text.split("\f")[0]
    assert f"Participants {e['participants']}" in front
    assert f"Certificates revoked {e['certificates']['revoked']}" in front
    assert f"Evaluations submitted {e['submitted']} of {e['asked']}" in front
    assert "aggregates only" in front
    for country, (overseas, local) in e["nominations"].items():
        assert f"{country} {overseas} {local} {overseas + local}" in text
    for title, (present, absent, missing) in e["attendance"].items():
        assert f"{title} {present} {absent} {missing}" in text
    assert f"{e['submitted']} of {e['asked']} participants submitted the evaluation" in text
    assert f"average {e['rating_average']:.2f}" in text
    for answer_text in e["texts"]:
        assert answer_text in " ".join(text.split())
    assert [name for name in people if name in text] == []


@pytest.mark.poppler
def test_the_pdf_with_the_list_names_the_participants(workshop, tmp_path):
    project, people = workshop
    text = pdf_text(render_report_pdf(report_figures(project, include_participants=True)), tmp_path)
    assert "8. Participant list" in text
    named = {name for name in people if name in text}
    assert named == set(people) - {"Hiroshi Ito"}
