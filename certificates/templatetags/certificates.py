from django import template

from sessions.selectors import missed_sessions

from .. import selectors

register = template.Library()


@register.simple_tag
def certificate_state(participant, over):
    """What "My workshop" shows: the live certificate, or why there is none yet. `over`: whether the
    programme is over (`selectors.issuing_open`), as the page has read it already."""
    certificate = selectors.live_certificate(participant, fields=("number", "issued_at"))
    if certificate is not None:
        return {"certificate": certificate}
    if not over:
        return {"certificate": None, "ended": False, "missed": []}
    return {"certificate": None, "ended": True, "missed": list(missed_sessions(participant))}
