"""Fragment caches of the public pages: the part of a page every visitor sees alike, kept rendered.

Only for anonymous requests, and only a fragment: the page around it (navigation, the CSRF token
in <body>, forms) is rendered for each request, so nothing personal or any token is ever cached.
A fragment's key names everything it is made from: the project, its last change (`updated_at`,
moved by every edit of the notification), its latest notification revision, its phase (which moves
with the clock, e.g. when the nomination deadline passes) and, for the programme, the published
version and the viewer's zone. A change gives a new key, so the next visitor sees it at once; old
entries simply expire (`FRAGMENT_TIMEOUT`).
"""

import hashlib
import logging

from django.core.cache import cache
from django.template.loader import render_to_string

FRAGMENT_TIMEOUT = 6 * 3600
logger = logging.getLogger(__name__)


def project_key_parts(project, now=None):
    """What every public fragment of `project` depends on, besides its own parts."""
    return (project.pk, project.updated_at.isoformat(), project.phase(now), project.deadline_passed(now))


def fragment_key(name, *parts):
    digest = hashlib.sha256("|".join(str(part) for part in parts).encode()).hexdigest()[:32]
    return f"fragment:{name}:{digest}"


def anonymous_fragment(request, name, parts, template, context):
    """The HTML of `template` with `context` (a dict, or a callable giving one, only called when
    rendering): from the cache under (`name`, `parts`) for an anonymous request, rendered (and kept)
    on a miss; always rendered afresh for a signed-in person."""
    if request.user.is_authenticated:
        return render_to_string(template, context() if callable(context) else context, request=None)
    key = fragment_key(name, *parts)
    try:
        html = cache.get(key)
    except Exception:  # the cache down (Redis restarting): the page is rendered as without one
        logger.warning("Fragment cache unavailable: %s rendered afresh", name, exc_info=True)
        return render_to_string(template, context() if callable(context) else context, request=None)
    if html is None:
        html = render_to_string(template, context() if callable(context) else context, request=None)
        try:
            cache.set(key, html, FRAGMENT_TIMEOUT)
        except Exception:
            logger.warning("Fragment cache unavailable: %s not kept", name, exc_info=True)
    return html
