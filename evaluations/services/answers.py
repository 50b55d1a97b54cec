"""A participant's evaluation: saved as often as they like, then submitted once.

Open after the last session has ended (`sessions.selectors.programme_over`). A submitted evaluation
never changes: every save after it is refused here (the database keeps one evaluation per
participant and project)."""

from django.db import transaction
from django.utils import timezone

from apopms import audit
from apopms.exceptions import DomainError
from nominations.models import Participant
from sessions.selectors import programme_over

from .. import selectors
from ..enums import QuestionKind
from ..models import Answer, Evaluation
from ..permissions import require_answer

TEXT_LIMIT = 4000


def check_open(project, now=None):
    if not selectors.questions(project):
        raise DomainError("This workshop has no evaluation to answer.")
    if not programme_over(project, now):
        raise DomainError("The evaluation opens after the last session has ended.")


def _clean(question, value):
    """The answer's fields for `value` (None when left empty); DomainError naming the question."""
    value = "" if value is None else str(value).strip()
    if not value:
        return None
    if question.kind == QuestionKind.RATING:
        if value not in {"1", "2", "3", "4", "5"}:
            raise DomainError(f"“{question.text}”: choose one of the five points.", field=f"q{question.pk}")
        return {"rating": int(value), "choice": "", "text": ""}
    if question.kind == QuestionKind.CHOICE:
        if value not in question.choices:
            raise DomainError(f"“{question.text}”: choose one of the options.", field=f"q{question.pk}")
        return {"rating": None, "choice": value, "text": ""}
    if len(value) > TEXT_LIMIT:
        raise DomainError(f"“{question.text}”: keep it under {TEXT_LIMIT} characters.", field=f"q{question.pk}")
    return {"rating": None, "choice": "", "text": value}


def save_evaluation(*, participant, actor, values, submit=False, now=None):
    """Store the participant's answers (`values`: {question pk: value}); with `submit`, every required
    question must be answered and the evaluation is then final. A question left empty loses its
    saved answer. Audit: evaluations.evaluation.saved or .submitted. Returns the evaluation."""
    require_answer(actor, participant)
    now = now or timezone.now()
    with transaction.atomic():
        # The participant's row is the lock: two saves at once (two tabs) queue instead of racing.
        participant = Participant.objects.select_for_update().select_related("project").get(pk=participant.pk)
        project = participant.project
        check_open(project, now)
        evaluation, _ = Evaluation.objects.get_or_create(
            project=project, participant=participant, defaults={"started_at": now}
        )
        if evaluation.is_submitted:
            raise DomainError("You have already submitted your evaluation; it can no longer change.")
        questions = selectors.questions(project)
        cleaned = {q.pk: _clean(q, values.get(q.pk, values.get(str(q.pk)))) for q in questions}
        if submit:
            missing = [q for q in questions if q.required and cleaned[q.pk] is None]
            if missing:
                raise DomainError(
                    f"Answer “{missing[0].text}” before submitting"
                    + (f" ({len(missing) - 1} more question(s) unanswered)." if len(missing) > 1 else "."),
                    field=f"q{missing[0].pk}",
                )
        existing = {a.question_id: a for a in evaluation.answers.all()}
        Answer.objects.filter(
            evaluation=evaluation, question_id__in=[pk for pk, v in cleaned.items() if v is None]
        ).delete()
        changed, created = [], []
        for pk, fields in cleaned.items():
            if fields is None:
                continue
            if pk in existing:
                for name, value in fields.items():
                    setattr(existing[pk], name, value)
                changed.append(existing[pk])
            else:
                created.append(Answer(evaluation=evaluation, question_id=pk, **fields))
        Answer.objects.bulk_update(changed, ["rating", "choice", "text"])
        Answer.objects.bulk_create(created)
        evaluation.updated_at = now
        if submit:
            evaluation.submitted_at = now
        evaluation.save(update_fields=["updated_at", "submitted_at"])
        audit.record(
            "evaluations.evaluation.submitted" if submit else "evaluations.evaluation.saved",
            actor=actor,
            target=evaluation,
            project=project,
            answered=sum(1 for v in cleaned.values() if v is not None),
        )
        return evaluation
