import importlib
import logging

from django.apps import apps
from django.core import mail
from django.core.management.base import BaseCommand
from django.test.utils import override_settings

from apopms.demo import DEMO_PASSWORD

LOCMEM = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}


class Command(BaseCommand):
    help = "Load the seed workshop with demo accounts and data (idempotent: safe to run twice)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--send-email",
            action="store_true",
            help="Send the e-mails the demo's steps cause (by default they are counted, not sent).",
        )

    def handle(self, *args, send_email=False, **options):
        celery_log = logging.getLogger("celery")
        level = celery_log.level
        celery_log.setLevel(logging.WARNING)  # eager tasks would log a line per e-mail and certificate
        mail.outbox = []
        try:
            if send_email:
                logins = self._load()
            else:
                with override_settings(MAILERS=LOCMEM):
                    logins = self._load()
        finally:
            celery_log.setLevel(level)
        if not send_email and mail.outbox:
            self.stdout.write(f"{len(mail.outbox)} e-mails the demo caused were not sent (use --send-email).")
        self.stdout.write("")
        self.stdout.write(self.style.SUCCESS(f"Demo logins (password for all: {DEMO_PASSWORD}):"))
        for email, what in logins:
            self.stdout.write(f"  {email:36} {what}")

    def _load(self):
        logins = []
        for config in apps.get_app_configs():
            if not config.name.startswith(("apopms", "nominations", "sessions", "certificates")):
                continue
            # Every app of the portal has a `demo` package (its loader and data files).
            module = importlib.import_module(f"{config.name}.demo")
            module.load(self.stdout)
            if hasattr(module, "logins"):
                logins.extend(module.logins())
        return logins
