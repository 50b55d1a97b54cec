"""Who may do what with the programme and attendance: predicates `can_x(user, ...) -> bool` and
`require_x(...)`, which raise `PermissionDenied` (403). Services and views both call these.

A service's `actor` of None is the portal itself (the demo loader, a Celery task whose user is
gone, a signal receiver): it is not a person and is not checked here.
"""

from django.core.exceptions import PermissionDenied

MANAGERS_ONLY = "Only the Secretariat and the project's implementers may do this."
SECRETARIAT_ONLY_SHARE = "Only the APO Secretariat sets the minimum attendance."
COUNTRY_PAGE_ROLES = "Only NPO officers, the Secretariat and implementers see this page."


def _person(user):
    return user is not None and user.is_authenticated


def can_manage_programme(user, project):
    """Sessions, agenda items, speakers, announcing and publishing: the Secretariat and the project's implementers."""
    return _person(user) and user.can_manage_programme(project)


def can_record_attendance(user, project):
    """Marking attendance by hand and importing reports: whoever runs the programme."""
    return can_manage_programme(user, project)


def projects_recording_attendance(user, projects):
    """Of `projects` (a queryset), those whose attendance `user` records: `can_record_attendance` for many."""
    if not _person(user):
        return projects.none()
    return projects if user.is_secretariat else projects.filter(pk__in=user.implementer_project_ids())


def can_set_attendance_share(user, project):
    """The minimum attendance share that counts as present: the Secretariat alone."""
    return _person(user) and user.is_secretariat


def can_see_country_attendance(user, project, country):
    """A country's attendance page: its own NPO officers, and those who run the programme."""
    if can_record_attendance(user, project):
        return True
    own = user.npo_country if _person(user) else None
    return own is not None and own.pk == country.pk


def require_manage_programme(actor, project):
    if actor is not None and not can_manage_programme(actor, project):
        raise PermissionDenied(MANAGERS_ONLY)


def require_record_attendance(actor, project):
    if actor is not None and not can_record_attendance(actor, project):
        raise PermissionDenied(MANAGERS_ONLY)


def require_set_attendance_share(actor, project):
    if actor is not None and not can_set_attendance_share(actor, project):
        raise PermissionDenied(SECRETARIAT_ONLY_SHARE)
