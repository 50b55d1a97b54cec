from importlib import import_module

from django.apps import AppConfig


class NominationsConfig(AppConfig):
    name = "nominations"
    verbose_name = "Nominations and selection"

    def ready(self):
        # Its audiences of the Secretariat's messages (apopms.audiences).
        import_module(f"{self.name}.audiences")
        # Its kinds of audit entry, read as sentences (apopms.auditlog).
        import_module(f"{self.name}.audit_sentences")
