from apopms.celery import app
from sessions import tasks


def test_programme_and_attendance_tasks_keep_their_registered_names():
    # Messages queued before a deploy name the task as it was registered then.
    assert tasks.confirm_attendance_import_task.name == "sessions.attendance_tasks.confirm_attendance_import_task"
    assert sorted(name for name in app.tasks if name.startswith("sessions.")) == [
        "sessions.attendance_tasks.confirm_attendance_import_task",
        "sessions.tasks.render_programme_version_pdf",
        "sessions.tasks.send_programme_notice",
    ]
