"""Who may do what in the core, and the access rules shared by every app's views.

Predicates `can_x(user, ...) -> bool` state each rule once; `require_x(...)` raise Django's
PermissionDenied with a message a person can read. Services check their `actor` with them
(actor None is the system itself where a service allows it); views use the decorators.

The convention, checked by the permission-matrix tests: anonymous people are sent to
log in; an object of another country (or another participant) answers 404, so nothing
leaks that it exists; a role without the right answers 403.
"""

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404

from . import selectors
from .enums import InvitationPurpose, Role
from .models import Project


def is_secretariat(user):
    return user is not None and user.is_authenticated and user.is_secretariat


def can_manage_project(user, project=None):
    """Create, edit, clone and issue projects, open and close nominations, move the deadline:
    the APO Secretariat."""
    return is_secretariat(user)


def can_manage_people(user):
    """Deactivate and reactivate NPO officers and implementers: the APO Secretariat."""
    return is_secretariat(user)


def can_manage_programme(user, project):
    """The programme and attendance of `project`: the Secretariat and the project's implementers."""
    return user is not None and user.is_authenticated and user.can_manage_programme(project)


def can_invite(user, *, purpose, role, country):
    """Send an invitation: the Secretariat (or the system, user None) anyone; an NPO officer a
    colleague of the same NPO, or a candidate of its country (no role: one nomination of theirs)."""
    if user is None or is_secretariat(user):
        return True
    if purpose == InvitationPurpose.CANDIDATE:
        own = user.is_authenticated and user.npo_country is not None
        return role is None and own and country is not None and user.npo_country.pk == country.pk
    return (
        role == Role.NPO_OFFICER
        and purpose == InvitationPurpose.NPO_OFFICER
        and user.is_authenticated
        and user.npo_country is not None
        and country is not None
        and user.npo_country.pk == country.pk
    )


def can_resend_invitation(user, invitation):
    """Send a new link for an invitation: whoever sent it, or the Secretariat."""
    return user is not None and user.is_authenticated and (user.is_secretariat or invitation.invited_by_id == user.pk)


def require_secretariat(user):
    if not is_secretariat(user):
        raise PermissionDenied("Only the APO Secretariat may do this.")


def require_project_manager(user, project=None):
    if not can_manage_project(user, project):
        raise PermissionDenied("Only the APO Secretariat may do this.")


def require_programme_manager(user, project):
    if not can_manage_programme(user, project):
        raise PermissionDenied("Only the Secretariat and the project's implementers may do this.")


def require_may_invite(user, *, purpose, role, country):
    if not can_invite(user, purpose=purpose, role=role, country=country):
        raise PermissionDenied("Only the APO Secretariat, or an officer of the same NPO, may invite this person.")


def require_may_resend(user, invitation):
    if not can_resend_invitation(user, invitation):
        raise PermissionDenied("Only whoever sent the invitation, or the APO Secretariat, may resend it.")


def secretariat_required(view):
    @login_required
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        require_secretariat(request.user)
        return view(request, *args, **kwargs)

    return wrapper


def npo_officer_required(view):
    @login_required
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if request.user.npo_country is None:
            raise PermissionDenied("Only NPO officers may do this.")
        return view(request, *args, **kwargs)

    return wrapper


def can_see_project(user, project):
    """Whether `user` may open `project`'s pages: the Secretariat any; an implementer their own; an NPO
    officer, once the notification is issued, a project that invites their country or that their
    country hosts with seats for the host. `project` comes from `selectors.project_for_person`."""
    if user.is_secretariat or project.pk in user.implementer_project_ids():
        return True
    if project.notification_issued_at is None:
        return False
    if project.invites_own_country:
        return True
    return project.host_has_seats and any(country.pk == project.host_country_id for country in user.npo_countries)


def get_project_or_404(code, user=None):
    """A project by code; for a non-Secretariat `user`, only one they may see (else 404: nothing tells
    that it exists)."""
    if user is None or user.is_secretariat:
        return get_object_or_404(Project.objects.select_related("host_country"), code=code)
    try:
        project = selectors.project_for_person(code, user)
    except Project.DoesNotExist:
        raise Http404("No such project.") from None
    if not can_see_project(user, project):
        raise Http404("No such project.")
    return project
