"""Signals the sessions app sends so that higher apps (certificates) can react without it importing them.

attendance_changed(sender=Project, project, actor)
    Sent inside the transaction that changed a project's attendance (a record marked by hand,
    an import confirmed or recomputed, presence re-derived for a new minimum share), after the
    records are saved. The certificates app tells the Secretariat when live certificates lost
    their holder's eligibility.
"""

from django.dispatch import Signal

attendance_changed = Signal()
