from django import template
from django.utils import timezone

from sessions.selectors import missed_sessions

from ..models import Certificate
from ..services import last_session_end

register = template.Library()


@register.simple_tag
def certificate_state(participant):
    """What "My workshop" shows: the live certificate, or why there is none yet."""
    certificate = Certificate.objects.live().filter(participant=participant).only("number", "issued_at").first()
    if certificate is not None:
        return {"certificate": certificate}
    end = last_session_end(participant.project)
    missed = list(missed_sessions(participant)) if end is not None else []
    ended = end is not None and end <= timezone.now()
    return {"certificate": None, "ended": ended, "has_sessions": end is not None, "missed": missed}
