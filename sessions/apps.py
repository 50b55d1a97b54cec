from importlib import import_module

from django.apps import AppConfig


class AgendaConfig(AppConfig):
    # `sessions` is taken by django.contrib.sessions: use `agenda` in every
    # management command (makemigrations agenda, migrate agenda).
    name = "sessions"
    label = "agenda"
    verbose_name = "Programme and attendance"

    def ready(self):
        # Connect the receivers once the registry is ready: the core's project_cloned signal gives
        # a clone the programme skeleton; min_attendance_share_changed re-derives presence.
        import_module(f"{self.name}.receivers")
        import_module(f"{self.name}.audiences")
        # Its kinds of audit entry, read as sentences (apopms.auditlog).
        import_module(f"{self.name}.audit_sentences")
