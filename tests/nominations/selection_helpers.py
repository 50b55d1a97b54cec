"""Shared arrangements of the selection tests."""

import datetime

from django.utils import timezone

from tests import factories


def closed_project(**kwargs):
    """A project whose nominations closed yesterday (decisions can be made)."""
    kwargs.setdefault("nomination_deadline", timezone.now() - datetime.timedelta(days=1))
    return factories.ProjectFactory(**kwargs)


def submitted(project, iso2="IN", priority=None, minutes_ago=None, **kwargs):
    """A submitted nomination of `iso2` for `project` (priority and submission time may be given)."""
    extra = {}
    if priority is not None:
        extra["priority"] = priority
    if minutes_ago is not None:
        extra["submitted_at"] = timezone.now() - datetime.timedelta(minutes=minutes_ago)
    return factories.NominationFactory(
        project=project, country=factories.country(iso2), submitted=True, **extra, **kwargs
    )
