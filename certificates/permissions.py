"""Who may do what with certificates: predicates for services and views.

`can_x(user, obj) -> bool` answers; `require_x(user, obj)` raises PermissionDenied. `user` None
is the system itself (a worker finishing a batch a Secretariat member started, the demo loader):
it may issue, never revoke or correct.
"""

from django.core.exceptions import PermissionDenied


def _is_secretariat(user):
    return user is not None and user.is_authenticated and user.is_secretariat


def can_issue(user, project):
    """Issue certificates of `project` (one, a batch, a retry): the Secretariat, or the system."""
    return user is None or _is_secretariat(user)


def require_issue(user, project):
    if not can_issue(user, project):
        raise PermissionDenied("Only the APO Secretariat may issue certificates.")


def can_revoke(user, certificate):
    """Revoke (or revoke and reissue) a certificate: the Secretariat."""
    return _is_secretariat(user)


def require_revoke(user, certificate):
    if not can_revoke(user, certificate):
        raise PermissionDenied("Only the APO Secretariat may revoke certificates.")


def can_correct_name(user, participant):
    """Correct the name a participant's certificate will print: the Secretariat."""
    return _is_secretariat(user)


def require_correct_name(user, participant):
    if not can_correct_name(user, participant):
        raise PermissionDenied("Only the APO Secretariat may correct the name on a certificate.")


def can_download(user, certificate):
    """Download the stored PDF: the Secretariat always; the holder and the NPO of the holder's
    country while it is valid (a revoked certificate is the Secretariat's record only)."""
    if user is None or not user.is_authenticated:
        return False
    if user.is_secretariat:
        return True
    if certificate.revoked_at is not None:
        return False
    if certificate.participant.user_id == user.pk:
        return True
    return user.npo_country is not None and user.npo_country.pk == certificate.participant.country_id
