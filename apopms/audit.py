"""Writing the audit trail. Every service records what it did through `record`."""

from django.contrib.contenttypes.models import ContentType

from .models import AuditEntry, Project


def record(action, *, actor=None, target=None, project=None, **details):
    """Append one audit entry. `action` is dotted: ``app.model.verb`` (e.g. nominations.nomination.submitted)."""
    if project is None and target is not None:
        project = target if isinstance(target, Project) else getattr(target, "project", None)
    entry = AuditEntry(
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        action=action,
        project=project,
        details=details,
    )
    if target is not None:
        entry.content_type = ContentType.objects.get_for_model(target)
        entry.object_id = str(target.pk)
        entry.object_repr = str(target)[:300]
    entry.save()
    return entry
