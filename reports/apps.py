from importlib import import_module

from django.apps import AppConfig


class ReportsConfig(AppConfig):
    """The end-of-project report: its figures, read from every other app, as a PDF and an XLSX.

    It reads the workspace and every app below it, and none reads it: it sits at the top of the
    dependency chain."""

    name = "reports"
    verbose_name = "Reports"

    def ready(self):
        # The retention purge (workspace) deletes old report versions through a signal of the core.
        import_module(f"{self.name}.receivers")
        # Its kinds of audit entry, read as sentences (apopms.auditlog).
        import_module(f"{self.name}.audit_sentences")
