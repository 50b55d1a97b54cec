"""Celery task of the attendance import: saving a confirmed report, with progress in the cache.

Registered with the worker by `sessions.apps.AgendaConfig.ready` (Celery only autodiscovers `tasks.py`).
"""

from celery import shared_task
from django.db import OperationalError

from apopms.exceptions import DomainError


@shared_task(bind=True, autoretry_for=(OperationalError,), retry_backoff=True, max_retries=5)
def confirm_attendance_import_task(self, *, import_id, actor_id=None, acknowledged=False):
    """Save a queued import (all or nothing). Quiet when the import is gone or already saved; safe to run twice."""
    from apopms.models import User

    from .attendance import confirm_attendance_import, fail_attendance_import, set_progress
    from .enums import ImportStatus
    from .models import AttendanceImport

    imp = AttendanceImport.objects.filter(pk=import_id).first()
    if imp is None or imp.status not in {ImportStatus.QUEUED, ImportStatus.PREVIEW}:
        return
    actor = User.objects.filter(pk=actor_id).first() if actor_id else None
    try:
        confirm_attendance_import(
            attendance_import=imp,
            actor=actor,
            acknowledged=acknowledged,
            progress=lambda **values: set_progress(import_id, **values),
        )
    except DomainError as exc:
        fail_attendance_import(import_id=import_id, message=exc.message)
