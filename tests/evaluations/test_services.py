"""The questionnaire (template, clone, edits, the lock) and a participant's answers (save, submit once)."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils import timezone

from apopms.enums import Modality
from apopms.exceptions import DomainError
from apopms.models import AuditEntry
from evaluations import selectors, services
from evaluations.enums import QuestionKind
from evaluations.models import Answer, Evaluation, Question
from tests import factories
from tests.certificates.conftest import attendee, finished_project

pytestmark = pytest.mark.django_db

OBJECTIVES = (
    "a. Examine existing performance management systems.\n\n"
    "b. Explore recent advances in frameworks and tools.\n\n"
    "c. Formulate strategic plans."
)


def texts(project):
    return [q.text for q in selectors.questions(project)]


def test_template_asks_each_objective_session_and_the_digital_delivery(secretariat):
    project = finished_project(sessions=2, objectives=OBJECTIVES)
    services.set_up_questionnaire(project=project, actor=secretariat, source="template")
    asked = texts(project)
    assert asked[0] == "Overall, how satisfied are you with the workshop?"
    assert asked[1:4] == [
        "Was this objective achieved? Examine existing performance management systems.",
        "Was this objective achieved? Explore recent advances in frameworks and tools.",
        "Was this objective achieved? Formulate strategic plans.",
    ]
    assert "How useful was Day 1?" in asked and "How useful was Day 2?" in asked
    assert [q.session.title for q in selectors.questions(project) if q.session] == ["Day 1", "Day 2"]
    assert "How would you rate the resource persons?" in asked
    assert any(text.startswith("How well did the digital delivery work") for text in asked)
    assert "What will you apply in your work from this workshop?" in asked
    ratings = [q for q in selectors.questions(project) if q.kind == QuestionKind.RATING]
    assert all(len(q.scale_labels) == 5 for q in ratings)


def test_template_without_objectives_asks_one_generic_and_in_person_no_digital_delivery(secretariat):
    project = finished_project(sessions=1, objectives="", modality=Modality.IN_PERSON)
    services.set_up_questionnaire(project=project, actor=secretariat, source="template")
    asked = texts(project)
    assert "How far were the objectives of the workshop achieved?" in asked
    assert not any("digital delivery" in text for text in asked)


def test_clone_copies_the_previous_projects_questions_and_maps_sessions(secretariat):
    earlier = finished_project(days_ago=400, sessions=3)
    services.set_up_questionnaire(project=earlier, actor=secretariat, source="blank")
    services.add_question(
        project=earlier,
        actor=secretariat,
        kind="rating",
        text="How useful was Day 2?",
        session=earlier.sessions.get(title="Day 2"),
    )
    services.add_question(
        project=earlier,
        actor=secretariat,
        kind="rating",
        text="How useful was Day 3?",
        session=earlier.sessions.get(title="Day 3"),
    )
    services.add_question(project=earlier, actor=secretariat, kind="choice", text="Pace?", choices=["Slow", "Fast"])
    project = finished_project(sessions=2)
    project.sessions.filter(title="Day 2").update(title="Day 2: Tools")
    assert services.previous_project(project) == earlier
    services.set_up_questionnaire(project=project, actor=secretariat, source="previous")
    questions = selectors.questions(project)
    assert [q.text for q in questions] == ["How useful was Day 2: Tools?", "Pace?"]  # Day 3 has no counterpart
    assert questions[0].session.project == project
    assert questions[1].choices == ["Slow", "Fast"]
    entry = AuditEntry.objects.get(action="evaluations.questionnaire.created", project=project)
    assert entry.details["source"] == f"cloned from the previous project {earlier.code}"


def test_clone_without_an_earlier_questionnaire_says_so(secretariat):
    project = finished_project()
    with pytest.raises(DomainError, match="No earlier project"):
        services.set_up_questionnaire(project=project, actor=secretariat, source="previous")


def test_questions_are_checked_and_ordered(secretariat):
    project = finished_project()
    with pytest.raises(DomainError, match="five points") as error:
        services.add_question(project=project, actor=secretariat, kind="rating", text="Q", scale_labels=["a", "b"])
    assert error.value.field == "scale_labels"
    with pytest.raises(DomainError, match="at least two options"):
        services.add_question(project=project, actor=secretariat, kind="choice", text="Q", choices=["only"])
    other_session = factories.SessionFactory()
    with pytest.raises(DomainError, match="session of this project"):
        services.add_question(project=project, actor=secretariat, kind="rating", text="Q", session=other_session)
    first = services.add_question(project=project, actor=secretariat, kind="rating", text="First")
    services.add_question(project=project, actor=secretariat, kind="text", text="Second")
    third = services.add_question(project=project, actor=secretariat, kind="text", text="Third")
    services.move_question(question=third, actor=secretariat, up=True)
    assert texts(project) == ["First", "Third", "Second"]
    services.delete_question(question=first, actor=secretariat)
    assert texts(project) == ["Third", "Second"]
    assert list(Question.objects.order_by("position").values_list("position", flat=True)) == [1, 2]


def test_only_the_secretariat_defines_the_questionnaire():
    project = finished_project()
    for user in (factories.npo_officer("IN"), factories.implementer(project), attendee(project).user):
        with pytest.raises(PermissionDenied):
            services.set_up_questionnaire(project=project, actor=user, source="template")
    assert not selectors.questions(project)


@pytest.fixture
def evaluated(secretariat):
    project = finished_project(sessions=2)
    services.set_up_questionnaire(project=project, actor=secretariat, source="blank")
    rating = services.add_question(project=project, actor=secretariat, kind="rating", text="Overall?")
    choice = services.add_question(
        project=project, actor=secretariat, kind="choice", text="Length?", choices=["Short", "Right", "Long"]
    )
    comment = services.add_question(project=project, actor=secretariat, kind="text", text="Apply?", required=False)
    return project, (rating, choice, comment)


def test_a_participant_saves_comes_back_and_submits_once(evaluated):
    project, (rating, choice, comment) = evaluated
    participant = attendee(project)
    user = participant.user
    evaluation = services.save_evaluation(participant=participant, actor=user, values={rating.pk: "4"})
    assert evaluation.submitted_at is None
    assert selectors.results(project)[0].answers == 0  # a draft is not counted
    with pytest.raises(DomainError, match="Answer “Length\\?” before submitting") as error:
        services.save_evaluation(participant=participant, actor=user, values={rating.pk: "4"}, submit=True)
    assert error.value.field == f"q{choice.pk}"
    assert Evaluation.objects.get().submitted_at is None
    services.save_evaluation(
        participant=participant,
        actor=user,
        values={rating.pk: "5", choice.pk: "Right", comment.pk: " 5S "},
        submit=True,
    )
    assert dict(Answer.objects.values_list("question__text", "rating")) == {
        "Overall?": 5,
        "Length?": None,
        "Apply?": None,
    }
    assert selectors.results(project)[2].texts == ["5S"]
    with pytest.raises(DomainError, match="already submitted"):
        services.save_evaluation(participant=participant, actor=user, values={rating.pk: "1"})
    assert Answer.objects.get(question=rating).rating == 5
    assert list(
        AuditEntry.objects.filter(action__startswith="evaluations.evaluation")
        .values_list("action", flat=True)
        .order_by("pk")
    ) == ["evaluations.evaluation.saved", "evaluations.evaluation.submitted"]


def test_bad_answers_name_the_question_and_save_nothing(evaluated):
    project, (rating, choice, _) = evaluated
    participant = attendee(project)
    with pytest.raises(DomainError, match="“Length\\?”: choose one of the options") as error:
        services.save_evaluation(
            participant=participant, actor=participant.user, values={rating.pk: "3", choice.pk: "Huge"}
        )
    assert error.value.field == f"q{choice.pk}"
    with pytest.raises(DomainError, match="five points"):
        services.save_evaluation(participant=participant, actor=participant.user, values={rating.pk: "6"})
    assert not Answer.objects.exists() and not Evaluation.objects.exists()


def test_the_evaluation_opens_after_the_last_session(secretariat):
    project = finished_project(days_ago=-5)  # starts in five days
    services.set_up_questionnaire(project=project, actor=secretariat, source="template")
    participant = attendee(project)
    with pytest.raises(DomainError, match="after the last session"):
        services.save_evaluation(participant=participant, actor=participant.user, values={})


def test_only_the_participant_answers_their_own(evaluated):
    project, (rating, *_) = evaluated
    participant = attendee(project)
    for user in (attendee(project).user, factories.secretariat_user(), factories.npo_officer("IN")):
        with pytest.raises(PermissionDenied):
            services.save_evaluation(participant=participant, actor=user, values={rating.pk: "1"})


def test_one_evaluation_per_participant_in_the_database(evaluated):
    project, _ = evaluated
    participant = attendee(project)
    Evaluation.objects.create(project=project, participant=participant)
    with pytest.raises(IntegrityError), transaction.atomic():
        Evaluation.objects.create(project=project, participant=participant)


def test_answers_lock_the_questionnaire(evaluated, secretariat):
    project, (rating, *_) = evaluated
    participant = attendee(project)
    services.save_evaluation(participant=participant, actor=participant.user, values={rating.pk: "3"})
    for change in (
        lambda: services.add_question(project=project, actor=secretariat, kind="text", text="More?"),
        lambda: services.update_question(question=rating, actor=secretariat, kind="rating", text="Changed"),
        lambda: services.delete_question(question=rating, actor=secretariat),
        lambda: services.move_question(question=rating, actor=secretariat, up=False),
        lambda: services.set_up_questionnaire(project=project, actor=secretariat, source="template"),
    ):
        with pytest.raises(DomainError, match="can no longer change"):
            change()
    assert texts(project) == ["Overall?", "Length?", "Apply?"]


def test_submitted_answers_are_timed_in_submission_order(evaluated):
    project, (rating, choice, comment) = evaluated
    people = [attendee(project) for _ in range(2)]
    now = timezone.now()
    for offset, (participant, words) in enumerate(zip(people, ["second", "first"], strict=True)):
        services.save_evaluation(
            participant=participant,
            actor=participant.user,
            values={rating.pk: "4", choice.pk: "Long", comment.pk: words},
            submit=True,
            now=now - datetime.timedelta(minutes=offset),
        )
    assert selectors.results(project)[2].texts == ["first", "second"]
