from importlib import import_module

from django.apps import AppConfig


class WorkspaceConfig(AppConfig):
    """Where people run projects from: each project's hub and dashboard, and the landing page by role.

    It reads every other app and none reads it: it sits at the top of the dependency chain."""

    name = "workspace"
    verbose_name = "Workspace"

    def ready(self):
        # Its kinds of audit entry, read as sentences (apopms.auditlog).
        import_module(f"{self.name}.audit_sentences")
