"""Who may generate and download a project's end-of-project report: the APO Secretariat alone
(a report may name participants, and holds every country's figures)."""

from django.core.exceptions import PermissionDenied

from apopms.permissions import is_secretariat


def can_report(user, project=None):
    return is_secretariat(user)


def require_report(user, project=None):
    if not can_report(user, project):
        raise PermissionDenied("Only the APO Secretariat generates and downloads end-of-project reports.")
