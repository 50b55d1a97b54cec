"""The workspace's tasks: the daily retention purge (queued by beat) and the PDF of a person's data."""

from celery import shared_task

from . import person_pdf, retention


@shared_task(acks_late=True)
def apply_retention():
    """Purge what each project's retention says is due; safe to run twice (each stage runs once).
    Also deletes the PDFs of a person's data older than a day."""
    done = retention.apply_retention()
    person_pdf.sweep()
    return done


@shared_task(acks_late=True)
def render_person_pdf(*, token):
    """Render and store the PDF of a person's data asked for under `token` (the e-mail stays in the cache)."""
    return person_pdf.render(token)
