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


def record_each(action, *, actor=None, entries):
    """One entry of `action` for each `(target, details)` of `entries`, written in one statement (a
    chunk of certificates issued at once); the same entries `record` would write one by one."""
    rows = []
    for target, details in entries:
        content_type = ContentType.objects.get_for_model(target)  # cached per model after the first
        rows.append(
            AuditEntry(
                actor=actor if getattr(actor, "is_authenticated", False) else None,
                action=action,
                project=target if isinstance(target, Project) else getattr(target, "project", None),
                details=details,
                content_type=content_type,
                object_id=str(target.pk),
                object_repr=str(target)[:300],
            )
        )
    return AuditEntry.objects.bulk_create(rows)
