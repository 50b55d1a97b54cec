"""Running jobs at the same instant in threads, for the row-lock race tests (PostgreSQL).

Every race test goes through `run_together`: it has a time limit, so a deadlock fails the test,
naming the jobs still running, instead of hanging the run.
"""

import functools
import threading
import time

from django.db import connection, connections

TIMEOUT = 60.0  # seconds for all jobs together; the races take well under a second


class JobsStuck(AssertionError):
    """Some jobs did not finish within the time limit (a deadlock, or a lock never released)."""


def job_name(index, job):
    """`#2 submit.<locals>.job`: the job's position and the function it runs."""
    if isinstance(job, functools.partial):
        args = ", ".join([*map(repr, job.args), *(f"{k}={v!r}" for k, v in job.keywords.items())])
        return f"#{index} {job_name(index, job.func).split(' ', 1)[1]}({args})"
    qualname = getattr(job, "__qualname__", None) or repr(job)
    parts = qualname.split(".<locals>.")
    return f"#{index} {'.<locals>.'.join(parts[-2:]) if len(parts) > 1 else qualname}"


def run_together(jobs, *, timeout=TIMEOUT):
    """Start every job at once (a barrier), wait for all; return (results, errors).

    Results and the exceptions the jobs raised are listed in the order the jobs finished.
    Each thread closes its own database connections, so the test database can be flushed.
    If a job is still running after `timeout` seconds, its PostgreSQL session is ended (so its
    locks go and the database can be flushed) and `JobsStuck` is raised naming every such job;
    the threads are daemons, so one stuck in Python cannot keep the run from ending either.
    """
    jobs = list(jobs)
    barrier = threading.Barrier(len(jobs))
    lock = threading.Lock()
    results, errors, backends = [], [], {}

    def worker(index, job):
        try:
            pid = _backend_pid()
            if pid is not None:
                with lock:
                    backends[index] = pid
            barrier.wait(timeout=timeout)
            result = job()
            with lock:
                results.append(result)
        except Exception as exc:  # collected and asserted by the test
            with lock:
                errors.append(exc)
        finally:
            connections.close_all()

    threads = [
        threading.Thread(target=worker, args=(i, job), name=job_name(i, job), daemon=True) for i, job in enumerate(jobs)
    ]
    for thread in threads:
        thread.start()
    stuck = _join(threads, timeout)
    if stuck:
        _end_sessions([backends[i] for i, _ in stuck if i in backends])
        _join([thread for _, thread in stuck], 5.0)
        names = ", ".join(thread.name for _, thread in stuck)
        raise JobsStuck(f"{len(stuck)} of {len(jobs)} jobs still running after {timeout:g} s (a deadlock?): {names}")
    return results, errors


def _join(threads, timeout):
    """Wait up to `timeout` seconds in all; the (index, thread) of those still running."""
    deadline = time.monotonic() + timeout
    for thread in threads:
        thread.join(timeout=max(deadline - time.monotonic(), 0))
    return [(i, thread) for i, thread in enumerate(threads) if thread.is_alive()]


def _backend_pid():
    """This thread's PostgreSQL session, so that it can be ended if the job gets stuck."""
    if connection.vendor != "postgresql":
        return None
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_backend_pid()")
            return cursor.fetchone()[0]
    except RuntimeError:  # pytest-django's blocker: this test has no database
        return None


def _end_sessions(pids):
    if not pids or connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_terminate_backend(pid) FROM unnest(%s::int[]) AS pid", [pids])
