"""Access rules shared by every app's views.

The convention, checked by the permission-matrix tests: anonymous people are sent to
log in; an object of another country (or another participant) answers 404, so nothing
leaks that it exists; a role without the right answers 403.
"""

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404

from .models import Project


def secretariat_required(view):
    @login_required
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_secretariat:
            raise PermissionDenied("Only the APO Secretariat may do this.")
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


def get_project_or_404(code, user=None):
    """A project by code; for a non-Secretariat `user`, only one they may see."""
    qs = Project.objects.select_related("host_country")
    if user is not None and not user.is_secretariat:
        qs = qs.visible_to(user)
    return get_object_or_404(qs, code=code)


def require_programme_manager(user, project):
    if not user.can_manage_programme(project):
        raise PermissionDenied("Only the Secretariat and the project's implementers may do this.")
