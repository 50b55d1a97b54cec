"""The back office shows questionnaires and answers, read only: they change in the portal's pages."""

import pytest
from django.urls import reverse

from evaluations.models import Answer

from .helpers import answer, participant, questionnaire

pytestmark = pytest.mark.django_db


def test_the_back_office_shows_questions_and_answers_and_changes_neither(admin_client, project):
    form = questionnaire(project, ("rating", "Overall?"), ("text", "What will you apply?"))
    evaluation = answer(participant(project, certificate_name="Meera Nair"), [4, "Kaizen in my division"])

    listing = admin_client.get(reverse("admin:evaluations_evaluation_changelist")).content.decode()
    assert "Meera Nair" in listing
    page = admin_client.get(reverse("admin:evaluations_evaluation_change", args=[evaluation.pk])).content.decode()
    assert "Kaizen in my division" in page and 'name="answers-0-text"' not in page  # shown, not editable
    questions = admin_client.get(reverse("admin:evaluations_questionnaire_change", args=[form.pk])).content.decode()
    assert "What will you apply?" in questions and 'name="questions-0-text"' not in questions

    assert admin_client.get(reverse("admin:evaluations_evaluation_add")).status_code == 403
    assert admin_client.post(reverse("admin:evaluations_evaluation_delete", args=[evaluation.pk])).status_code == 403
    assert Answer.objects.filter(evaluation=evaluation).count() == 2
