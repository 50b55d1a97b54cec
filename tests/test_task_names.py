"""Celery task names are a contract with the messages already queued: a message names its task,
and after a deploy a worker must still know that name. Moving a task to another module keeps
its old name (`@shared_task(name="<old dotted name>")`); a new task is added to this list, and
a task is removed from it only once no queued message can still name it.
"""

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
# Set up as a worker is: Django first, then Celery's autodiscovery of every app's tasks.
PROBE = (
    "import json, django; django.setup(); from apopms.celery import app; "
    "app.loader.import_default_modules(); print(json.dumps(sorted(app.tasks)))"
)

TASK_NAMES = [
    "apopms.tasks.clear_expired_sessions",
    "apopms.tasks.notify_deadline_extended",
    "apopms.tasks.notify_inviter_of_renewal",
    "apopms.tasks.notify_notification_issued",
    "apopms.tasks.send_invitation_email",
    "apopms.tasks.send_outbox_message",
    "apopms.tasks.sweep_outbox",
    "certificates.tasks.issue_batch",
    "certificates.tasks.issue_chunk",
    "certificates.tasks.issue_one",
    "certificates.tasks.resume_stalled_batches",
    "certificates.tasks.send_certificate_ready",
    "nominations.selection_tasks.send_participant_invitation",
    "nominations.selection_tasks.send_selection_results",
    "nominations.tasks.read_nomination_import",
    "nominations.tasks.run_nomination_import",
    "nominations.tasks.send_submission_acknowledgement",
    "reports.tasks.generate_report",
    "sessions.attendance_tasks.confirm_attendance_import_task",
    "sessions.tasks.render_programme_version_pdf",
    "sessions.tasks.send_programme_notice",
    "workspace.tasks.apply_retention",
    "workspace.tasks.render_person_pdf",
]


def registered_task_names():
    """The tasks a fresh worker process registers, without Celery's own (`celery.*`)."""
    out = subprocess.run(
        [sys.executable, "-c", PROBE],
        cwd=ROOT,
        env={"DJANGO_SETTINGS_MODULE": "apopms.settings", "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        check=True,
    )
    return [name for name in json.loads(out.stdout.strip().splitlines()[-1]) if not name.startswith("celery.")]


def test_the_list_is_sorted_and_has_no_repeats():
    assert sorted(set(TASK_NAMES)) == TASK_NAMES


def test_a_fresh_worker_registers_exactly_the_task_names_of_the_list():
    registered = set(registered_task_names())
    unknown_to_the_worker = set(TASK_NAMES) - registered  # queued messages would find no task
    not_in_the_list = registered - set(TASK_NAMES)  # a new task: add it to TASK_NAMES
    assert (unknown_to_the_worker, not_in_the_list) == (set(), set())
