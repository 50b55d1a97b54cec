"""Signals the core sends so that higher apps can react without the core importing them.

project_cloned(sender=Project, source, clone, day_offset, actor)
    Sent inside the transaction of `apopms.services.clone_project`, after the clone and its
    participating countries are saved. `day_offset` (int) is the number of days between the
    source's start date and the clone's; the sessions app copies the programme skeleton
    (sessions and agenda items, shifted by that many days). A receiver's exception rolls the
    clone back, so a clone never exists without its programme.

min_attendance_share_changed(sender=Project, project, previous, share, actor)
    Sent by `apopms.services` inside the transaction that changed the project's minimum share
    of a session (the attendance page and the project's edit page alike), with the project row
    locked and saved. Presence follows the share: the sessions app re-derives present/absent and
    returns {"participants": set of participant ids whose presence changed, "records": n}. A
    receiver's exception rolls the change back, so the share and presence never disagree.
"""

from django.dispatch import Signal

project_cloned = Signal()
min_attendance_share_changed = Signal()
