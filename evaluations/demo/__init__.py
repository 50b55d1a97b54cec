"""Demo data of the evaluation: the seed workshop's questionnaire (the standard template) and its
participants' answers, in their own words (`data/answers.json`, by e-mail). Most submitted, two saved
and not submitted, a few not started (among them the demo participant login, who can try the form).
Idempotent: the questionnaire is made once, and a participant who has an evaluation is left alone."""

import datetime
import json
from pathlib import Path

from apopms.demo import SEED_CODE
from apopms.models import Project, User
from nominations.models import Participant
from sessions.selectors import last_session_end

from .. import selectors, services
from ..enums import QuestionKind

DATA = Path(__file__).resolve().parent / "data"


def _values(questions, row):
    """{question pk: value} from a row: ratings in the order of the rating questions, `length` for the
    choice, `apply` then `comments` for the free-text questions."""
    ratings = iter(row.get("ratings", []))
    texts = iter([row.get("apply", ""), row.get("comments", "")])
    values = {}
    for question in questions:
        if question.kind == QuestionKind.RATING:
            value = next(ratings, None)
            values[question.pk] = str(value) if value else ""
        elif question.kind == QuestionKind.CHOICE:
            values[question.pk] = row.get("length", "") if row.get("length") in question.choices else ""
        else:
            values[question.pk] = next(texts, "")
    return values


def load(stdout):
    project = Project.objects.filter(code=SEED_CODE).first()
    end = last_session_end(project) if project else None
    if end is None:
        return
    admin = User.objects.filter(email__iexact="admin@apo.demo").first()
    if not selectors.questions(project) and admin is not None:
        services.set_up_questionnaire(project=project, actor=admin, source="template")
    questions = selectors.questions(project)
    rows = json.loads((DATA / "answers.json").read_text(encoding="utf-8"))
    participants = (
        Participant.objects.active()
        .filter(project=project, user__email__in=list(rows))
        .select_related("user", "project")
    )
    done = set(project.evaluations.values_list("participant__user__email", flat=True))  # drafts too
    saved = 0  # this run
    for index, participant in enumerate(sorted(participants, key=lambda p: p.user.email)):
        if participant.user.email in done:
            continue
        row = rows[participant.user.email]
        submit = row.get("submit", True)
        # Spread over the week after the last session, as answers come in.
        at = end + datetime.timedelta(hours=3 + index * 4)
        services.save_evaluation(
            participant=participant, actor=participant.user, values=_values(questions, row), submit=submit, now=at
        )
        saved += 1
    asked, submitted = selectors.response_counts(project)
    stdout.write(
        f"Evaluation of {SEED_CODE}: {len(questions)} questions; {saved} answered now, {submitted} of {asked} submitted."
    )
