"""Queueing Celery tasks safely from services."""

import logging
from functools import partial

from django.db import transaction

logger = logging.getLogger(__name__)


def enqueue_on_commit(task, **kwargs):
    """Queue `task` with keyword arguments once the current transaction commits.

    `robust=True`: a broker that is down must not turn a committed change into an
    error page; the failure is logged (and periodic sweeps or a retry pick it up).
    """
    transaction.on_commit(partial(task.apply_async, kwargs=kwargs), robust=True)
