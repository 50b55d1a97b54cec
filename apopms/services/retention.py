"""A project's retention of personal data (apopms.privacy): its limits and a hold on purging."""

from django.db import transaction

from .. import audit
from ..models import Project
from ..permissions import require_secretariat


@transaction.atomic
def set_retention(*, project, actor, cv_days, nominee_months, participant_years, hold_reason):
    """Set the project's limits (None: the settings' default) and its hold (blank: none); audited.

    Side effects: none; the daily purge (workspace.tasks.apply_retention) reads them.
    """
    require_secretariat(actor)
    project = Project.objects.lock(project.pk)
    new = {
        "cv_retention_days": cv_days,
        "nominee_retention_months": nominee_months,
        "participant_retention_years": participant_years,
        "purge_hold_reason": (hold_reason or "").strip(),
    }
    changed = {field: value for field, value in new.items() if getattr(project, field) != value}
    if not changed:
        return project
    Project.objects.filter(pk=project.pk).update(**changed)
    project.refresh_from_db()
    audit.record("apopms.project.retention_set", actor=actor, target=project, **changed)
    return project
