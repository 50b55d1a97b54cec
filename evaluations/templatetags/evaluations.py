from django import template

from .. import selectors

register = template.Library()


@register.simple_tag
def evaluation_state(participant):
    """What "My workshop" shows of the evaluation (it is included only once the workshop has ended)."""
    if not selectors.questions(participant.project):
        return {"has_questions": False}
    evaluation = selectors.evaluation_of(participant)
    return {
        "has_questions": True,
        "evaluation": evaluation,
        "submitted": evaluation is not None and evaluation.is_submitted,
    }
