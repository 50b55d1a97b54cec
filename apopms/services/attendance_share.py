"""The minimum share of a session a participant must attend, and presence following it."""

import dataclasses
from decimal import Decimal, InvalidOperation

from django.db import transaction

from .. import audit
from ..exceptions import DomainError
from ..models import Project
from ..permissions import require_project_manager
from ..signals import min_attendance_share_changed


@dataclasses.dataclass(frozen=True)
class ShareChange:
    """The outcome of changing a project's minimum attendance share."""

    previous: Decimal
    share: Decimal
    participants_changed: int = 0
    records_changed: int = 0

    @property
    def summary(self):
        """'Minimum attendance set to 60% of each session: presence changed for 2 participants (3 session records).'"""
        head = f"Minimum attendance set to {int(self.share * 100)}% of each session"
        n = self.participants_changed
        if not n:
            return f"{head}: no participant's presence changed."
        records = f" ({self.records_changed} session records)" if self.records_changed != n else ""
        return f"{head}: presence changed for {n} participant{'s' if n != 1 else ''}{records}."


def share_changed(*, actor, project, previous):
    """Presence follows the new share of `project` (locked, saved): the signal
    `min_attendance_share_changed` lets the sessions app re-derive it. Audit."""
    participants, records = set(), 0
    responses = min_attendance_share_changed.send(
        sender=Project, project=project, previous=previous, share=project.min_attendance_share, actor=actor
    )
    for _receiver, outcome in responses:
        if outcome:
            participants |= set(outcome["participants"])
            records += outcome["records"]
    change = ShareChange(
        previous=previous,
        share=project.min_attendance_share,
        participants_changed=len(participants),
        records_changed=records,
    )
    audit.record(
        "apopms.project.attendance_share_set",
        actor=actor,
        target=project,
        previous=str(previous),
        share=str(project.min_attendance_share),
        participants_changed=change.participants_changed,
        records_changed=records,
    )
    return change


def set_min_attendance_share(*, actor, project, share):
    """Set the minimum share of a session a participant must attend (0 < share <= 1, two
    decimals), and re-derive presence from it. The one way the share changes: the attendance
    page calls it, and `update_project` does the same when the edit page changes the share.
    Returns a ShareChange (how many participants' presence changed).

    Side effects: the signal `min_attendance_share_changed` (the sessions app re-derives
    present/absent of imported records). Audit: apopms.project.attendance_share_set.
    """
    require_project_manager(actor, project)
    try:
        share = Decimal(str(share)).quantize(Decimal("0.01"))
    except (InvalidOperation, ValueError):
        raise DomainError(
            "Give the minimum attendance share as a number such as 0.80.", field="min_attendance_share"
        ) from None
    if not (Decimal("0") < share <= Decimal("1")):
        raise DomainError(
            "The minimum attendance share lies between 0 and 1 (e.g. 0.80).", field="min_attendance_share"
        )
    with transaction.atomic():
        locked = Project.objects.lock(project.pk)
        previous = locked.min_attendance_share
        if previous == share:
            return ShareChange(previous=previous, share=share)
        locked.min_attendance_share = share
        locked.save(update_fields=["min_attendance_share", "updated_at"])
        change = share_changed(actor=actor, project=locked, previous=previous)
    project.min_attendance_share = share
    return change
