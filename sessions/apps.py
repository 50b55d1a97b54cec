from django.apps import AppConfig


class AgendaConfig(AppConfig):
    # `sessions` is taken by django.contrib.sessions: use `agenda` in every
    # management command (makemigrations agenda, migrate agenda).
    name = "sessions"
    label = "agenda"
    verbose_name = "Programme and attendance"

    def ready(self):
        # Celery autodiscovers only `tasks.py`; the attendance import's task lives beside it.
        # `receivers`: the core's project_cloned signal gives a clone the programme skeleton;
        # min_attendance_share_changed re-derives presence.
        from . import attendance_tasks, receivers  # noqa: F401
