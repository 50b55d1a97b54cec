"""Reads of seat confirmation and replacement windows, for the pages, the hub and the services."""

from django.db.models import Count, Prefetch, Q
from django.utils import timezone

from apopms.compiled import CompiledQuery, columns, parameter
from apopms.models import MemberCountry

from ..enums import ParticipantStatus
from ..models import Nomination, Participant, ReplacementWindow, SeatConfirmation


def seat_confirmation(project):
    """The project's confirmation date (`SeatConfirmation`), or None when none is set."""
    return SeatConfirmation.objects.filter(project=project).select_related("project").first()


def seat_answerable(participant, confirmation, now=None):
    """Whether `participant` may still confirm or decline: active, and the date (if any) not passed
    or not binding them (selected after it)."""
    if participant.status != ParticipantStatus.ACTIVE:
        return False
    return confirmation is None or confirmation.is_open_for(participant, now)


def remindable_count(project, confirmation, now=None):
    """How many active participants have not confirmed and may still (all before the date; after it,
    those selected later)."""
    waiting = Participant.objects.filter(project=project, status=ParticipantStatus.ACTIVE, confirmed_at__isnull=True)
    if confirmation is not None and not confirmation.is_open(now):
        waiting = waiting.filter(created_at__gte=confirmation.due_at)
    return waiting.count()


def seat_answers(project):
    """{"confirmed", "waiting", "declined"}: the participants' answers, counted in one query."""
    return Participant.objects.filter(project=project).aggregate(
        confirmed=Count("pk", filter=Q(status=ParticipantStatus.ACTIVE, confirmed_at__isnull=False)),
        waiting=Count("pk", filter=Q(status=ParticipantStatus.ACTIVE, confirmed_at__isnull=True)),
        declined=Count("pk", filter=Q(declined_at__isnull=False)),
    )


def dropouts(project, country):
    """How many of `country`'s participants dropped out (declined or withdrawn)."""
    return Participant.objects.filter(project=project, country=country, status=ParticipantStatus.WITHDRAWN).count()


def dropouts_by_country(project):
    """[(country, dropouts)] of the countries that lost participants, by name."""
    rows = (
        Participant.objects.filter(project=project, status=ParticipantStatus.WITHDRAWN)
        .order_by()
        .values("country")
        .annotate(n=Count("pk"))
    )
    counts = {r["country"]: r["n"] for r in rows}
    # The host is not among the invited countries, yet its participants may drop out too.
    countries = MemberCountry.objects.filter(pk__in=counts).order_by("name")
    return [(c, counts[c.pk]) for c in countries]


def _window_query():
    return (
        ReplacementWindow.objects.filter(
            project=parameter("project", number=True), country=parameter("country", number=True)
        )
        .order_by("pk")
        .values_list(*columns(ReplacementWindow))[:1]
    )


# Read on every page of an officer's nominations: compiled once per process.
_WINDOW = CompiledQuery(_window_query)


def replacement_window(project, country):
    """`country`'s replacement window of `project`, or None; with the project and country given, not
    joined again (the officer's list page reads it on every view: profiled for the load benchmark)."""
    rows = _WINDOW.rows(ReplacementWindow.objects.db, project=project.pk, country=country.pk)
    if not rows:
        return None
    window = ReplacementWindow.from_db(ReplacementWindow.objects.db, columns(ReplacementWindow), rows[0])
    window.project, window.country = project, country
    return window


def replacement_windows(project):
    """The project's windows by country name, each with its nominations (submitted first, by priority)."""
    nominations = Nomination.objects.select_related("country").order_by("status", "priority", "pk")
    return list(
        ReplacementWindow.objects.filter(project=project)
        .select_related("project", "country")
        .prefetch_related(Prefetch("nominations", queryset=nominations))
        .order_by("country__name")
    )


def open_windows_for_country(country, now=None):
    """`country`'s replacement windows open now, in every project, soonest closing first."""
    if country is None:
        return []
    return list(
        ReplacementWindow.objects.filter(country=country, closes_at__gt=now or timezone.now())
        .select_related("project", "country")
        .order_by("closes_at", "pk")
    )
