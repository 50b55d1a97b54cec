"""The standard APO-style questionnaire the portal ships: what a project's evaluation asks unless the
Secretariat writes its own. Built from the project: one question per objective of its notification
(one generic question when none is stored), one per session, and one on the digital delivery only
when the project is digital or hybrid."""

import re

from .enums import (
    ACHIEVEMENT_SCALE,
    AGREEMENT_SCALE,
    DEFAULT_SCALE,
    SATISFACTION_SCALE,
    USEFULNESS_SCALE,
    QuestionKind,
)

# "a. Examine ...", "1) Explore ...", "- Formulate ...": the marker before an objective's text.
_MARKER = re.compile(r"^\s*(?:[(]?[a-z0-9]{1,3}[.)]|[-•*–])\s+", re.IGNORECASE)
TEXT_LIMIT = 300


def objectives(project):
    """The project's objectives as a list of sentences, from its stored notification text."""
    text = (project.objectives or "").strip()
    if not text:
        return []
    blocks = [b for b in re.split(r"\n\s*\n", text) if b.strip()]
    if len(blocks) == 1:
        blocks = [line for line in text.splitlines() if line.strip()]
    return [" ".join(_MARKER.sub("", block).split()) for block in blocks if _MARKER.sub("", block).strip()]


def _short(text):
    return text if len(text) <= TEXT_LIMIT else text[: TEXT_LIMIT - 1].rstrip() + "…"


def _rating(text, scale, session=None):
    return {"kind": QuestionKind.RATING, "text": _short(text), "scale_labels": list(scale), "session": session}


def _text(text):
    return {"kind": QuestionKind.TEXT, "text": text, "required": False}


def standard_questions(project, sessions):
    """[{kind, text, scale_labels|choices, session, required}] in order, for `project` and its `sessions`."""
    questions = [_rating("Overall, how satisfied are you with the workshop?", SATISFACTION_SCALE)]
    found = objectives(project)
    if found:
        questions += [_rating(f"Was this objective achieved? {objective}", ACHIEVEMENT_SCALE) for objective in found]
    else:
        questions.append(_rating("How far were the objectives of the workshop achieved?", ACHIEVEMENT_SCALE))
    questions.append(_rating("The workshop was relevant to my work.", AGREEMENT_SCALE))
    questions += [_rating(f"How useful was {session.title}?", USEFULNESS_SCALE, session) for session in sessions]
    questions.append(_rating("How would you rate the resource persons?", DEFAULT_SCALE))
    if project.has_links:
        questions.append(
            _rating("How well did the digital delivery work (platform, connection, materials online)?", DEFAULT_SCALE)
        )
    questions.append(
        {
            "kind": QuestionKind.CHOICE,
            "text": "The length of the workshop was",
            "choices": ["Too short", "About right", "Too long"],
            "session": None,
        }
    )
    questions.append(_text("What will you apply in your work from this workshop?"))
    questions.append(_text("Any other comments or suggestions?"))
    return questions
