"""The certificate PDF: its data, its template and stylesheet, handed to the shared pipeline.

Rendering (WeasyPrint, the vendored fonts, the restricted URL fetcher) is `apopms.pdf`; this
module says what a certificate prints (`certificate_data`, the snapshot kept with it) and how
it looks: plain data in, PDF bytes out.
"""

import segno
from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.dateformat import format as date_format

from apopms import pdf as pipeline
from apopms.names import RTL_LANGS, native_lang
from apopms.pdf import _renderer, html_to_pdf, static_path
from apopms.templatetags.apopms import date_range

from . import codes

APO_NAME = "Asian Productivity Organization"

STYLESHEET = "certificates/certificate.css"
# Every sheet a certificate is set with, in order (the shared fonts first).
STYLESHEETS = (*pipeline.FONT_STYLESHEETS, STYLESHEET)
TEMPLATE = "certificates/pdf/certificate.html"


def certificate_data(participant, *, number, verification_code, issued_at):
    """The plain snapshot of what a certificate certifies, as printed on it."""
    project = participant.project
    lang = native_lang(participant.native_name, participant.country.iso2) if participant.native_name else ""
    return {
        "apo_name": APO_NAME,
        "certificate_name": participant.certificate_name,
        "native_name": participant.native_name,
        "native_lang": lang,
        "native_dir": "rtl" if lang in RTL_LANGS else "ltr",
        "country": participant.country.name,
        "project_title": project.title,
        "project_code": project.code,
        "start_date": project.start_date.isoformat(),
        "end_date": project.end_date.isoformat(),
        "date_range": date_range(project),
        "modality": project.get_modality_display(),
        "host_country": project.host_country.name,
        "implementing_organizations": project.implementing_organization_list,
        "signatory_name": project.signatory_name,
        "signatory_title": project.signatory_title,
        "number": number,
        "issued_date": date_format(issued_at.astimezone(project.zone).date(), "j F Y"),
        "verification_url": settings.SITE_URL + reverse("certificates:verify", kwargs={"code": verification_code}),
        # Printed apart: the address, then the code in groups (typed back with or without spaces).
        "verification_base": settings.SITE_URL + reverse("certificates:verify_lookup"),
        "verification_code_grouped": codes.group_code(verification_code),
    }


# A fixed mask: segno otherwise scores all eight on every code (about 15 ms, a tenth of a certificate's
# render). Any mask makes a valid code; the scoring only avoids patterns that trouble poor scanners,
# and a printed code at level M with this mask (one of the two with the shortest SVG path) reads well.
QR_MASK = 5


def qr_svg_data_uri(url):
    return segno.make(url, error="m", mask=QR_MASK).svg_data_uri(scale=4, border=0, dark="#1b2a4a")


def certificate_context(data):
    return {"c": data, "qr": qr_svg_data_uri(data["verification_url"])}


def certificate_html(data):
    """The certificate's HTML from plain data (a dict of strings and lists). Autoescaped."""
    return render_to_string(TEMPLATE, certificate_context(data))


def render_pdf(html, **options):
    """PDF bytes of `html` set as a certificate (shared fonts, the certificate's stylesheet)."""
    return html_to_pdf(html, stylesheets=[STYLESHEET], **options)


def render_certificate(data, **options):
    """The pure function of the PDF: plain data in, PDF bytes out."""
    return pipeline.render_pdf(TEMPLATE, certificate_context(data), stylesheets=[STYLESHEET], **options)


# The certificate a worker process sets as it starts: every part of the real one (template, QR code,
# stylesheet) and a name in Han and kana, which loads the four CJK fonts (about 18 MB, the only
# slow ones to load: the rest are small), so no participant's certificate is a process's first.
WARM_UP_DATA = {
    "apo_name": APO_NAME,
    "certificate_name": "Warm Up",
    "native_name": "山田 さとう",
    "native_lang": "ja",
    "native_dir": "ltr",
    "country": "Japan",
    "project_title": "Warm-up",
    "project_code": "WARM-UP",
    "start_date": "2026-01-01",
    "end_date": "2026-01-01",
    "date_range": "1 January 2026",
    "modality": "Face-to-face",
    "host_country": "Japan",
    "implementing_organizations": ["APO Secretariat"],
    "signatory_name": "Warm Up",
    "signatory_title": "Warm Up",
    "number": "WARM-UP-0001",
    "issued_date": "1 January 2026",
    "verification_url": "https://example.org/v/0000000000000000000000000/",
    "verification_base": "https://example.org/v/",
    "verification_code_grouped": "0000 0000 0000 0000 0000 0000 0",
}


def warm_up():
    """Ready this process to set certificates: the pipeline's one-time costs, then one sample
    certificate (`WARM_UP_DATA`), so that the first real one costs about what the next ones do."""
    pipeline.warm_up()
    render_certificate(WARM_UP_DATA)


__all__ = [
    "APO_NAME",
    "RTL_LANGS",
    "STYLESHEETS",
    "_renderer",
    "certificate_data",
    "certificate_html",
    "native_lang",
    "qr_svg_data_uri",
    "render_certificate",
    "render_pdf",
    "static_path",
    "warm_up",
]
