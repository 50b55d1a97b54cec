"""The one PDF pipeline of the portal: a Django template and plain data in, PDF bytes out.

Every PDF (the certificates of attendance, the printable programme) is set with the same
vendored Noto fonts (`static/pdf/fonts.css`, built by `python -m certificates.fontvendor`)
and the same font stack for every member country's script (`static/pdf/scripts.css`), and
read through the same restricted URL fetcher, which lets through `data:` URLs and the
project's own static files only.

WeasyPrint is imported inside the functions (slow to import, and only the processes that
make a PDF need it). Each process builds its FontConfiguration, the parsed stylesheets and the
URL fetcher once (`_renderer()`), because loading the vendored fonts is the expensive part and
a fresh configuration per document also grows memory. A font is loaded the first time a
document needs it (`families_for`: the families that draw a character of the document, from
`static/pdf/coverage.json`), so the first certificate of a fresh worker decodes Noto Serif and
its name's script, not the four CJK fonts (about 9 MB).
"""

import atexit
import bisect
import functools
import hashlib
import io
import json
import logging
import os
import re
import shutil
import tempfile
import threading
from pathlib import Path
from urllib.parse import unquote, urlsplit

from django.contrib.staticfiles import finders
from django.template.loader import render_to_string

# Set before a document's own stylesheets: the fonts, then which font draws which script.
FONT_STYLESHEETS = ("pdf/fonts.css", "pdf/scripts.css")
FONT_FACES, SCRIPTS = FONT_STYLESHEETS
COVERAGE = "pdf/coverage.json"
# First in every font stack, and drawing every Latin, Vietnamese and Cyrillic name: always loaded.
BASE_FAMILY = "Noto Serif"
# WeasyPrint decompresses a WOFF2 font on every load (about 0.2 s for each CJK font, in every new
# process): the decompressed font is kept here, named by the WOFF2's digest, and read back instead.
FONT_CACHE_DIR = Path(os.environ.get("PDF_FONT_CACHE_DIR") or Path(tempfile.gettempdir()) / "apopms-pdf-fonts")
_FACE_RE = re.compile(r"@font-face\s*{[^}]*?font-family:\s*'(?P<family>[^']+)'[^}]*}", re.S)


@functools.cache
def _font_faces():
    """{family: the @font-face rules of fonts.css for it}, in the file's order."""
    path = static_path(FONT_FACES)
    if path is None:
        raise FileNotFoundError(f"No static stylesheet {FONT_FACES!r}.")
    faces = {}
    with open(path, encoding="utf-8") as handle:
        for match in _FACE_RE.finditer(handle.read()):
            faces[match["family"]] = faces.get(match["family"], "") + match[0] + "\n"
    return faces


@functools.cache
def _coverage():
    """{family: (starts, ends)}: the sorted code point ranges each vendored family draws."""
    path = static_path(COVERAGE)
    if path is None:
        raise FileNotFoundError(f"No static file {COVERAGE!r}: run `python -m certificates.fontvendor --coverage`.")
    with open(path, encoding="utf-8") as handle:
        ranges = json.load(handle)
    return {family: ([a for a, _b in spans], [b for _a, b in spans]) for family, spans in ranges.items()}


def _covers(spans, point):
    starts, ends = spans
    index = bisect.bisect_right(starts, point) - 1
    return index >= 0 and point <= ends[index]


def families_for(text):
    """The vendored families a document with `text` needs: Noto Serif, and for each character it
    does not draw, every family that does (so each font stack finds the same font as with all
    loaded). A character no vendored font draws needs none (it would be missing anyway)."""
    coverage = _coverage()
    base = coverage[BASE_FAMILY]
    needed = {BASE_FAMILY}
    for point in {ord(char) for char in text}:
        if point < 0x250 or _covers(base, point):
            continue
        needed.update(family for family, spans in coverage.items() if _covers(spans, point))
    return needed


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


def decompressed_font(woff2):
    """The TrueType/OpenType bytes of the WOFF2 font `woff2`, decompressed once per machine."""
    cached = FONT_CACHE_DIR / f"{hashlib.sha256(woff2).hexdigest()[:40]}.otf"
    try:
        return cached.read_bytes()
    except OSError:  # not kept yet, or no folder to keep it in: decompressed here
        pass
    from fontTools.ttLib import woff2 as woff2_format  # noqa: PLC0415 - only when a font is first decompressed

    out = io.BytesIO()
    woff2_format.decompress(io.BytesIO(woff2), out)
    font = out.getvalue()
    try:
        FONT_CACHE_DIR.mkdir(parents=True, exist_ok=True)
        # Written aside then renamed: a process reading it never sees half a font.
        with tempfile.NamedTemporaryFile(dir=FONT_CACHE_DIR, suffix=".part", delete=False) as handle:
            handle.write(font)
        os.replace(handle.name, cached)
    except OSError:
        logging.getLogger(__name__).warning("Could not keep the decompressed font in %s", FONT_CACHE_DIR)
    return font


def _fetcher_class():
    from weasyprint.urls import URLFetcher, URLFetcherResponse  # noqa: PLC0415 - WeasyPrint is slow to import

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
                        if path.endswith(".woff2"):
                            return URLFetcherResponse(url, decompressed_font(Path(path).read_bytes()))
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
        self._families = set()
        self._lock = threading.Lock()
        self.load_families({BASE_FAMILY})
        self.font_stylesheets = self.stylesheets([SCRIPTS])
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

    def load_families(self, families):
        """Register the @font-face rules of `families` in the font configuration, each once per process."""
        from weasyprint import CSS  # noqa: PLC0415 - WeasyPrint is slow to import

        missing = set(families) - self._families
        if not missing:
            return
        faces = _font_faces()
        base_url = static_path(FONT_FACES)
        with self._lock:
            for family in sorted(missing - self._families):
                if family in faces:  # parsing the rules loads the fonts into font_config
                    CSS(string=faces[family], base_url=base_url, font_config=self.font_config, url_fetcher=self.fetcher)
                self._families.add(family)

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
    renderer.load_families(families_for(html))
    sheets = renderer.font_stylesheets + renderer.stylesheets(stylesheets)
    document = HTML(string=html, url_fetcher=renderer.fetcher, base_url=None)
    return document.write_pdf(stylesheets=sheets, font_config=renderer.font_config, **options)


def render_pdf(template_name, context, *, stylesheets=(), **options):
    """The pure function of every PDF: a template and plain data (no model instances) in, bytes out.

    The template is autoescaped; `stylesheets` are static paths (e.g. "certificates/certificate.css")
    set after the shared fonts; `options` go to WeasyPrint's `write_pdf`.
    """
    return html_to_pdf(render_to_string(template_name, context), stylesheets=stylesheets, **options)


def warm_up():
    """Build this process's renderer and set one small page, so that the first real document pays
    none of WeasyPrint's one-time costs (its import, Pango's start, cffi's type parsing).
    Called as a worker process starts (`certificates.tasks`): the first certificate is then warm."""
    html_to_pdf("<html><body><p>APO</p></body></html>")
