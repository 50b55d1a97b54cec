"""The evaluation's pages: who may open them, the participant's form, the results without names,
the audited per-person view, the reminders, and constant queries."""

import re

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

from apopms.enums import OutboxCause
from apopms.models import AuditEntry, OutboxMessage
from evaluations import services
from evaluations.models import Answer, Evaluation
from tests import factories
from tests.certificates.conftest import attendee, finished_project
from tests.confirm import confirmed
from tests.permissions import LOGIN, SECRETARIAT_ONLY, assert_matrix, role_users

from .helpers import answer, participant, questionnaire

pytestmark = pytest.mark.django_db


@pytest.fixture
def project(secretariat):
    project = finished_project(sessions=2)
    services.set_up_questionnaire(project=project, actor=secretariat, source="blank")
    services.add_question(project=project, actor=secretariat, kind="rating", text="Overall?")
    services.add_question(
        project=project, actor=secretariat, kind="choice", text="Length?", choices=["Short", "Right", "Long"]
    )
    services.add_question(project=project, actor=secretariat, kind="text", text="Apply?", required=False)
    return project


@pytest.fixture
def users(project):
    users = role_users(project)
    users["other_participant"] = attendee(project, iso2="JP").user
    return users


def url(name, project, *args):
    return reverse(f"evaluations:{name}", args=[project.code, *args])


def test_secretariat_pages_permissions(client, users, project):
    question = project.questionnaire.questions.first()
    for name, args in (
        ("manage", ()),
        ("question_create", ()),
        ("question_edit", (question.pk,)),
        ("results", ()),
        ("by_person", ()),
    ):
        assert_matrix(client, url(name, project, *args), users, SECRETARIAT_ONLY)


def test_secretariat_posts_permissions(client, users, project):
    question = project.questionnaire.questions.first()
    expected = {k: v for k, v in SECRETARIAT_ONLY.items() if k != "secretariat"}
    for name, args in (
        ("setup", ()),
        ("question_delete", (question.pk,)),
        ("question_move", (question.pk,)),
        ("remind", ()),
    ):
        assert_matrix(client, url(name, project, *args), users, expected, method="post", data={"source": "blank"})
    assert project.questionnaire.questions.count() == 3
    assert not OutboxMessage.objects.exists()


def test_answer_page_permissions(client, users, project):
    assert_matrix(
        client,
        url("answer", project),
        users,
        {
            "anonymous": LOGIN,
            "own_npo": 403,
            "other_npo": 403,
            "implementer": 403,
            "secretariat": 403,
            "participant": 200,
            "other_participant": 200,  # their own evaluation, not the other's
        },
    )


def test_participant_saves_comes_back_and_submits_from_the_form(client, project):
    person = attendee(project)
    rating, choice, comment = project.questionnaire.questions.order_by("position")
    client.force_login(person.user)
    page = client.get(url("answer", project)).content.decode()
    assert "Your answers are stored with your name" in page
    assert "Your certificate of attendance does not depend on the evaluation" in page
    client.post(url("answer", project), {f"q{rating.pk}": "4", "action": "save"})
    page = client.get(url("answer", project)).content.decode()
    assert re.search(rf'name="q{rating.pk}" value="4"[^>]*checked', page)  # the saved answer, back
    assert Evaluation.objects.get().submitted_at is None
    response = client.post(url("answer", project), {f"q{rating.pk}": "4", "action": "submit"})
    assert "Answer “Length?” before submitting" in response.content.decode()
    response = client.post(
        url("answer", project),
        {f"q{rating.pk}": "5", f"q{choice.pk}": "Right", f"q{comment.pk}": "Kaizen boards", "action": "submit"},
    )
    assert response.status_code == 302
    assert Evaluation.objects.get().submitted_at is not None
    my_workshop = client.get(reverse("agenda:my_workshop")).content.decode()
    assert "You submitted your evaluation on" in my_workshop
    client.post(url("answer", project), {f"q{rating.pk}": "1", "action": "save"})
    assert Answer.objects.get(question=rating).rating == 5


def test_my_workshop_offers_the_evaluation_only_after_the_end(client, secretariat):
    ended = finished_project()
    services.set_up_questionnaire(project=ended, actor=secretariat, source="template")
    person = attendee(ended)
    client.force_login(person.user)
    assert "Evaluate the workshop" in client.get(reverse("agenda:my_workshop")).content.decode()
    upcoming = finished_project(days_ago=-3)
    services.set_up_questionnaire(project=upcoming, actor=secretariat, source="template")
    later = attendee(upcoming)
    client.force_login(later.user)
    assert "Evaluate the workshop" not in client.get(reverse("agenda:my_workshop")).content.decode()
    assert "opens after the last session" in client.get(url("answer", upcoming)).content.decode()


def test_results_show_answers_together_without_names(client, project, secretariat):
    people = [participant(project, "IN", certificate_name=f"Person {n}") for n in range(3)]
    people.append(participant(project, "JP", gender="male", certificate_name="Lone Voice"))
    for person, words in zip(people, ["Fishbone", "5S", "Kanban", "Only me here"], strict=True):
        answer(person, [4, "Right", words])
    client.force_login(secretariat)
    page = client.get(url("results", project)).content.decode()
    assert "4 of 4" in page
    assert "Only me here" in page and "Fishbone" in page
    assert "Person 0" not in page and "Lone Voice" not in page
    page = client.get(url("results", project) + "?by=country").content.decode()
    assert "India" in page and "Japan" in page
    assert "Fewer than 3 answers: not shown" in page
    assert not AuditEntry.objects.filter(action="evaluations.answers.viewed").exists()


def test_each_question_is_named_once_with_its_chart_captioned_shortly(client, project, secretariat):
    answer(participant(project, "IN"), [4, "Right", "Kanban"])
    client.force_login(secretariat)
    page = client.get(url("results", project)).content.decode()
    # What is read on the page: not the charts' own names nor the tables' hidden captions (for readers).
    visible = re.sub(r'<svg .*?</svg>|<caption class="visually-hidden">.*?</caption>', "", page, flags=re.S)
    assert visible.count("Length?") == 1 and visible.count("Overall?") == 1
    assert page.count(">Answers by option</figcaption>") == 2


def test_per_person_view_names_people_and_is_audited(client, project, secretariat):
    person = participant(project, "IN", certificate_name="Ravi Kumar")
    answer(person, [2, "Long", "Too many slides"])
    client.force_login(secretariat)
    page = client.get(url("by_person", project)).content.decode()
    assert "Ravi Kumar" in page and "Too many slides" in page
    entry = AuditEntry.objects.get(action="evaluations.answers.viewed")
    assert entry.actor == secretariat and entry.project == project


def test_reminders_ask_first_then_go_to_those_who_have_not_submitted(
    client, project, secretariat, django_capture_on_commit_callbacks
):
    done = participant(project, "IN")
    answer(done, [5, "Right", ""])
    draft = participant(project, "JP")
    answer(draft, [3, None, ""], submitted=False)
    silent = participant(project, "LK")
    participant(project, "PH", status="withdrawn")
    client.force_login(secretariat)
    remind = url("remind", project)
    asked = client.post(remind).content.decode()
    assert "An e-mail goes to the 2 participant(s) who have not submitted" in asked
    assert not OutboxMessage.objects.exists()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(remind, confirmed(secretariat, remind))
        client.post(remind, confirmed(secretariat, remind))  # the same day: nobody twice
    rows = OutboxMessage.objects.filter(cause=OutboxCause.EVALUATION_REMINDER)
    assert sorted(rows.values_list("recipient", flat=True)) == sorted([draft.user.email, silent.user.email])
    assert AuditEntry.objects.filter(action="evaluations.reminder.sent").count() == 1


def test_editing_is_refused_once_answers_exist(client, project, secretariat):
    answer(participant(project), [3, "Right", ""], submitted=False)
    client.force_login(secretariat)
    page = client.get(url("manage", project)).content.decode()
    assert "can no longer change" in page and "Add a question" not in page
    response = client.post(url("question_create", project), {"kind": "text", "text": "More?"})
    assert "can no longer change" in response.content.decode()
    assert project.questionnaire.questions.count() == 3


def test_secretariat_starts_from_the_template_on_the_page(client, secretariat):
    project = finished_project(sessions=2)
    client.force_login(secretariat)
    client.post(url("setup", project), {"source": "template"})
    assert project.questionnaire.questions.count() > 5
    # Replacing existing questions asks first.
    asked = client.post(url("setup", project), {"source": "blank"})
    assert "are replaced by the new ones" in asked.content.decode()
    assert project.questionnaire.questions.count() > 5
    client.post(url("setup", project), confirmed(secretariat, url("setup", project), {"source": "blank"}))
    assert project.questionnaire.questions.count() == 0


# The request (session, user, roles), the questions, the answers, the counts; one breakdown per chart.
RESULTS_QUERIES = 8
BY_PERSON_QUERIES = 11  # with the audit entry (its content type, its insert in a savepoint)


@pytest.mark.parametrize("rows", [2, 8])
def test_results_and_per_person_queries_do_not_grow(client, project, secretariat, django_assert_num_queries, rows):
    for n in range(rows):
        answer(participant(project, ("IN", "JP")[n % 2]), [n % 5 + 1, "Right", f"words {n}"])
    client.force_login(secretariat)
    with django_assert_num_queries(RESULTS_QUERIES + 2):
        assert client.get(url("results", project) + "?by=gender").status_code == 200
    ContentType.objects.clear_cache()  # the same count whichever test ran before
    with django_assert_num_queries(BY_PERSON_QUERIES):
        response = client.get(url("by_person", project))
    assert len(response.context["evaluations"]) == rows


def test_questionnaire_helper_builds_questions(project):
    other = factories.ProjectFactory()
    questionnaire(other, ("text", "Anything?"))
    assert other.questionnaire.questions.get().text == "Anything?"


def test_the_hub_summarises_the_evaluation_for_the_secretariat_only(client, project, secretariat):
    for rating in (5, 4):
        answer(participant(project), [rating, "Right", ""])
    participant(project)  # has not answered
    client.force_login(secretariat)
    hub = client.get(reverse("workspace:hub", args=[project.code])).content.decode()
    step = hub.split('id="step-evaluation"')[1].split("</li>")[0]
    assert "2 of 3" in step and "4.5 of 5" in step and "1 participant to answer; remind them." in step
    assert "Evaluation: average rating per question" in hub
    client.force_login(factories.implementer(project))
    hub = client.get(reverse("workspace:hub", args=[project.code])).content.decode()
    assert 'id="step-evaluation"' not in hub and "Evaluation: average rating" not in hub
    assert reverse("evaluations:manage", args=[project.code]) not in hub
