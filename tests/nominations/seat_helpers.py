"""A published selection to confirm seats in and replace dropouts from."""

import datetime

from django.utils import timezone

from nominations import services
from nominations.enums import Decision
from nominations.models import Participant
from tests import factories

from .selection_helpers import closed_project, submitted


def project_today(project):
    return timezone.localdate(timezone=project.zone)


def published(secretariat, *, countries=("IN", "IN", "JP"), reserve=(), **kwargs):
    """A project whose selection is published: one participant per entry of `countries` (in order),
    and `reserve` nominations on the reserve list. Returns (project, participants)."""
    kwargs.setdefault("overseas_quota", len(countries))
    project = closed_project(**kwargs)
    chosen = [submitted(project, iso2) for iso2 in countries]
    for nomination in chosen:
        services.decide_nomination(nomination=nomination, actor=secretariat, decision=Decision.SELECTED)
    for iso2 in reserve:
        services.decide_nomination(nomination=submitted(project, iso2), actor=secretariat, decision=Decision.RESERVE)
    services.publish_selection(project=project, actor=secretariat)
    participants = [Participant.objects.select_related("user", "country").get(nomination=n) for n in chosen]
    return project, participants


def open_window(project, secretariat, iso2="IN", seats=1, days=10):
    return services.open_replacement_window(
        project=project,
        country=factories.country(iso2),
        actor=secretariat,
        seats=seats,
        closing_date=project_today(project) + datetime.timedelta(days=days),
    )
