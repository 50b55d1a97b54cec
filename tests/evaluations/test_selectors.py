import datetime

import pytest

from evaluations import selectors
from evaluations.enums import QuestionKind
from tests import factories

from .helpers import answer, participant, questionnaire

pytestmark = pytest.mark.django_db

RATING, CHOICE, TEXT = QuestionKind.RATING, QuestionKind.CHOICE, QuestionKind.TEXT


@pytest.fixture
def project():
    project = factories.ProjectFactory()
    questionnaire(
        project,
        (RATING, "Overall, how satisfied are you?"),
        (CHOICE, "How long should it be?", ["Shorter", "As it was", "Longer"]),
        (TEXT, "What will you apply?"),
    )
    return project


def test_results_count_submitted_answers_per_question_in_order(project):
    t0 = datetime.datetime(2026, 11, 1, tzinfo=datetime.UTC)
    answer(participant(project), [5, "Longer", "Kaizen in my unit"], at=t0 + datetime.timedelta(hours=2))
    answer(participant(project), [4, "As it was", "  "], at=t0)
    answer(participant(project), [5, None, "Fishbone with my team"], at=t0 + datetime.timedelta(hours=1))
    answer(participant(project), [1, "Shorter", "a draft is no answer"], submitted=False)

    rating, choice, text = selectors.results(project)

    assert rating.question.text == "Overall, how satisfied are you?"
    assert rating.answers == 3
    assert rating.distribution == [("Very poor", 0), ("Poor", 0), ("Fair", 0), ("Good", 1), ("Excellent", 2)]
    assert rating.average == pytest.approx(14 / 3)
    assert choice.answers == 2
    assert choice.distribution == [("Shorter", 0), ("As it was", 1), ("Longer", 1)]
    assert choice.average is None
    assert text.answers == 2
    assert text.texts == ["Fishbone with my team", "Kaizen in my unit"]
    assert text.distribution == []


def test_results_without_answers_give_zeros_and_no_average(project):
    rating, choice, _ = selectors.results(project)
    assert choice.distribution == [("Shorter", 0), ("As it was", 0), ("Longer", 0)]
    assert rating.answers == 0 and rating.average is None
    assert [count for _, count in rating.distribution] == [0, 0, 0, 0, 0]


def test_response_counts_active_participants_and_their_submissions(project):
    answer(participant(project), [5, "Longer", ""])
    answer(participant(project), [4, "Longer", ""], submitted=False)
    participant(project)
    withdrawn = participant(project, status="withdrawn")
    answer(withdrawn, [1, "Shorter", ""])
    assert selectors.response_counts(project) == (3, 1)


def test_breakdown_hides_groups_of_fewer_than_three(project):
    for rating in (5, 4, 4):
        answer(participant(project, "IN"), [rating, "Longer", ""])
    for rating in (2, 3):
        answer(participant(project, "JP", gender="male"), [rating, "Shorter", ""])
    question = selectors.results(project)[0].question

    assert selectors.breakdown(project, question, "country") == [
        ("India", [("Very poor", 0), ("Poor", 0), ("Fair", 0), ("Good", 2), ("Excellent", 1)]),
        ("Japan", None),
    ]
    assert selectors.breakdown(project, question, "gender") == [
        ("Female", [("Very poor", 0), ("Poor", 0), ("Fair", 0), ("Good", 2), ("Excellent", 1)]),
        ("Male", None),
    ]
