"""Signals the core sends so that higher apps can react without the core importing them.

project_cloned(sender=Project, source, clone, day_offset, actor)
    Sent inside the transaction of `apopms.services.clone_project`, after the clone and its
    participating countries are saved. `day_offset` (int) is the number of days between the
    source's start date and the clone's; the sessions app copies the programme skeleton
    (sessions and agenda items, shifted by that many days). A receiver's exception rolls the
    clone back, so a clone never exists without its programme.
"""

from django.dispatch import Signal

project_cloned = Signal()
