"""Building evaluations for tests straight in the database (the services have their own tests)."""

from django.utils import timezone

from evaluations.enums import DEFAULT_SCALE, QuestionKind
from evaluations.models import Answer, Evaluation, Question, Questionnaire
from tests import factories


def questionnaire(project, *specs):
    """A questionnaire with questions from (kind, text[, options]) specs, in order."""
    q = Questionnaire.objects.create(project=project)
    for position, spec in enumerate(specs, start=1):
        kind, text, *rest = spec
        options = rest[0] if rest else None
        Question.objects.create(
            questionnaire=q,
            position=position,
            kind=kind,
            text=text,
            scale_labels=(options or DEFAULT_SCALE) if kind == QuestionKind.RATING else [],
            choices=(options or []) if kind == QuestionKind.CHOICE else [],
        )
    return q


def answer(participant, values, *, submitted=True, at=None):
    """The participant's evaluation with one value per question in order (None skips a question)."""
    evaluation = Evaluation.objects.create(
        project=participant.project, participant=participant, submitted_at=(at or timezone.now()) if submitted else None
    )
    questions = Question.objects.filter(questionnaire__project=participant.project).order_by("position")
    for question, value in zip(questions, values, strict=False):
        if value is None:
            continue
        fields = {"rating": value} if question.kind == QuestionKind.RATING else {}
        if question.kind == QuestionKind.CHOICE:
            fields = {"choice": value}
        if question.kind == QuestionKind.TEXT:
            fields = {"text": value}
        Answer.objects.create(evaluation=evaluation, question=question, **fields)
    return evaluation


def participant(project, iso2="IN", gender="female", **kwargs):
    nomination = factories.NominationFactory(
        project=project, country=factories.country(iso2), gender=gender, submitted=True, decision="selected"
    )
    return factories.ParticipantFactory(nomination=nomination, **kwargs)


def every_answer(project, rating="4", text="Useful"):
    """{question pk: value} answering every question of the project's questionnaire (for the services)."""
    values = {}
    for question in Question.objects.filter(questionnaire__project=project):
        if question.kind == QuestionKind.RATING:
            values[question.pk] = rating
        elif question.kind == QuestionKind.CHOICE:
            values[question.pk] = question.choices[0]
        else:
            values[question.pk] = text
    return values
