"""The evaluation's answers in a person's data, erasure on request and the retention purge."""

import datetime
import json

import pytest
from django.urls import reverse

from evaluations import selectors
from evaluations.models import Answer
from tests import factories
from tests.certificates.conftest import attendee, finished_project
from tests.confirm import confirmed
from workspace import retention

from .helpers import answer, questionnaire

pytestmark = pytest.mark.django_db


@pytest.fixture
def answered():
    project = finished_project()
    questionnaire(project, ("rating", "Overall?"), ("text", "Apply?"))
    person = attendee(project, iso2="TH")
    answer(person, [5, "I will try the 5S in our records office"])
    other = attendee(project, iso2="JP")
    answer(other, [3, "More case studies please"])
    return project, person, other


def test_a_persons_data_holds_their_answers(client, answered):
    _, person, _ = answered
    client.force_login(person.user)
    records = json.loads(client.get(reverse("workspace:my_data")).content)["records"]
    assert [(row["rating"], row["text"]) for row in records["evaluations.Answer"]] == [
        (5, ""),
        (None, "I will try the 5S in our records office"),
    ]


def test_erasure_removes_their_words_and_keeps_the_statistics(client, answered):
    project, person, _ = answered
    secretariat = factories.secretariat_user()
    client.force_login(secretariat)
    url = reverse("workspace:person_erase")
    client.post(url, confirmed(secretariat, url, {"email": person.user.email}))
    kept = Answer.objects.filter(evaluation__participant=person).order_by("question__position")
    assert list(kept.values_list("rating", "text")) == [
        (5, ""),
        (None, ""),
    ]
    overall, words = selectors.results(project)
    assert overall.answers == 2 and overall.average == 4
    assert words.texts == ["More case studies please"]


def test_the_participants_purge_removes_the_free_text(answered):
    project, _, _ = answered
    retention.purge_participants(project, now=datetime.datetime(2031, 1, 1, tzinfo=datetime.UTC))
    overall, words = selectors.results(project)
    assert (overall.answers, overall.average, words.texts) == (2, 4, [])
