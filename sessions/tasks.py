"""Celery tasks of the programme and attendance. Thin: fetch by primary key, call a service, safe to run twice.

Celery's autodiscovery imports this module. `services` import it back (to queue these tasks):
the one import cycle of the app, safe because each side reads the other's names only when called. The attendance import's task keeps the name it was
registered under when it lived in `sessions.attendance_tasks`, so queued messages still find it.
"""

from celery import shared_task
from django.core.exceptions import PermissionDenied
from django.db import OperationalError

from apopms.exceptions import DomainError
from apopms.models import User

from . import services
from .enums import ImportStatus
from .models import AttendanceImport


@shared_task(bind=True)
def send_programme_notice(self, *, version_id):
    """Write a published programme version's notice for the NPO officers and participants to the outbox (each once)."""
    return services.send_programme_notices(version_id=version_id)


@shared_task(bind=True, autoretry_for=(OSError, OperationalError), retry_backoff=True, max_retries=5)
def render_programme_version_pdf(self, *, version_id):
    """Render and store the printable programme of a published version (once; safe to run twice)."""
    return services.store_programme_pdf(version_id=version_id)


@shared_task(
    bind=True,
    name="sessions.attendance_tasks.confirm_attendance_import_task",
    autoretry_for=(OperationalError,),
    retry_backoff=True,
    max_retries=5,
)
def confirm_attendance_import_task(self, *, import_id, actor_id=None, acknowledged=False):
    """Save a queued import (all or nothing). Quiet when the import is gone or already saved; safe to run twice."""
    imp = AttendanceImport.objects.filter(pk=import_id).first()
    if imp is None or imp.status not in {ImportStatus.QUEUED, ImportStatus.PREVIEW}:
        return
    actor = User.objects.filter(pk=actor_id).first() if actor_id else None
    try:
        services.confirm_attendance_import(
            attendance_import=imp,
            actor=actor,
            acknowledged=acknowledged,
            progress=lambda **values: services.set_progress(import_id, **values),
        )
    except (DomainError, PermissionDenied) as exc:
        services.fail_attendance_import(import_id=import_id, message=str(exc))
