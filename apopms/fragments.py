"""Fragment caches of the public pages: the part of a page every visitor sees alike, kept rendered.

Only for anonymous requests, and only a fragment: the page around it (the CSRF token in <body>,
forms, messages) is rendered for each request, so nothing personal or any token is ever cached.
A fragment's key names everything it is made from: the project, its last change (`updated_at`,
moved by every edit of the notification), its latest notification revision, its phase (which moves
with the clock, e.g. when the nomination deadline passes) and, for the programme, the published
version and the viewer's zone. A change gives a new key, so the next visitor sees it at once; old
entries simply expire (`FRAGMENT_TIMEOUT`).

Every key also names the release (`release()`): a new deployment, whose templates or static file
names differ, never serves a fragment the previous one made.

Two levels: the shared cache (Redis), and in front of it a small table in each process. Since a
key names its content, a copy kept in the process can never be older than the shared one; it
spares the round trip to Redis that a visitor's page would otherwise spend most of its time on.
"""

import functools
import hashlib
import logging
import threading
import time
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.core.cache import cache
from django.template.loader import render_to_string

FRAGMENT_TIMEOUT = 6 * 3600
LOCAL_SIZE = 512  # fragments kept per process (a few kB each)
logger = logging.getLogger(__name__)

_local = {}  # {key: (monotonic expiry, html)}, oldest first
_local_lock = threading.Lock()


def project_key_parts(project, now=None):
    """What every public fragment of `project` depends on, besides its own parts."""
    return (project.pk, project.updated_at.isoformat(), project.phase(now), project.deadline_passed(now))


@functools.cache
def release():
    """A digest of what this process renders fragments with: the portal's own templates and code,
    and the static files' names (the manifest of hashed names, in production)."""
    digest = hashlib.sha256()
    base = Path(settings.BASE_DIR)
    roots = [Path(d) for d in settings.TEMPLATES[0]["DIRS"]]
    roots += [Path(config.path) for config in apps.get_app_configs() if Path(config.path).is_relative_to(base)]
    for root in sorted(set(roots)):
        for path in sorted(root.rglob("*")):
            if path.suffix in (".py", ".html", ".txt") and path.is_file():
                digest.update(str(path.relative_to(base)).encode())
                digest.update(path.read_bytes())
    manifest = Path(settings.STATIC_ROOT) / "staticfiles.json"
    if manifest.is_file():
        digest.update(manifest.read_bytes())
    return digest.hexdigest()[:12]


def fragment_key(name, *parts):
    digest = hashlib.sha256("|".join(str(part) for part in (release(), *parts)).encode()).hexdigest()[:32]
    return f"fragment:{name}:{digest}"


def forget_local():
    """Empty this process's table (the shared cache is emptied with `cache.clear()`)."""
    with _local_lock:
        _local.clear()


def _local_get(key):
    found = _local.get(key)
    if found is None:
        return None
    expires, html = found
    if expires < time.monotonic():
        with _local_lock:
            _local.pop(key, None)
        return None
    return html


def _local_set(key, html, timeout):
    with _local_lock:
        if len(_local) >= LOCAL_SIZE:
            for old in list(_local)[: LOCAL_SIZE // 4]:  # the oldest quarter
                del _local[old]
        _local[key] = (time.monotonic() + timeout, html)


def kept(key, render):
    """The HTML under `key`: from this process, else from the shared cache, else `render()` (kept in
    both). The shared cache down (Redis restarting) only costs the rendering."""
    html = _local_get(key)
    if html is not None:
        return html
    try:
        html = cache.get(key)
    except Exception:
        logger.warning("Fragment cache unavailable: %s rendered afresh", key, exc_info=True)
        html = None
    if html is None:
        html = render()
        try:
            cache.set(key, html, FRAGMENT_TIMEOUT)
        except Exception:
            logger.warning("Fragment cache unavailable: %s not kept", key, exc_info=True)
    # The shared entry may be older than this process: keep it here no longer than it lives there.
    _local_set(key, html, FRAGMENT_TIMEOUT / 6)
    return html


def anonymous_fragment(request, name, parts, template, context):
    """The HTML of `template` with `context` (a dict, or a callable giving one, only called when
    rendering): kept under (`name`, `parts`) for an anonymous request; always rendered afresh for a
    signed-in person."""

    def render():
        return render_to_string(template, context() if callable(context) else context, request=None)

    if request.user.is_authenticated:
        return render()
    return kept(fragment_key(name, *parts), render)
