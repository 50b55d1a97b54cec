"""Who may do what with nominations, the selection and participants.

Predicates `can_x(user, ...) -> bool` answer for views and templates; `require_x(...)` raise
Django's `PermissionDenied` (403) and are called by the services that take an `actor`. What a
rule allows *when* (the deadline, a published selection) is the services' business and raises
`DomainError`.
"""

from django.core.exceptions import PermissionDenied

from .enums import ParticipantStatus
from .models import Participant


def _is_secretariat(user):
    return user is not None and user.is_authenticated and user.is_secretariat


def is_nominator(user):
    """NPO officers and the Secretariat: the people who make or review nominations."""
    return _is_secretariat(user) or (user is not None and user.is_authenticated and user.npo_country is not None)


def require_nominator(user):
    if not is_nominator(user):
        raise PermissionDenied("Only NPO officers and the APO Secretariat may see nominations.")


def is_implementer_only(user):
    """A host-side implementer without an NPO or Secretariat role: reads its projects' local nominations."""
    return (
        user.is_authenticated
        and not user.is_secretariat
        and user.npo_country is None
        and bool(user.implementer_project_ids())
    )


def can_nominate(user, country):
    """Whether `user` may make and change nominations for `country`: its NPO officers, or the Secretariat."""
    if _is_secretariat(user):
        return True
    return user is not None and user.npo_country is not None and user.npo_country.pk == country.pk


def require_nominate(user, country):
    if user is None:
        raise PermissionDenied("Only a person can change nominations.")
    if not can_nominate(user, country):
        raise PermissionDenied("You may only nominate for your own country.")


def is_own_candidacy(user, nomination):
    """The candidate's account reaches its own nomination, and nothing else of the nominations."""
    return user is not None and user.is_authenticated and nomination.candidate_id == user.pk


def require_candidate(user, nomination):
    if not is_own_candidacy(user, nomination):
        raise PermissionDenied("Only the candidate may fill in their own nomination.")


def can_decide_selection(user):
    """Decisions, the proposal, publication, reserves: the Secretariat alone."""
    return _is_secretariat(user)


def require_decide_selection(user):
    if not can_decide_selection(user):
        raise PermissionDenied("Only the APO Secretariat may decide the selection.")


def can_withdraw_participant(user, participant):
    """The participant's NPO (own country only) or the Secretariat."""
    if _is_secretariat(user):
        return True
    return user is not None and user.npo_country is not None and user.npo_country.pk == participant.country_id


def require_withdraw_participant(user, participant):
    if not can_withdraw_participant(user, participant):
        raise PermissionDenied("Only the participant's NPO or the APO Secretariat may withdraw a participant.")


def can_see_participants(user, project):
    """The Secretariat, the NPOs of the project's countries and its active participants."""
    if not user.is_authenticated:
        return False
    if user.is_secretariat:
        return True
    country = user.npo_country
    if country is not None and project.accepts_country(country):
        return True
    return Participant.objects.filter(project=project, user=user, status=ParticipantStatus.ACTIVE).exists()


def can_see_nomination(user, nomination, *, read_only=False):
    """The Secretariat any; an NPO officer their country's, once the project was announced to NPOs;
    with `read_only`, a host-side implementer the local nominations of its projects."""
    if _is_secretariat(user):
        return True
    country = user.npo_country
    if country is not None:
        return nomination.country_id == country.pk and nomination.project.notification_issued_at is not None
    return (
        read_only
        and nomination.country_id == nomination.project.host_country_id
        and nomination.project_id in user.implementer_project_ids()
    )


def can_answer_seat(user, participant):
    """Confirming or declining a seat: the participant alone, for their own seat."""
    return user is not None and user.is_authenticated and participant.user_id == user.pk


def require_answer_seat(user, participant):
    if not can_answer_seat(user, participant):
        raise PermissionDenied("Only the participant may confirm or decline their own seat.")


def can_use_replacement_window(user, window):
    """A replacement window is its country's NPO officers' (and the Secretariat's) to see and use."""
    if _is_secretariat(user):
        return True
    return (
        user is not None
        and user.is_authenticated
        and user.npo_country is not None
        and (user.npo_country.pk == window.country_id)
    )
