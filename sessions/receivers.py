"""Reactions of the programme to signals of the core."""

from .services import copy_programme_skeleton

try:
    from apopms.signals import project_cloned
except ImportError:  # a core without project cloning
    project_cloned = None


def copy_programme_of_clone(sender, source, clone, day_offset, actor=None, **kwargs):
    """A cloned project gets the source's sessions and agenda items, `day_offset` days later."""
    copy_programme_skeleton(source=source, clone=clone, day_offset=day_offset, actor=actor)


if project_cloned is not None:
    project_cloned.connect(copy_programme_of_clone, dispatch_uid="agenda.copy_programme_skeleton")
