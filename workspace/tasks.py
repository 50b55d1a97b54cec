"""The daily retention purge (workspace.retention), queued by beat."""

from celery import shared_task

from . import retention


@shared_task(acks_late=True)
def apply_retention():
    """Purge what each project's retention says is due; safe to run twice (each stage runs once)."""
    return retention.apply_retention()
