"""Rendering a certificate PDF: plain data in, PDF bytes out.

WeasyPrint is imported inside the functions (slow to import, and only workers need
it). Each process builds its FontConfiguration, parsed stylesheets and URL fetcher
once (`_renderer()`), because loading the vendored fonts is the expensive part and a
fresh configuration per document also grows memory.
"""

import atexit
import logging
import os
import shutil
import threading
import unicodedata
from pathlib import Path
from urllib.parse import unquote, urlsplit

from django.contrib.staticfiles import finders
from django.template.loader import render_to_string

STYLESHEETS = ("certificates/fonts.css", "certificates/certificate.css")
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


def _static_roots():
    """Real paths of every folder the staticfiles finders search."""
    roots = set()
    for finder in finders.get_finders():
        for _prefix, root in getattr(finder, "locations", []):
            roots.add(os.path.realpath(root))
        for storage in getattr(finder, "storages", {}).values():
            location = getattr(storage, "location", None)
            if location:
                roots.add(os.path.realpath(location))
    return roots


def static_path(relative):
    """The real path of a static file found by the finders, or None."""
    found = finders.find(relative)
    return os.path.realpath(found) if found else None


def _fetcher_class():
    from weasyprint.urls import URLFetcher

    class StaticOnlyFetcher(URLFetcher):
        """Lets WeasyPrint read `data:` URLs and the project's own static files, nothing else.

        The default fetcher follows any URL (http, file:///etc/…, attachments), which a
        name or a template mistake must never turn into a read of the server's files.
        """

        def __init__(self):
            super().__init__(allowed_protocols=("data", "file"), allow_redirects=False, timeout=2)
            self._roots = _static_roots()

        def fetch(self, url, headers=None):
            scheme = url.split(":", 1)[0].lower()
            if scheme == "data":
                return super().fetch(url, headers)
            if scheme != "file":
                raise ValueError(f"Refused to fetch {url[:80]!r}: only data: and static files.")
            path = os.path.realpath(unquote(urlsplit(url).path))
            for root in self._roots:
                if path.startswith(root + os.sep):
                    relative = os.path.relpath(path, root)
                    if static_path(relative) == path and os.path.isfile(path):
                        return super().fetch(Path(path).as_uri(), headers)
            raise ValueError(f"Refused to fetch {url[:80]!r}: not a static file.")

    return StaticOnlyFetcher


class _Renderer:
    def __init__(self):
        from weasyprint import CSS
        from weasyprint.text.fonts import FontConfiguration

        # Step-by-step progress and font decoding chatter would flood a worker's log.
        logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)
        logging.getLogger("fontTools").setLevel(logging.WARNING)
        self.fetcher = _fetcher_class()()
        self.font_config = FontConfiguration()
        self.stylesheets = [
            CSS(filename=static_path(name), font_config=self.font_config, url_fetcher=self.fetcher)
            for name in STYLESHEETS
        ]
        # FontConfiguration.__del__ may not run at interpreter exit: remove its font folder then.
        atexit.register(self.close)

    def close(self):
        folder, self.font_config._folder = self.font_config._folder, None
        if folder:
            shutil.rmtree(folder, ignore_errors=True)


_renderer_instance = None
_renderer_lock = threading.Lock()


def _renderer():
    """The per-process renderer, built on first use (after a fork, in the worker)."""
    global _renderer_instance
    pid = os.getpid()
    if _renderer_instance is None or _renderer_instance[0] != pid:
        with _renderer_lock:
            if _renderer_instance is None or _renderer_instance[0] != pid:
                _renderer_instance = (pid, _Renderer())
    return _renderer_instance[1]


def qr_svg_data_uri(url):
    import segno

    return segno.make(url, error="m").svg_data_uri(scale=4, border=0, dark="#1b2a4a")


def certificate_html(data):
    """The certificate's HTML from plain data (a dict of strings and lists). Autoescaped."""
    return render_to_string(TEMPLATE, {"c": data, "qr": qr_svg_data_uri(data["verification_url"])})


def render_pdf(html, **options):
    """PDF bytes of `html` with the certificate stylesheets, fonts and the static-only fetcher."""
    from weasyprint import HTML

    renderer = _renderer()
    document = HTML(string=html, url_fetcher=renderer.fetcher, base_url=None)
    return document.write_pdf(stylesheets=renderer.stylesheets, font_config=renderer.font_config, **options)


def render_certificate(data, **options):
    """The pure function of the PDF: plain data in, PDF bytes out."""
    return render_pdf(certificate_html(data), **options)
