"""The printable programme, made with WeasyPrint from a snapshot.

Nothing is fetched while rendering: the fonts are embedded as `data:` URLs and the fetcher
refuses every other URL, so a text in the programme cannot make the server read a file or
call the network. (The certificates app has its own fetcher; this app sits below it and
cannot import it.)
"""

import base64
import datetime
from pathlib import Path

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone

from apopms.timezones import zone_label

from .programme import present

FONT_DIR = Path(settings.BASE_DIR) / "static" / "fonts" / "noto" / "noto-serif"
FONT_FILES = [
    # (file, weight): the vendored Noto Serif (SIL OFL), Latin and its extensions, Vietnamese, Cyrillic.
    ("noto-serif-400-normal.woff2", 400),
    ("noto-serif-700-normal.woff2", 700),
]


def font_faces():
    """@font-face rules with the vendored fonts inlined (empty when they are not there)."""
    rules = []
    for name, weight in FONT_FILES:
        path = FONT_DIR / name
        if not path.exists():
            continue
        data = base64.b64encode(path.read_bytes()).decode("ascii")
        rules.append(
            f"@font-face {{ font-family: 'Programme Serif'; font-weight: {weight}; "
            f"src: url(data:font/woff2;base64,{data}) format('woff2'); }}"
        )
    return "\n".join(rules)


def data_only_fetcher():
    """A WeasyPrint URL fetcher that lets through `data:` URLs only."""
    from weasyprint.urls import URLFetcher

    class DataOnlyFetcher(URLFetcher):
        def fetch(self, url, headers=None):
            if not url.lower().startswith("data:"):
                raise ValueError(f"The programme PDF fetches nothing from outside: {url[:60]}")
            return super().fetch(url, headers)

    return DataOnlyFetcher(allowed_protocols={"data"}, allow_redirects=False)


def programme_html(project, snapshot, *, version=None, draft=False, show_participants=False):
    start = datetime.datetime.combine(project.start_date, datetime.time(12), tzinfo=project.zone)
    context = {
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
        "font_faces": font_faces(),
    }
    return render_to_string("sessions/programme_pdf.html", context)


def render_programme_pdf(project, snapshot, *, version=None, draft=False, show_participants=False):
    """The PDF bytes of a programme snapshot."""
    import weasyprint  # slow to import: only where a PDF is made

    html = programme_html(project, snapshot, version=version, draft=draft, show_participants=show_participants)
    return weasyprint.HTML(string=html, url_fetcher=data_only_fetcher()).write_pdf()
