from importlib import import_module

from django.apps import AppConfig


class EvaluationsConfig(AppConfig):
    """The participants' evaluation of a project: its questionnaire, their answers, the results.

    It reads certificates, sessions and nominations; only the workspace reads it."""

    name = "evaluations"
    label = "evaluations"
    verbose_name = "Evaluations"

    def ready(self):
        # Its kinds of audit entry, read as sentences (apopms.auditlog).
        import_module(f"{self.name}.audit_sentences")
