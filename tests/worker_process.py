"""Celery as production runs it, for tests: `celery -A apopms worker` and `celery -A apopms beat`
as processes of their own, on the real Redis and the test's PostgreSQL database.

Unlike the in-process `celery_worker` fixture, a process can be killed (SIGKILL) in the middle of
a task. Both processes read their settings from the environment, as in production: the test
database, the test's SMTP sink (`EMAIL_URL`) and the outbox's timings (`OUTBOX_*`, in seconds,
short so that a lease runs out within the test). They run on the real clock, and so must the test
(mark it `real_clock`): a worker whose clock time_machine moves takes its messages from Redis
seconds late, and beat's sweeps expire before they run.
"""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import quote

from django.conf import settings
from django.db import connection

ROOT = Path(__file__).resolve().parents[1]


def database_url():
    """The test database (pytest-django's), as a DATABASE_URL."""
    db = connection.settings_dict
    password = f":{quote(db['PASSWORD'], safe='')}" if db["PASSWORD"] else ""
    return f"postgres://{quote(db['USER'], safe='')}{password}@{db['HOST']}:{db['PORT'] or 5432}/{db['NAME']}"


def wait_for(predicate, timeout=60, step=0.1):
    """Poll `predicate` until it holds or `timeout` seconds pass; returns its last value."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if value := predicate():
            return value
        time.sleep(step)
    return predicate()


class CeleryProcesses:
    """Starts worker and beat processes; stops whatever is still running at the end."""

    def __init__(self, tmp_path, *, mailers_port, outbox):
        self.tmp_path = tmp_path
        self.env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "apopms.settings",
            "DATABASE_URL": database_url(),
            "REDIS_URL": os.environ["REDIS_URL"],
            "CELERY_TASK_ALWAYS_EAGER": "0",
            "EMAIL_URL": f"smtp://127.0.0.1:{mailers_port}",
            "EMAIL_TIMEOUT": "30",
            "SITE_URL": settings.SITE_URL,
            "MEDIA_ROOT": str(settings.MEDIA_ROOT),
            "PYTHONUNBUFFERED": "1",
            **{f"OUTBOX_{name.upper()}": str(value) for name, value in outbox.items()},
        }
        self.procs = []

    def _start(self, name, args):
        log = self.tmp_path / f"{name}.log"
        with log.open("ab") as out:
            proc = subprocess.Popen(
                [str(Path(sys.executable).parent / "celery"), "-A", "apopms", *args],
                cwd=ROOT,
                env=self.env,
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        proc.log = log
        self.procs.append(proc)
        return proc

    def worker(self, name):
        """A worker (one process, the solo pool: killing it kills the task it runs); returns once ready."""
        proc = self._start(
            name,
            ["worker", "--pool=solo", "-l", "info", "-n", f"{name}@%h", "--without-gossip", "--without-mingle"],
        )
        if not wait_for(lambda: " ready." in proc.log.read_text(errors="replace") or proc.poll() is not None):
            raise AssertionError(f"worker {name} did not start:\n{self.log(proc)}")
        if proc.poll() is not None:
            raise AssertionError(f"worker {name} stopped:\n{self.log(proc)}")
        return proc

    def beat(self):
        """Celery beat, queueing the sweep every OUTBOX_SWEEP_EVERY seconds, as the `beat` service does."""
        return self._start(
            "beat",
            [
                "beat",
                "-l",
                "info",
                "-s",
                str(self.tmp_path / "beat-schedule"),
                "--pidfile",
                str(self.tmp_path / "beat.pid"),
            ],
        )

    @staticmethod
    def kill(proc):
        """SIGKILL: the process gets no chance to finish its task, ack it or update a row."""
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(timeout=30)

    @staticmethod
    def log(proc):
        return proc.log.read_text(errors="replace")[-6000:]

    def logs(self):
        """The end of every process's log, for a failing assertion's message."""
        return "\n".join(f"--- {proc.log.name}\n{self.log(proc)}" for proc in self.procs)

    def stop(self):
        for proc in self.procs:
            if proc.poll() is None:
                proc.send_signal(signal.SIGTERM)
        for proc in self.procs:
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()
