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

personal_data_purged(sender=Project, project, stage, now)
    Sent by the retention purge and erasure on request (workspace) inside their transaction, with
    the project locked (the purge) or the person's rows locked (erasure). `stage` is "nominees"
    (the nominee limit: working copies go), "participants" (the participant limit: participants'
    names go) or "erasure" (one participant of the project erased on request). The reports app
    deletes the report versions that retention says must go (their files after commit) and
    returns how many files it deleted; the sender adds that to its audit entry.

person_data_requested(sender=User, email, participants)
    Sent while a person's data is gathered (workspace.personal_data, the subject access export).
    `participants` are the person's Participant rows. A higher app returns {model label: rows that
    concern the person} for its models declared in apopms.privacy: the reports app, the report
    versions of those projects that include the participant list (they name the person).
"""

from django.dispatch import Signal

project_cloned = Signal()
min_attendance_share_changed = Signal()
personal_data_purged = Signal()
person_data_requested = Signal()
