"""The printable programme: a snapshot's data, its template, handed to the shared PDF pipeline.

Rendering (WeasyPrint, the vendored fonts of every member country's script, the fetcher that
reads nothing but `data:` URLs and the project's static files) is `apopms.pdf`, the same as
the certificates'.
"""

import datetime

from django.template.loader import render_to_string
from django.utils import timezone

from apopms import pdf as pipeline
from apopms.timezones import zone_label

from .programme import present

TEMPLATE = "sessions/programme_pdf.html"


def programme_context(project, snapshot, *, version=None, draft=False, show_participants=False):
    start = datetime.datetime.combine(project.start_date, datetime.time(12), tzinfo=project.zone)
    return {
        "project": {
            "code": project.code,
            "title": project.title,
            "host": str(project.host_country),
            "modality": project.get_modality_display(),
            "start_date": project.start_date,
            "end_date": project.end_date,
            "zone_label": zone_label(project.zone, start),
        },
        "programme": present(snapshot, project=project, show_participants=show_participants),
        "version": {"number": version.number, "published_at": version.published_at} if version else None,
        "draft": draft,
        "printed_at": timezone.now(),
    }


def programme_html(project, snapshot, *, version=None, draft=False, show_participants=False):
    context = programme_context(project, snapshot, version=version, draft=draft, show_participants=show_participants)
    return render_to_string(TEMPLATE, context)


def render_programme_pdf(project, snapshot, *, version=None, draft=False, show_participants=False):
    """The PDF bytes of a programme snapshot."""
    context = programme_context(project, snapshot, version=version, draft=draft, show_participants=show_participants)
    return pipeline.render_pdf(TEMPLATE, context)
