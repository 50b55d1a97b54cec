"""The end of a workshop in the browser: a participant answers the evaluation; the Secretariat
generates the end-of-project report, waits for the worker, and downloads it.

The PDF's pages are rendered to PNG (pdftoppm) beside the screenshots, in
tests/e2e/screenshots/<test name>/report-pdf-page-NN.png, to be looked at.
"""

import io
import subprocess

import pytest
from openpyxl import load_workbook
from playwright.sync_api import expect

from evaluations import selectors as evaluation_selectors
from evaluations.enums import QuestionKind
from evaluations.services import save_evaluation, set_up_questionnaire
from reports.models import ReportVersion
from tests import factories
from tests.reports.workshop import build_workshop

from .test_workspace import click

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.celery_worker,
    pytest.mark.django_db(transaction=True),
]

# What the others answered (through the service): varied, in their own words.
OTHERS = {
    "Ravi Kumar": (4, "About right", "Value stream mapping of our permit process, starting next month."),
    "Kenji Sato": (5, "Too short", "The 5S audit sheet for our regional offices."),
    "Nimal Perera": (3, "About right", "Kaizen events with the NPO's consultants; we lacked time for the cases."),
    "Maria Santos": (2, "Too long", ""),
}


def _answers(questions, rating, choice, text):
    values = {}
    for index, q in enumerate(questions):
        if q.kind == QuestionKind.RATING:
            values[q.pk] = str(max(1, min(5, rating - index % 2)))
        elif q.kind == QuestionKind.CHOICE:
            values[q.pk] = choice
        else:
            values[q.pk] = text if index == len(questions) - 2 else ""
    return values


def evaluated_workshop():
    project, people = build_workshop(evaluation=False)
    admin = factories.secretariat_user(email="admin@apo.example", full_name="Aiko Yamamoto")
    set_up_questionnaire(project=project, actor=admin, source="template")
    questions = evaluation_selectors.questions(project)
    for name, (rating, choice, text) in OTHERS.items():
        participant = people[name]
        save_evaluation(
            participant=participant,
            actor=participant.user,
            values=_answers(questions, rating, choice, text),
            submit=True,
        )
    return project, people, questions


def _radio(page, question, value):
    """The option `value` of a question's radio buttons (the group is named by the question's text)."""
    return page.get_by_role("group", name=question.text).locator(f"input[type=radio][value='{value}']")


def participant_answers(journey, page, participant, questions):
    """My workshop -> the evaluation: some answers, saved; back later, the rest, submitted."""
    journey.login(page, participant.user.email)
    click(page, "My workshop", scope=page.get_by_role("navigation", name="Main"))
    click(page, "Evaluate the workshop")
    expect(page.locator("#evaluation-privacy")).to_contain_text("can be linked to you")
    first, rest = questions[:2], questions[2:]
    for q in first:
        _radio(page, q, "5").check()
    click(page, "Save and come back later", role="button")
    expect(page.get_by_text("Your answers are saved.")).to_be_visible()
    click(page, "My workshop", scope=page.get_by_role("navigation", name="Main"))
    click(page, "Continue the evaluation")
    for q in rest:
        if q.kind == QuestionKind.RATING:
            _radio(page, q, "4").check()
        elif q.kind == QuestionKind.CHOICE:
            _radio(page, q, "About right").check()
    page.get_by_label("What will you apply in your work").fill(
        "A daily huddle board in my division, and the waste walk with my team."
    )
    page.get_by_label("Any other comments or suggestions").fill("Please share the case study slides.")
    journey.check(page, "evaluation-answered", phone=True)
    click(page, "Submit the evaluation", role="button")
    expect(page.get_by_text("Thank you: your evaluation is submitted.")).to_be_visible()
    journey.logout(page)


def render_pages(pdf_bytes, folder):
    """The PDF's pages as PNG in `folder` (report-pdf-page-01.png, ...); their paths."""
    pdf = folder / "report.pdf"
    pdf.write_bytes(pdf_bytes)
    subprocess.run(["pdftoppm", "-png", "-r", "80", str(pdf), str(folder / "report-pdf-page")], check=True)
    return sorted(folder.glob("report-pdf-page-*.png"))


def test_participant_evaluates_and_the_secretariat_downloads_the_report(journey):
    project, people, questions = evaluated_workshop()
    page = journey.new_page()
    participant_answers(journey, page, people["Anjali Sharma"], questions)
    assert evaluation_selectors.response_counts(project) == (7, 5)

    journey.login(page, "admin@apo.example")
    page.get_by_role("link", name=project.code).first.click()
    page.wait_for_load_state()
    click(page, "End-of-project report", scope=page.locator("#step-certificates"))
    journey.check(page, "report")
    click(page, "Generate the report", role="button")
    expect(page.locator("#report-progress")).to_contain_text("Version 1")
    download_link = page.get_by_role("link", name="PDF of version 1")
    expect(download_link).to_be_visible(timeout=120_000)  # the worker made it; the page reloaded itself
    with page.expect_download() as download:
        download_link.click()
    pdf_bytes = download.value.path().read_bytes()
    assert pdf_bytes.startswith(b"%PDF")
    pages = render_pages(pdf_bytes, journey.folder)
    assert len(pages) >= 7
    text = subprocess.run(
        ["pdftotext", "-layout", str(journey.folder / "report.pdf"), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "5 of 7 participants submitted the evaluation" in text
    assert "Please share the case study slides." in " ".join(text.split())
    assert "Anjali Sharma" not in text  # aggregates only

    # Again, with the participant list: a second version, whose spreadsheet names them.
    page.get_by_label("Include the participant list").check()
    click(page, "Generate the report", role="button")
    xlsx_link = page.get_by_role("link", name="XLSX of version 2")
    expect(xlsx_link).to_be_visible(timeout=120_000)
    journey.check(page, "report-versions")
    with page.expect_download() as download:
        xlsx_link.click()
    book = load_workbook(io.BytesIO(download.value.path().read_bytes()))
    names = [row[0] for row in book["Participant list"].iter_rows(min_row=3, values_only=True) if row[0]]
    assert "Anjali Sharma" in names
    assert list(ReportVersion.objects.filter(project=project).values_list("number", "include_participants")) in (
        [(1, False), (2, True)],
        [(2, True), (1, False)],
    )
