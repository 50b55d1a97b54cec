"""Running jobs at the same instant in threads, for the row-lock race tests (PostgreSQL)."""

import threading

from django.db import connections


def run_together(jobs):
    """Start every job at once (a barrier), wait for all; return (results, errors).

    Each thread closes its own database connections, so the test database can be flushed.
    """
    barrier = threading.Barrier(len(jobs))
    results, errors = [], []

    def worker(job):
        try:
            barrier.wait(timeout=30)
            results.append(job())
        except Exception as exc:  # collected and asserted by the test
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker, args=(job,)) for job in jobs]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results, errors
