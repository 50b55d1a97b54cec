"""The race-test helper: jobs start together, and a deadlock fails the test instead of hanging it."""

import functools
import threading

import pytest
from django.db import transaction

from apopms.models import MemberCountry

from .concurrency import JobsStuck, job_name, run_together


def test_jobs_run_together_and_report_results_and_errors():
    def double(n):
        return 2 * n

    def refuse():
        raise ValueError("refused")

    results, errors = run_together([functools.partial(double, 1), functools.partial(double, 2), refuse])
    assert sorted(results) == [2, 4]
    assert [str(e) for e in errors] == ["refused"]


def test_a_job_still_running_at_the_time_limit_fails_naming_it():
    released = threading.Event()

    def quick():
        return "done"

    def wait_for_ever():
        released.wait(30)

    try:
        with pytest.raises(JobsStuck) as stuck:
            run_together([quick, wait_for_ever], timeout=0.5)
    finally:
        released.set()
    assert str(stuck.value) == (
        "1 of 2 jobs still running after 0.5 s (a deadlock?): "
        "#1 test_a_job_still_running_at_the_time_limit_fails_naming_it.<locals>.wait_for_ever"
    )


def test_job_names_say_the_function_and_its_arguments():
    def submit(pk):
        def job():
            return pk

        return job

    assert job_name(0, submit(7)) == "#0 submit.<locals>.job"
    assert job_name(3, functools.partial(divmod, 7, b=2)) == "#3 divmod(7, b=2)"


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_row_lock_never_released_fails_the_test_and_frees_the_database():
    """One job holds a row lock and hangs; the other waits for the row. Both are named, their
    sessions are ended, and the test database can be flushed afterwards (no hang at teardown)."""
    released = threading.Event()
    pk = MemberCountry.objects.order_by("pk").values_list("pk", flat=True).first()

    def hold_the_row():
        with transaction.atomic():
            MemberCountry.objects.select_for_update().get(pk=pk)
            released.wait(30)

    def wait_for_the_row():
        released.wait(0.2)  # let the other job take the lock first
        with transaction.atomic():
            MemberCountry.objects.select_for_update().get(pk=pk)

    try:
        with pytest.raises(JobsStuck, match=r"2 of 2 jobs .*hold_the_row, .*wait_for_the_row$"):
            run_together([hold_the_row, wait_for_the_row], timeout=2)
        # The lock went with the ended session: the row can be locked again at once.
        with transaction.atomic():
            MemberCountry.objects.select_for_update(nowait=True).get(pk=pk)
    finally:
        released.set()
