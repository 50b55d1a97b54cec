"""Kept for the other apps' imports: `enqueue_on_commit` lives in apopms.tasks."""

from .tasks import enqueue_on_commit

__all__ = ["enqueue_on_commit"]
