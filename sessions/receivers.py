"""Reactions of the programme and attendance to signals of the core."""

from apopms.signals import min_attendance_share_changed, project_cloned

from .services import copy_programme_skeleton, rederive_presence
from .signals import attendance_changed


def copy_programme_of_clone(sender, source, clone, day_offset, actor=None, **kwargs):
    """A cloned project gets the source's sessions and agenda items, `day_offset` days later."""
    copy_programme_skeleton(source=source, clone=clone, day_offset=day_offset, actor=actor)


def presence_follows_the_share(sender, project, share, **kwargs):
    """Whoever changed the minimum attendance share (attendance page or project edit), the
    imported records are measured against it again; returns what changed."""
    changed = rederive_presence(project=project, share=share)
    if changed["records"]:
        attendance_changed.send(sender=type(project), project=project, actor=kwargs.get("actor"))
    return changed


project_cloned.connect(copy_programme_of_clone, dispatch_uid="agenda.copy_programme_skeleton")
min_attendance_share_changed.connect(presence_follows_the_share, dispatch_uid="agenda.rederive_presence")
