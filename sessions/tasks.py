"""Celery tasks of the programme. Thin: fetch by primary key, call a service, safe to run twice."""

from smtplib import SMTPException

from celery import shared_task

from . import services


@shared_task(bind=True, autoretry_for=(SMTPException, OSError), retry_backoff=True, max_retries=5)
def send_programme_notice(self, *, version_id):
    """E-mail a published programme version to the NPO officers and participants (each once)."""
    return services.send_programme_notices(version_id=version_id)
