"""Defining a project's questionnaire: from the standard template, cloned from the previous project,
or question by question. Once a participant has saved an answer the questionnaire is locked: a change
would alter what some have already answered, so every edit is refused with a message saying so."""

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from apopms import audit
from apopms.exceptions import DomainError
from apopms.models import Project
from sessions.models import Session

from .. import selectors
from ..enums import DEFAULT_SCALE, QuestionKind
from ..models import Question, Questionnaire
from ..permissions import require_manage_evaluation
from ..template import standard_questions

SOURCES = {"template": "from the standard template", "previous": "cloned from the previous project", "blank": "empty"}
MAX_CHOICES = 10
LOCKED = (
    "Participants have started answering, so the questionnaire can no longer change "
    "(a change would alter what they already answered)."
)


def _sessions(project):
    return list(Session.objects.filter(project=project).order_by("start_at", "pk"))


def check_editable(project):
    if selectors.has_answers(project):
        raise DomainError(LOCKED)


def previous_project(project):
    """The latest other project with questions, by start date (the one "clone the previous" copies)."""
    return (
        Project.objects.exclude(pk=project.pk)
        .filter(questionnaire__questions__isnull=False)
        .distinct()
        .order_by("-start_date", "-pk")
        .first()
    )


def _cloned_questions(source, project):
    """The source's questions for `project`: a session question goes to the session at the same place
    in this programme (its title changed in the text), or is left out when there is none."""
    old_sessions, new_sessions = _sessions(source), _sessions(project)
    place = {s.pk: index for index, s in enumerate(old_sessions)}
    out = []
    for q in selectors.questions(source):
        session = None
        text = q.text
        if q.session_id is not None:
            index = place.get(q.session_id)
            if index is None or index >= len(new_sessions):
                continue
            session = new_sessions[index]
            text = text.replace(q.session.title, session.title)
        out.append(
            {
                "kind": q.kind,
                "text": text,
                "scale_labels": q.scale_labels,
                "choices": q.choices,
                "session": session,
                "required": q.required,
            }
        )
    return out


def clean_question(*, kind, text, scale_labels=None, choices=None, session=None, project=None):
    """The question's fields, checked; raises DomainError naming the field."""
    if kind not in QuestionKind.values:
        raise DomainError("Choose the kind of question.", field="kind")
    text = " ".join((text or "").split())
    if not text:
        raise DomainError("Write the question.", field="text")
    if len(text) > 300:
        raise DomainError("Keep the question under 300 characters.", field="text")
    labels = [" ".join(str(label).split()) for label in (scale_labels or [])]
    options = [" ".join(str(option).split()) for option in (choices or []) if str(option).strip()]
    if kind == QuestionKind.RATING:
        labels = labels or list(DEFAULT_SCALE)
        if len(labels) != 5 or not all(labels):
            raise DomainError("A rating needs a label for each of its five points, 1 to 5.", field="scale_labels")
        options = []
    elif kind == QuestionKind.CHOICE:
        if len(options) < 2:
            raise DomainError("A choice question needs at least two options, one per line.", field="choices")
        if len(options) > MAX_CHOICES or len({o.lower() for o in options}) != len(options):
            raise DomainError(f"Give up to {MAX_CHOICES} different options.", field="choices")
        if any(len(o) > 200 for o in options):
            raise DomainError("Keep each option under 200 characters.", field="choices")
        labels = []
    else:
        labels, options = [], []
    if session is not None and project is not None and session.project_id != project.pk:
        raise DomainError("Choose a session of this project.", field="session")
    return {"kind": kind, "text": text, "scale_labels": labels, "choices": options, "session": session}


def set_up_questionnaire(*, project, actor, source):
    """Write the project's questions from `source` ("template", "previous" or "blank"), replacing
    unanswered ones. Audit: evaluations.questionnaire.created. Returns the questionnaire."""
    require_manage_evaluation(actor, project)
    if source not in SOURCES:
        raise DomainError("Choose how to start the questionnaire.", field="source")
    with transaction.atomic():
        project = Project.objects.lock(project.pk)
        check_editable(project)
        if source == "template":
            specs = standard_questions(project, _sessions(project))
        elif source == "previous":
            previous = previous_project(project)
            if previous is None:
                raise DomainError("No earlier project has an evaluation questionnaire to clone.", field="source")
            specs = _cloned_questions(previous, project)
        else:
            specs = []
        questionnaire, _ = Questionnaire.objects.get_or_create(project=project, defaults={"created_by": actor})
        questionnaire.questions.all().delete()
        Question.objects.bulk_create(
            Question(
                questionnaire=questionnaire,
                position=position,
                required=spec.get("required", True),
                **clean_question(**{k: v for k, v in spec.items() if k != "required"}, project=project),
            )
            for position, spec in enumerate(specs, start=1)
        )
        questionnaire.updated_at = timezone.now()
        questionnaire.save(update_fields=["updated_at"])
        detail = SOURCES[source] + (f" {previous.code}" if source == "previous" else "")
        audit.record(
            "evaluations.questionnaire.created",
            actor=actor,
            target=questionnaire,
            project=project,
            source=detail,
            questions=len(specs),
        )
        return questionnaire


def _locked_questionnaire(project, actor):
    require_manage_evaluation(actor, project)
    Project.objects.lock(project.pk)
    check_editable(project)
    questionnaire, _ = Questionnaire.objects.get_or_create(project=project, defaults={"created_by": actor})
    return questionnaire


def _changed(questionnaire, actor, change):
    questionnaire.updated_at = timezone.now()
    questionnaire.save(update_fields=["updated_at"])
    audit.record(
        "evaluations.questionnaire.changed",
        actor=actor,
        target=questionnaire,
        project=questionnaire.project,
        change=change,
    )


def add_question(*, project, actor, required=True, **fields):
    """Append a question. Audit: evaluations.questionnaire.changed."""
    with transaction.atomic():
        questionnaire = _locked_questionnaire(project, actor)
        cleaned = clean_question(**fields, project=project)
        last = questionnaire.questions.aggregate(m=Max("position"))["m"] or 0
        question = Question.objects.create(questionnaire=questionnaire, position=last + 1, required=required, **cleaned)
        _changed(questionnaire, actor, f"added question {question.position}")
        return question


def update_question(*, question, actor, required=True, **fields):
    """Change a question's wording, kind, options or session. Audit: evaluations.questionnaire.changed."""
    project = question.questionnaire.project
    with transaction.atomic():
        questionnaire = _locked_questionnaire(project, actor)
        for name, value in clean_question(**fields, project=project).items():
            setattr(question, name, value)
        question.required = required
        question.save()
        _changed(questionnaire, actor, f"changed question {question.position}")
        return question


def delete_question(*, question, actor):
    """Remove a question; those after it move up. Audit: evaluations.questionnaire.changed."""
    project = question.questionnaire.project
    with transaction.atomic():
        questionnaire = _locked_questionnaire(project, actor)
        position = question.position
        question.delete()
        _renumber(questionnaire)
        _changed(questionnaire, actor, f"removed question {position}")


def move_question(*, question, actor, up):
    """Swap a question with the one before (up) or after it. Audit: evaluations.questionnaire.changed."""
    project = question.questionnaire.project
    with transaction.atomic():
        questionnaire = _locked_questionnaire(project, actor)
        ordered = list(questionnaire.questions.order_by("position", "pk"))
        index = next(i for i, q in enumerate(ordered) if q.pk == question.pk)
        other = index - 1 if up else index + 1
        if not 0 <= other < len(ordered):
            return
        ordered[index], ordered[other] = ordered[other], ordered[index]
        _renumber(questionnaire, ordered)
        _changed(questionnaire, actor, f"moved question {index + 1} {'up' if up else 'down'}")


def _renumber(questionnaire, ordered=None):
    """Positions 1..n in `ordered` (default: the current order), through a gap so the unique
    constraint on positions holds at every step."""
    ordered = ordered if ordered is not None else list(questionnaire.questions.order_by("position", "pk"))
    for offset in (1000, 0):
        for position, q in enumerate(ordered, start=1):
            q.position = position + offset
        Question.objects.bulk_update(ordered, ["position"])
