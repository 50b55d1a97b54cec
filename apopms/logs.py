"""Log lines and error reports of every process (web, worker, beat).

One line per event: the time (UTC), the level, the process kind and the logger, then the message;
a traceback stays on the same line (its line breaks written as `\\n`), so a log collector never
splits one event in two. Errors go to Sentry only when `SENTRY_DSN` is set (`init_sentry`).
Imports nothing from Django: gunicorn's configuration (`gunicorn.conf.py`) uses it too.
"""

import logging
import os
import sys
import time

FORMAT = "%(asctime)s %(levelname)s %(process_kind)s %(name)s: %(message)s"


def process_kind(argv=None):
    """ "web", "worker" or "beat" for the portal's long-running processes; else the command's name."""
    argv = list(sys.argv if argv is None else argv)
    words = [os.path.basename(word) for word in argv]
    if any(word.startswith("celery") for word in words[:1]) or "celery" in words:
        return "beat" if "beat" in words else "worker"
    if words and words[0].startswith("gunicorn"):
        return "web"
    if len(words) > 1 and words[0] == "manage.py":
        return "web" if words[1] == "runserver" else words[1]
    return words[0] if words else "python"


class OneLineFormatter(logging.Formatter):
    """`FORMAT`, the time in UTC with milliseconds (2026-11-30T05:04:03.123Z), one line per record."""

    converter = time.gmtime
    kind = None

    def __init__(self, fmt=FORMAT, datefmt=None, style="%", **kwargs):
        super().__init__(fmt, datefmt, style, **kwargs)

    def formatTime(self, record, datefmt=None):
        return time.strftime("%Y-%m-%dT%H:%M:%S", self.converter(record.created)) + f".{int(record.msecs):03d}Z"

    def format(self, record):
        if OneLineFormatter.kind is None:
            OneLineFormatter.kind = process_kind()
        record.process_kind = OneLineFormatter.kind
        return super().format(record).replace("\r", "").replace("\n", "\\n")


def logging_config(level="INFO"):
    """Django's LOGGING: every logger to stderr through `OneLineFormatter`."""
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {"line": {"()": OneLineFormatter}},
        "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "line"}},
        "root": {"handlers": ["console"], "level": level},
        "loggers": {
            "axes": {"level": "WARNING"},
            "weasyprint.progress": {"level": "WARNING"},  # one line per step of every PDF
            "fontTools": {"level": "WARNING"},  # one line per font subset
            # Celery's pool (billiard) logs a dead pool process here, apart from the root logger.
            "multiprocessing": {"handlers": ["console"], "level": "INFO", "propagate": False},
        },
    }


def init_sentry(dsn, *, environment="production", traces_sample_rate=0.0, release=None):
    """Report errors of the web (Django) and of the workers and beat (Celery) to Sentry.

    Does nothing without a DSN: no client, no network. Returns whether it was started.
    """
    if not dsn:
        return False
    import sentry_sdk  # noqa: PLC0415 - only when a DSN is configured
    from sentry_sdk.integrations.celery import CeleryIntegration  # noqa: PLC0415 - idem
    from sentry_sdk.integrations.django import DjangoIntegration  # noqa: PLC0415 - idem

    sentry_sdk.init(
        dsn=dsn,
        integrations=[DjangoIntegration(), CeleryIntegration()],
        environment=environment,
        release=release or None,
        traces_sample_rate=traces_sample_rate,
        send_default_pii=False,  # nominees' addresses and names stay out of error reports
    )
    return True
