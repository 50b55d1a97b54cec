"""Reads of the evaluation: the questionnaire, a participant's evaluation, and the results.

Results count submitted evaluations only (a draft is not an answer). Everything here is aggregate
except `person_answers`, the per-person view, which its view audits."""

from collections import Counter
from dataclasses import dataclass, field

from django.db.models import Prefetch

from nominations.enums import Gender, ParticipantStatus
from nominations.models import Participant

from .enums import QuestionKind
from .models import Answer, Evaluation, Question, Questionnaire

# A breakdown group with fewer answers than this is not shown: it could point at a person.
MIN_GROUP = 3
BREAKDOWNS = ("country", "gender")


@dataclass
class QuestionResult:
    question: Question
    answers: int = 0
    distribution: list = field(default_factory=list)  # [(label, count)] over every scale point or choice
    average: float | None = None  # ratings only
    texts: list = field(default_factory=list)  # free-text answers, without names, in submission order


def questionnaire(project):
    """The project's questionnaire, or None."""
    return Questionnaire.objects.filter(project=project).first()


def questions(project):
    """The project's questions in order (with their session), empty without a questionnaire."""
    return list(
        Question.objects.filter(questionnaire__project=project).select_related("session").order_by("position", "pk")
    )


def has_answers(project):
    """True once any participant has saved or submitted an answer: the questionnaire is then locked."""
    return Answer.objects.filter(evaluation__project=project).exists()


def evaluation_of(participant):
    """The participant's evaluation (draft or submitted) with its answers, or None."""
    return (
        Evaluation.objects.filter(participant=participant, project_id=participant.project_id)
        .prefetch_related("answers")
        .first()
    )


def _submitted_answers(project):
    return (
        Answer.objects.filter(evaluation__project=project, evaluation__submitted_at__isnull=False)
        .order_by("evaluation__submitted_at", "evaluation_id", "pk")
        .only("question_id", "rating", "choice", "text", "evaluation_id")
    )


def _distribution(question, answers):
    if question.kind == QuestionKind.RATING:
        counts = Counter(a.rating for a in answers if a.rating is not None)
        return [(label, counts.get(point, 0)) for point, label in enumerate(question.scale_labels, start=1)]
    if question.kind == QuestionKind.CHOICE:
        counts = Counter(a.choice for a in answers if a.choice)
        return [(label, counts.get(label, 0)) for label in question.choices]
    return []


def _answered(question, answer):
    if question.kind == QuestionKind.RATING:
        return answer.rating is not None
    if question.kind == QuestionKind.CHOICE:
        return bool(answer.choice)
    return bool(answer.text.strip())


def results(project):
    """[QuestionResult] in questionnaire order: submitted answers counted per question (two queries)."""
    by_question = {}
    for answer in _submitted_answers(project):
        by_question.setdefault(answer.question_id, []).append(answer)
    out = []
    for question in questions(project):
        answers = [a for a in by_question.get(question.pk, []) if _answered(question, a)]
        result = QuestionResult(question=question, answers=len(answers), distribution=_distribution(question, answers))
        if question.kind == QuestionKind.RATING and answers:
            result.average = sum(a.rating for a in answers) / len(answers)
        if question.kind == QuestionKind.TEXT:
            result.texts = [a.text.strip() for a in answers]
        out.append(result)
    return out


def response_counts(project):
    """(participants asked: active participants, evaluations submitted by them)."""
    asked = Participant.objects.active().filter(project=project).count()
    submitted = (
        Evaluation.objects.submitted().filter(project=project, participant__status=ParticipantStatus.ACTIVE).count()
    )
    return asked, submitted


def _group_label(participant, by):
    if by == "country":
        return participant.country.name
    return Gender(participant.nomination.gender).label if participant.nomination.gender else "Not stated"


def breakdown(project, question, by):
    """[(group label, distribution or None)] of `question`'s submitted answers by country or gender,
    by label; a group with fewer than MIN_GROUP answers gives None (not shown)."""
    if by not in BREAKDOWNS:
        raise ValueError(f"breakdown by {by!r}: one of {BREAKDOWNS}")
    answers = (
        Answer.objects.filter(question=question, evaluation__project=project, evaluation__submitted_at__isnull=False)
        .select_related("evaluation__participant__country", "evaluation__participant__nomination")
        .order_by("pk")
    )
    groups = {}
    for answer in answers:
        if _answered(question, answer):
            groups.setdefault(_group_label(answer.evaluation.participant, by), []).append(answer)
    return [
        (label, _distribution(question, group) if len(group) >= MIN_GROUP else None)
        for label, group in sorted(groups.items())
    ]


def person_answers(project):
    """The per-person view: every submitted evaluation with its participant and answers, by name.
    Its view records an audit entry each time it is opened."""
    return list(
        Evaluation.objects.submitted()
        .filter(project=project)
        .select_related("participant__country")
        .prefetch_related(
            Prefetch("answers", queryset=Answer.objects.select_related("question").order_by("question__position"))
        )
        .order_by("participant__certificate_name", "pk")
    )


def not_submitted(project):
    """Active participants of the project who have not submitted their evaluation (reminders)."""
    return (
        Participant.objects.active()
        .filter(project=project)
        .exclude(evaluations__submitted_at__isnull=False)
        .select_related("user")
        .order_by("certificate_name", "pk")
    )
