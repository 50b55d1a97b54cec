"""Who may do what with evaluations. A participant answers their own; the Secretariat defines the
questionnaire, reads the results and, audited, each person's answers. NPO officers and implementers
see nothing of it (a country's aggregate could point at a few people)."""

from django.core.exceptions import PermissionDenied

from apopms.permissions import is_secretariat
from nominations.enums import ParticipantStatus


def can_manage_evaluation(user, project=None):
    """Define the questionnaire, read the results, remind participants: the APO Secretariat."""
    return is_secretariat(user)


def require_manage_evaluation(user, project=None):
    if not can_manage_evaluation(user, project):
        raise PermissionDenied("Only the APO Secretariat may manage the evaluation.")


def can_answer(user, participant):
    """Answer the evaluation: the participant themself, while participating."""
    return (
        user is not None
        and user.is_authenticated
        and participant.user_id == user.pk
        and participant.status == ParticipantStatus.ACTIVE
    )


def require_answer(user, participant):
    if not can_answer(user, participant):
        raise PermissionDenied("Only the participant may answer their own evaluation.")
