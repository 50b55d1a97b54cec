"""The home page's sections, made from the published projects the view already fetched (no query
of its own): those open for nominations, soonest deadline first, and the workshops still to
come or under way, soonest first."""

from django import template
from django.utils import timezone

register = template.Library()


@register.simple_tag
def home_sections(projects, now=None):
    now = now or timezone.now()
    projects = list(projects)
    open_now = sorted((p for p in projects if p.accepts_nominations(now)), key=lambda p: p.nomination_deadline)
    open_ids = {p.pk for p in open_now}
    upcoming = []
    for project in projects:
        today = now.astimezone(project.zone).date()
        if project.pk not in open_ids and project.end_date >= today:
            project.under_way = project.start_date <= today
            upcoming.append(project)
    upcoming.sort(key=lambda p: (p.start_date, p.code))
    return {"open": open_now, "upcoming": upcoming}
