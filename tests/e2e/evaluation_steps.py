"""The evaluation's steps of the role journeys (tests/e2e/test_workspace.py): the Secretariat prepares
it from the template, edits it, reads the results and each person's answers, and reminds; a
participant saves, comes back and submits."""

from playwright.sync_api import expect

from apopms.enums import OutboxCause
from apopms.models import AuditEntry, OutboxMessage
from evaluations import services
from tests.evaluations.helpers import every_answer

from .helpers import exactly, wait_until


def _click(page, name, *, scope=None, role="link"):
    (scope or page).get_by_role(role, name=name, exact=True).first.click()
    page.wait_for_load_state()


def secretariat_runs_the_evaluation(page, journey, project, people):
    """From the project's navigation: the questionnaire from the template, a question added, edited,
    moved and removed; two participants answer; the results (by country), the per-person view
    (audited), and the reminders to the two who have not answered, after the confirmation page."""
    _click(page, "Manage projects", scope=page.get_by_role("navigation", name="Main"))
    _click(page, project.title)
    _click(page, "Evaluation", scope=page.get_by_role("navigation", name=f"Project {project.code}"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("participants' evaluation")
    page.locator("input[name=source][value=template]").check()
    _click(page, "Create the questionnaire", role="button")
    expect(page.locator("#questions li")).to_have_count(10)  # digital, two days, no objectives stored
    journey.check(page, "evaluation-questionnaire")
    _click(page, "Add a question")
    page.get_by_label(exactly("Kind")).select_option(label="Free text")
    page.get_by_label(exactly("Question")).fill("Which case study would you like next time?")
    _click(page, "Save the question", role="button")
    expect(page.locator("#questions li")).to_have_count(11)
    _click(page, "Edit question 11")
    page.get_by_label(exactly("Question")).fill("Which case study would you like to see next time?")
    page.get_by_label("Participants must answer it").uncheck()
    _click(page, "Save the question", role="button")
    _click(page, "Move question 11 up", role="button")
    expect(page.locator("#questions li").nth(9)).to_contain_text("Which case study would you like to see next time?")
    _click(page, "Remove question 10", role="button")
    expect(page.locator("#questions li")).to_have_count(10)

    # Two of the four answer (as they would from My workshop; the participant's journey clicks it).
    for person in list(people.values())[:2]:
        services.save_evaluation(participant=person, actor=person.user, values=every_answer(project), submit=True)
    page.reload()
    expect(page.locator("#questionnaire-locked")).to_be_visible()
    _click(page, "Results")
    expect(page.locator("#response-counts")).to_contain_text("2 of 4")
    page.get_by_label("Break down by").select_option(label="Country")
    _click(page, "Show", role="button")
    expect(page.locator("table.breakdown").first).to_contain_text("Fewer than 3 answers: not shown")
    journey.check(page, "evaluation-results")
    _click(page, "Answers by person (recorded in the audit trail)")
    expect(page.get_by_role("heading", level=1)).to_have_text("Answers by person")
    assert AuditEntry.objects.filter(action="evaluations.answers.viewed", project=project).exists()
    page.go_back()
    _click(page, "Remind those who have not submitted", role="button")
    expect(page.locator("#consequence")).to_contain_text("the 2 participant(s) who have not submitted")
    _click(page, "Send the reminders", role="button")
    expect(page.get_by_text("A reminder is on its way to 2 participant(s).")).to_be_visible()
    wait_until(
        lambda: OutboxMessage.objects.filter(project=project, cause=OutboxCause.EVALUATION_REMINDER).count() == 2,
        message="the two reminders in the outbox",
    )


def participant_answers_the_evaluation(page, journey):
    """From My workshop: a first answer saved, then the rest, submitted; My workshop then thanks them."""
    page.get_by_role("link", name="Evaluate the workshop", exact=True).click()
    page.wait_for_load_state()
    expect(page.locator("#evaluation-privacy")).to_contain_text("Your answers are stored with your name")
    journey.check(page, "evaluation-form")
    names = page.eval_on_selector_all("input[type=radio]", "els => [...new Set(els.map(e => e.name))]")
    page.locator(f"input[name={names[0]}]").last.check()
    _click(page, "Save and come back later", role="button")
    expect(page.get_by_text("Your answers are saved.")).to_be_visible()
    _click(page, "My workshop", scope=page.get_by_role("navigation", name="Main"))
    _click(page, "Continue the evaluation")
    expect(page.locator(f"input[name={names[0]}]").last).to_be_checked()
    for name in names[1:]:
        page.locator(f"input[name={name}]").nth(1).check()
    page.locator("textarea").first.fill("The fishbone exercise, with my team on Monday.")
    _click(page, "Submit the evaluation", role="button")
    expect(page.get_by_text("Thank you: your evaluation is submitted.")).to_be_visible()
    expect(page.locator(".my-evaluation")).to_contain_text("You submitted your evaluation on")
