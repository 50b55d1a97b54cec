"""The one PDF pipeline of the portal: a Django template and plain data in, PDF bytes out.

Every PDF (the certificates of attendance, the printable programme) is set with the same
vendored Noto fonts (`static/pdf/fonts.css`, built by `python -m certificates.fontvendor`)
and the same font stack for every member country's script (`static/pdf/scripts.css`), and
read through the same restricted URL fetcher, which lets through `data:` URLs and the
project's own static files only.

WeasyPrint is imported inside the functions (slow to import, and only the processes that
make a PDF need it). Each process builds its FontConfiguration, the parsed font stylesheets
and the URL fetcher once (`_renderer()`), because loading the vendored fonts is the expensive
part and a fresh configuration per document also grows memory.
"""

import atexit
import logging
import os
import shutil
import threading
from pathlib import Path
from urllib.parse import unquote, urlsplit

from django.contrib.staticfiles import finders
from django.template.loader import render_to_string

# Set before a document's own stylesheets: the fonts, then which font draws which script.
FONT_STYLESHEETS = ("pdf/fonts.css", "pdf/scripts.css")


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
    from weasyprint.urls import URLFetcher  # noqa: PLC0415 - WeasyPrint is slow to import

    class StaticOnlyFetcher(URLFetcher):
        """Lets WeasyPrint read `data:` URLs and the project's own static files, nothing else.

        The default fetcher follows any URL (http, file:///etc/…, attachments), which a
        name or a template mistake must never turn into a read of the server's files or
        a call to the network.
        """

        def __init__(self):
            super().__init__(allowed_protocols=("data", "file"), allow_redirects=False, timeout=2)
            self._roots = _static_roots()

        def fetch(self, url, headers=None):
            scheme = url.split(":", 1)[0].lower()
            if scheme == "data":
                return super().fetch(url, headers)
            if scheme != "file":
                raise ValueError(f"Refused to fetch {url[:80]!r}: a PDF fetches nothing but data: and static files.")
            path = os.path.realpath(unquote(urlsplit(url).path))
            for root in self._roots:
                if path.startswith(root + os.sep):
                    relative = os.path.relpath(path, root)
                    if static_path(relative) == path and os.path.isfile(path):
                        return super().fetch(Path(path).as_uri(), headers)
            raise ValueError(f"Refused to fetch {url[:80]!r}: a PDF fetches nothing but data: and static files.")

    return StaticOnlyFetcher


class _Renderer:
    """The per-process state of the pipeline: fetcher, font configuration, parsed stylesheets."""

    def __init__(self):
        from weasyprint.text.fonts import FontConfiguration  # noqa: PLC0415 - WeasyPrint is slow to import

        # Step-by-step progress and font decoding chatter would flood a worker's log.
        logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)
        logging.getLogger("fontTools").setLevel(logging.WARNING)
        self.fetcher = _fetcher_class()()
        self.font_config = FontConfiguration()
        self._sheets = {}
        self._lock = threading.Lock()
        self.font_stylesheets = self.stylesheets(FONT_STYLESHEETS)
        # FontConfiguration.__del__ may not run at interpreter exit: remove its font folder then.
        atexit.register(self.close)

    def stylesheets(self, names):
        """The static stylesheets `names`, each parsed once per process."""
        from weasyprint import CSS  # noqa: PLC0415 - WeasyPrint is slow to import

        parsed = []
        for name in names:
            with self._lock:
                if name not in self._sheets:
                    path = static_path(name)
                    if path is None:
                        raise FileNotFoundError(f"No static stylesheet {name!r}.")
                    self._sheets[name] = CSS(filename=path, font_config=self.font_config, url_fetcher=self.fetcher)
                parsed.append(self._sheets[name])
        return parsed

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


def html_to_pdf(html, *, stylesheets=(), **options):
    """PDF bytes of `html`, set with the shared fonts and then the static `stylesheets`.

    Nothing is read but `data:` URLs and the project's static files. The PDF's title,
    author, subject and keywords come from the document's <title> and <meta> elements.
    """
    from weasyprint import HTML  # noqa: PLC0415 - WeasyPrint is slow to import

    renderer = _renderer()
    sheets = renderer.font_stylesheets + renderer.stylesheets(stylesheets)
    document = HTML(string=html, url_fetcher=renderer.fetcher, base_url=None)
    return document.write_pdf(stylesheets=sheets, font_config=renderer.font_config, **options)


def render_pdf(template_name, context, *, stylesheets=(), **options):
    """The pure function of every PDF: a template and plain data (no model instances) in, bytes out.

    The template is autoescaped; `stylesheets` are static paths (e.g. "certificates/certificate.css")
    set after the shared fonts; `options` go to WeasyPrint's `write_pdf`.
    """
    return html_to_pdf(render_to_string(template_name, context), stylesheets=stylesheets, **options)
