"""Reads about the programme and attendance shared across apps."""

from django.db.models import Count, Exists, OuterRef, Subquery
from django.db.models.functions import Coalesce

from nominations.models import Participant

from .models import Attendance, Session


def participants_attended_every_session(project):
    """Active participants of `project` present at every one of its sessions.

    "Attended every session" is derived here and nowhere else; the certificates use
    this rule. A project without sessions has nobody who attended them all.
    """
    session_count = Session.objects.filter(project=project).count()
    if session_count == 0:
        return Participant.objects.none()
    present = (
        Attendance.objects.filter(participant=OuterRef("pk"), present=True, session__project=project)
        .order_by()
        .values("participant")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return (
        Participant.objects.active()
        .filter(project=project)
        .annotate(present_count=Coalesce(Subquery(present), 0))
        .filter(present_count=session_count)
    )


def attended_every_session(participant):
    return participants_attended_every_session(participant.project).filter(pk=participant.pk).exists()


def missed_sessions(participant):
    """The sessions of the participant's project they were not present at, in time order."""
    return (
        Session.objects.filter(project=participant.project)
        .exclude(Exists(Attendance.objects.filter(session=OuterRef("pk"), participant=participant, present=True)))
        .order_by("start_at")
    )


__all__ = ["attended_every_session", "missed_sessions", "participants_attended_every_session"]
