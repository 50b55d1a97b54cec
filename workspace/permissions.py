"""Who may open the workspace's pages, and which of a project's pages a person may open.

The project navigation offers only links the person can open: each entry asks the predicate of the
app that owns the page.
"""

from django.core.exceptions import PermissionDenied

from apopms.permissions import can_manage_project, is_secretariat
from certificates.permissions import can_issue
from evaluations.permissions import can_manage_evaluation
from nominations.permissions import can_decide_selection
from sessions.permissions import can_manage_programme, can_record_attendance


def can_open_hub(user, project):
    """A project's hub and dashboard: the Secretariat and the project's implementers."""
    return user is not None and user.is_authenticated and (is_secretariat(user) or user.is_implementer_of(project))


def require_open_hub(user, project):
    if not can_open_hub(user, project):
        raise PermissionDenied("A project's hub is for the APO Secretariat and the project's implementers.")


def project_pages(user, project):
    """{page key: True} of the project's pages `user` may open (no query beyond the user's roles)."""
    if not can_open_hub(user, project):
        return {}
    secretariat = is_secretariat(user)
    return {
        "hub": True,
        "manage": can_manage_project(user, project),
        # The Secretariat reviews all nominations; an implementer reads the local ones.
        "nominations": True,
        "selection": can_decide_selection(user),
        "participants": secretariat,
        "programme": can_manage_programme(user, project),
        "attendance": can_record_attendance(user, project),
        "certificates": can_issue(user, project),
        "evaluation": can_manage_evaluation(user, project),
        "outbox": secretariat,
        "audit": secretariat,
        # The end-of-project report (the reports app, above this one; linked by URL name only).
        "report": secretariat,
    }
