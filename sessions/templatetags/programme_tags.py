"""Times of the programme editor, in the project's zone and labelled."""

from django import template

from sessions.programme import time_range

register = template.Library()


@register.simple_tag
def time_span(start, end, zone):
    """'Wed 24 Aug 2022, 10:00–13:00 Colombo (UTC+05:30)'."""
    if not (start and end and zone):
        return ""
    return time_range(start, end, zone)
