"""Celery task of the reports: ids in, the figures read once, both files written from them."""

import logging

from celery import shared_task

from . import figures, services
from .pdf import render_report_pdf
from .xlsx import render_xlsx

logger = logging.getLogger(__name__)


@shared_task(bind=True, acks_late=True)
def generate_report(self, *, version_id):
    """Generate one report version, reporting each stage in the cache. Safe to run twice: only a
    queued version runs."""
    version = services.start_report(version_id=version_id)
    if version is None:
        return None
    total = len(services.STAGES)
    try:
        services.set_progress(version.pk, stage="figures", done=0, total=total)
        data = figures.report_figures(version.project, include_participants=version.include_participants)
        services.set_progress(version.pk, stage="spreadsheet", done=1, total=total)
        xlsx = render_xlsx(data)
        services.set_progress(version.pk, stage="pdf", done=2, total=total)
        pdf = render_report_pdf(data)
        services.set_progress(version.pk, stage="storing", done=3, total=total)
        services.store_report(version=version, pdf=pdf, xlsx=xlsx)
    except Exception as exc:
        logger.exception("Report version %s failed", version_id)
        services.fail_report(
            version_id=version.pk, message=f"The report could not be generated ({type(exc).__name__})."
        )
        return None
    return version.pk
