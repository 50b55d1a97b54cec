"""Template tags of attendance: `{% participant_attendance participant as row %}` for "My workshop"."""

from django import template

from sessions.selectors import participant_attendance as _participant_attendance

register = template.Library()


@register.simple_tag
def participant_attendance(participant):
    """The participant's GridRow: `.cells` in time order, `.present_count`, `.attended_every_session`."""
    return _participant_attendance(participant)


@register.filter
def percent(share):
    """0.80 -> 80."""
    return int(share * 100) if share is not None else ""
