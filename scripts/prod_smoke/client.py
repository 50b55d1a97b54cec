"""A browser-like HTTP client for the smoke round: TLS through the proxy, cookies, CSRF, forms.

Every request is recorded with its status; `expect` says which statuses are a success, so the
round ends with the list of requests that failed (none, when all is well).
"""

import html.parser
import http.client
import json
import re
import secrets
import ssl
import time
import urllib.parse


class Form:
    def __init__(self, action, method):
        self.action, self.method = action, method
        self.fields = []  # (name, value) as the browser would send them
        self.options = {}  # select name -> option values
        self.buttons = []  # (name, value) of named submit buttons

    def values(self, **overrides):
        data = [(k, v) for k, v in self.fields if k not in overrides]
        for key, value in overrides.items():
            data.append((key, value))
        return data


class _FormParser(html.parser.HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms, self._form, self._select, self._option, self._textarea = [], None, None, None, None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            self._form = Form(a.get("action") or "", (a.get("method") or "get").lower())
            self.forms.append(self._form)
        form = self._form
        if form is None:
            return
        name = a.get("name")
        if tag == "input" and name:
            kind = (a.get("type") or "text").lower()
            if kind in ("submit", "button", "image"):
                form.buttons.append((name, a.get("value", "")))
            elif kind in ("checkbox", "radio"):
                if "checked" in a:
                    form.fields.append((name, a.get("value", "on")))
            elif kind != "file":
                form.fields.append((name, a.get("value", "")))
        elif tag == "button" and name:
            form.buttons.append((name, a.get("value", "")))
        elif tag == "select" and name:
            self._select = [name, None, []]
        elif tag == "option" and self._select is not None:
            self._option = a.get("value")
            self._select[2].append(self._option)
            if "selected" in a:
                self._select[1] = self._option
        elif tag == "textarea" and name:
            self._textarea = [name, ""]

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea[1] += data

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "select" and self._select is not None and self._form is not None:
            name, chosen, options = self._select
            self._form.options[name] = options
            if chosen is None:
                chosen = next((o for o in options if o), "")
            self._form.fields.append((name, chosen))
            self._select = None
        elif tag == "textarea" and self._textarea is not None and self._form is not None:
            self._form.fields.append(tuple(self._textarea))
            self._textarea = None


def forms(page):
    parser = _FormParser()
    parser.feed(page)
    return parser.forms


def _multipart(fields, files):
    boundary = f"----smoke{secrets.token_hex(12)}"
    parts = []
    for name, value in fields:
        parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode())
    for name, (filename, content, kind) in files.items():
        head = (
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; filename="{filename}"\r\n'
            f"Content-Type: {kind}\r\n\r\n"
        )
        parts.append(head.encode() + content + b"\r\n")
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


class Response:
    def __init__(self, status, headers, body):
        self.status, self.headers, self.body = status, headers, body

    @property
    def text(self):
        return self.body.decode("utf-8", "replace")

    @property
    def location(self):
        return self.headers.get("location", "")


class Client:
    """One visitor (its own cookies) talking HTTPS to the proxy."""

    def __init__(self, port, host, ca_file, log):
        self.port, self.host, self.log = port, host, log
        self.context = ssl.create_default_context(cafile=str(ca_file))
        self.cookies = {}

    @property
    def origin(self):
        return f"https://{self.host}:{self.port}"

    def request(self, method, path, *, body=None, headers=None, expect=(200,)):
        # The proxy's certificate names the portal's host and 127.0.0.1, where it listens.
        conn = http.client.HTTPSConnection("127.0.0.1", self.port, context=self.context, timeout=60)
        all_headers = {"Host": f"{self.host}:{self.port}", "User-Agent": "apopms-prod-smoke"}
        if self.cookies:
            all_headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        all_headers.update(headers or {})
        began = time.monotonic()
        try:
            conn.request(method, path, body=body, headers=all_headers)
            raw = conn.getresponse()
            response = Response(raw.status, {k.lower(): v for k, v in raw.getheaders()}, raw.read())
            for header, value in raw.getheaders():
                if header.lower() == "set-cookie":
                    name, _, rest = value.partition("=")
                    self.cookies[name.strip()] = rest.split(";", 1)[0]
        except OSError as exc:
            self.log.record(method, path, None, time.monotonic() - began, ok=False, note=str(exc))
            raise
        finally:
            conn.close()
        ok = response.status in expect
        self.log.record(method, path, response.status, time.monotonic() - began, ok=ok, note=response.text[:300])
        return response

    def get(self, path, **kwargs):
        return self.request("GET", path, **kwargs)

    def post(self, path, data, *, files=None, referer=None, expect=(302,), headers=None):
        data = list(data.items()) if isinstance(data, dict) else list(data)
        if not any(k == "csrfmiddlewaretoken" for k, _ in data):
            data.append(("csrfmiddlewaretoken", self.cookies.get("csrftoken", "")))
        extra = {"Origin": self.origin, "Referer": self.origin + (referer or path)}
        extra.update(headers or {})
        if files:
            body, kind = _multipart(data, files)
        else:
            body, kind = urllib.parse.urlencode(data).encode(), "application/x-www-form-urlencoded"
        extra["Content-Type"] = kind
        return self.request("POST", path, body=body, headers=extra, expect=expect)

    def form(self, path, match=None):
        """GET `path` and return its POST form whose action contains `match` (default: posting to `path`)."""
        page = self.get(path)
        for form in forms(page.text):
            if form.method == "post" and (match or path) in (form.action or path):
                form.action = form.action or path
                return form
        raise AssertionError(f"No form matching {match!r} on {path}")

    def login(self, email, password):
        form = self.form("/accounts/login/")
        response = self.post("/accounts/login/", form.values(username=email, password=password))
        if "sessionid" not in self.cookies:
            raise AssertionError(f"Login of {email} failed: {response.status}")


class RequestLog:
    def __init__(self):
        self.entries = []

    def record(self, method, path, status, seconds, *, ok, note=""):
        self.entries.append({"method": method, "path": path, "status": status, "s": seconds, "ok": ok, "note": note})

    def failed(self):
        return [e for e in self.entries if not e["ok"]]

    def summary(self):
        return json.dumps([{k: e[k] for k in ("method", "path", "status", "note")} for e in self.failed()][:10])


def links(page, pattern):
    """The distinct matches of `pattern` (a regex with groups) in `page`, in order."""
    seen = []
    for match in re.finditer(pattern, page):
        if match.groups() not in seen:
            seen.append(match.groups())
    return seen
