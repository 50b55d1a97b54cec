"""What every journey does on its key pages: screenshots, axe-core, phone width, CSP hygiene."""

import re
import time
from dataclasses import dataclass, field
from pathlib import Path

# Test-only assets live beside the journeys, outside static/, so they are never deployed.
ASSETS = Path(__file__).parent / "assets"
AXE_JS = ASSETS / "axe-core" / "axe.min.js"
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}
FAIL_IMPACTS = {"serious", "critical"}
PASSWORD = "correct horse battery staple"

_INLINE_SCRIPT = re.compile(r"<script\b(?![^>]*\bsrc=)(?![^>]*type=\"application/(?:ld\+)?json\")[^>]*>", re.I)
_INLINE_STYLE = re.compile(r"<style\b|<[a-z][^>]*\sstyle\s*=", re.I)


def exactly(label):
    """A label matched whole, with or without crispy-forms' required-field asterisk."""
    return re.compile(rf"^\s*{re.escape(label)}\s*\*?\s*$")


def wait_until(predicate, *, timeout=30.0, interval=0.2, message="condition"):
    """Poll `predicate` (e.g. an ORM query or the mail outbox) until it is truthy."""
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout:.0f} s waiting for {message}")
        time.sleep(interval)


def tiny_pdf(text="Curriculum vitae"):
    """A small but valid one-page PDF (correct xref offsets), made here."""
    stream = f"BT /F1 18 Tf 72 720 Td ({text}) Tj ET".encode()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length " + str(len(stream)).encode() + b" >>\nstream\n" + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    for offset in offsets:
        out += f"{offset:010d} 00000 n \n".encode()
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return bytes(out)


def format_violations(violations):
    lines = []
    for v in violations:
        lines.append(f"  [{v['impact']}] {v['id']}: {v['help']} ({v['helpUrl']})")
        for node in v["nodes"][:8]:
            target = " ".join(str(t) for t in node["target"])
            summary = " ".join((node.get("failureSummary") or "").split())
            lines.append(f"      at {target}: {summary[:300]}")
            lines.append(f"         {node['html'][:200]}")
        if len(v["nodes"]) > 8:
            lines.append(f"      … and {len(v['nodes']) - 8} more")
    return "\n".join(lines)


@dataclass
class Journey:
    context: object
    base_url: str
    folder: Path
    pages_checked: list = field(default_factory=list)
    _counter: int = 0

    def new_page(self):
        page = self.context.new_page()
        page.on("pageerror", lambda exc: self._js_errors.append(str(exc)))
        return page

    def __post_init__(self):
        self._js_errors = []

    # Logging in through the real form (the login throttle and the session cookie included).
    def login(self, page, email, password=PASSWORD):
        page.goto("/accounts/login/")
        page.get_by_label("E-mail address").fill(email)
        page.get_by_label("Password").fill(password)
        page.get_by_role("button", name="Log in").click()
        page.wait_for_load_state()
        assert "/accounts/login/" not in page.url, f"login as {email} failed: {page.inner_text('main')[:300]}"

    def logout(self, page):
        page.set_viewport_size(DESKTOP)
        page.get_by_role("button", name="Log out").click()
        page.wait_for_load_state()

    def check(self, page, name, *, axe=True, phone=True):
        """Screenshot `page` on a desktop and at phone width, run axe-core on both,
        and check that the main content does not scroll sideways."""
        page.wait_for_load_state("load")
        page.mouse.move(0, 0)  # no hover state left from the last click
        started = time.monotonic()
        self._counter += 1
        stem = f"{self._counter:02d}-{name}"
        problems = []
        self._check_served_html(page, stem, problems)
        for label, size in (("desktop", DESKTOP), ("phone", PHONE)) if phone else (("desktop", DESKTOP),):
            page.set_viewport_size(size)
            page.wait_for_timeout(50)
            page.screenshot(path=str(self.folder / f"{stem}-{label}.png"), full_page=True)
            overflow = self._overflow(page)
            if overflow:
                problems.append(f"{stem} ({label}, {size['width']} px) scrolls sideways: {overflow}")
            if axe:
                violations = self._axe(page)
                if violations:
                    problems.append(
                        f"{stem} ({label}): axe-core found serious/critical violations at {page.url}\n"
                        + format_violations(violations)
                    )
        page.set_viewport_size(DESKTOP)
        if self._js_errors:
            problems.append(f"{stem}: JavaScript errors: {self._js_errors}")
            self._js_errors.clear()
        self.pages_checked.append(stem)
        print(f"checked {stem} in {time.monotonic() - started:.1f} s")
        assert not problems, "\n".join(problems)

    def _check_served_html(self, page, stem, problems):
        """Chromium ignores the CSP in these contexts (for axe), so check the served HTML
        itself for what the strict CSP would block: inline scripts, styles, style attributes."""
        response = page.context.request.get(page.url)  # with the cookies of the page's own browser
        if "text/html" not in response.headers.get("content-type", ""):
            return
        html = response.text()
        for pattern, what in ((_INLINE_SCRIPT, "inline <script>"), (_INLINE_STYLE, "inline style")):
            found = pattern.search(html)
            if found:
                start = max(found.start() - 80, 0)
                problems.append(f"{stem}: {what} the CSP blocks at {page.url}: …{html[start : found.end() + 80]}…")

    def _axe(self, page):
        if not page.evaluate("() => typeof window.axe !== 'undefined'"):
            page.add_script_tag(path=str(AXE_JS))
        result = page.evaluate(
            """async () => {
                const r = await axe.run(document, {resultTypes: ['violations']});
                return r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help, helpUrl: v.helpUrl,
                    nodes: v.nodes.map(n => ({target: n.target, html: n.html, failureSummary: n.failureSummary}))}));
            }"""
        )
        return [v for v in result if v["impact"] in FAIL_IMPACTS]

    @staticmethod
    def _overflow(page):
        return page.evaluate(
            """() => {
                const doc = document.documentElement, main = document.querySelector('main');
                const width = doc.clientWidth;
                const pageScrolls = doc.scrollWidth > width + 1;
                const mainScrolls = main && main.scrollWidth > main.clientWidth + 1;
                if (!pageScrolls && !mainScrolls) return null;
                // Name the widest elements that stick out (those inside a scrolling box are fine).
                const culprits = [];
                const limit = pageScrolls ? width : main.getBoundingClientRect().right;
                for (const el of document.querySelectorAll(pageScrolls ? 'body *' : 'main *')) {
                    const r = el.getBoundingClientRect();
                    const scrolled = el.parentElement.closest('.table-responsive')
                        && !['absolute', 'fixed'].includes(getComputedStyle(el).position);
                    if (r.right > limit + 1 && !scrolled) {
                        culprits.push(`${el.tagName.toLowerCase()}${el.id ? '#' + el.id : ''}` +
                            `${el.className && typeof el.className === 'string' ? '.' + el.className.trim().split(/\\s+/).join('.') : ''}` +
                            ` (right edge ${Math.round(r.right)} px)`);
                    }
                }
                return `document ${doc.scrollWidth} px / viewport ${width} px, main ${main ? main.scrollWidth : '-'}`
                    + ` / ${main ? main.clientWidth : '-'} px; sticking out: ${culprits.slice(0, 6).join(', ') || 'none'}`;
            }"""
        )

    def mail_to(self, address):
        from django.core import mail

        return [m for m in mail.outbox if address.lower() in [a.lower() for a in m.to]]


def link_in(message, path_fragment):
    """The first absolute link in an e-mail (text or HTML part) that contains `path_fragment`."""
    bodies = [message.body] + [alt[0] for alt in getattr(message, "alternatives", [])]
    for body in bodies:
        for url in re.findall(r"https?://[^\s\"'<>]+", body):
            if path_fragment in url:
                return url
    raise AssertionError(f"no link containing {path_fragment!r} in the e-mail {message.subject!r}")
