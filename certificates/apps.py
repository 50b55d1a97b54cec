from importlib import import_module

from django.apps import AppConfig


class CertificatesConfig(AppConfig):
    name = "certificates"
    verbose_name = "Certificates"

    def ready(self):
        # The sessions app's attendance_changed signal: the Secretariat hears of certificates no longer deserved.
        import_module(f"{self.name}.receivers")
        # Its kinds of audit entry, read as sentences (apopms.auditlog).
        import_module(f"{self.name}.audit_sentences")
