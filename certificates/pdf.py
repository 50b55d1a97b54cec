"""The certificate PDF: its data, its template and stylesheet, handed to the shared pipeline.

Rendering (WeasyPrint, the vendored fonts, the restricted URL fetcher) is `apopms.pdf`;
this module only says what a certificate looks like: plain data in, PDF bytes out.
"""

import unicodedata

import segno
from django.template.loader import render_to_string

from apopms import pdf as pipeline
from apopms.pdf import _renderer, html_to_pdf, static_path

STYLESHEET = "certificates/certificate.css"
# Every sheet a certificate is set with, in order (the shared fonts first).
STYLESHEETS = (*pipeline.FONT_STYLESHEETS, STYLESHEET)
TEMPLATE = "certificates/pdf/certificate.html"

# The script of a native name decides its language tag, and the stylesheet picks the
# font per language (:lang), so Han characters get the right regional forms.
_SCRIPT_LANG = {
    "THAI": "th",
    "LAO": "lo",
    "KHMER": "km",
    "BENGALI": "bn",
    "DEVANAGARI": "hi",
    "SINHALA": "si",
    "TAMIL": "ta",
    "HANGUL": "ko",
    "HIRAGANA": "ja",
    "KATAKANA": "ja",
    "CYRILLIC": "mn",
    "MONGOLIAN": "mn-Mong",  # Traditional Mongolian script (set horizontally on the certificate)
}
_COUNTRY_OVERRIDES = {
    ("DEVANAGARI", "NP"): "ne",
    ("ARABIC", "PK"): "ur",
    ("ARABIC", "IR"): "fa",
    ("CJK", "TW"): "zh-Hant",
    ("CJK", "HK"): "zh-Hant",
    ("CJK", "JP"): "ja",
    ("CJK", "KR"): "ko",
}
RTL_LANGS = {"fa", "ur", "ar"}


def _script_of(char):
    name = unicodedata.name(char, "")
    if name.startswith("CJK"):
        return "CJK"
    return name.split(" ", 1)[0]


def native_lang(text, country_iso2=""):
    """The BCP 47 tag for a name in its own script: 'th', 'fa', 'zh-Hant', … ('' for Latin)."""
    scripts = [_script_of(c) for c in text if c.isalpha()]
    if not scripts:
        return ""
    if "HIRAGANA" in scripts or "KATAKANA" in scripts:
        return "ja"
    script = max(set(scripts), key=scripts.count)
    if (script, country_iso2) in _COUNTRY_OVERRIDES:
        return _COUNTRY_OVERRIDES[(script, country_iso2)]
    if script == "ARABIC":
        return "fa"
    if script == "CJK":
        return "zh-Hans"
    return _SCRIPT_LANG.get(script, "")


def qr_svg_data_uri(url):
    return segno.make(url, error="m").svg_data_uri(scale=4, border=0, dark="#1b2a4a")


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


__all__ = [
    "RTL_LANGS",
    "STYLESHEETS",
    "_renderer",
    "certificate_html",
    "native_lang",
    "qr_svg_data_uri",
    "render_certificate",
    "render_pdf",
    "static_path",
]
