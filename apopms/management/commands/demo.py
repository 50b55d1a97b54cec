import importlib
import logging

from django.apps import apps
from django.core.management.base import BaseCommand

from apopms import mail
from apopms.demo import DEMO_PASSWORD
from apopms.enums import OutboxStatus
from apopms.models import OutboxMessage


class Command(BaseCommand):
    help = "Load the seed workshop with demo accounts and data (idempotent: safe to run twice)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--send-email",
            action="store_true",
            help="Send the e-mails the demo's steps cause (by default they stay in the outbox, marked as not sent).",
        )

    def handle(self, *args, send_email=False, **options):
        celery_log = logging.getLogger("celery")
        level = celery_log.level
        celery_log.setLevel(logging.WARNING)  # eager tasks would log a line per e-mail and certificate
        held_before = OutboxMessage.objects.filter(status=OutboxStatus.HELD).count()
        try:
            if send_email:
                logins = self._load()
            else:
                with mail.held():
                    logins = self._load()
        finally:
            celery_log.setLevel(level)
        held = OutboxMessage.objects.filter(status=OutboxStatus.HELD).count() - held_before
        if held:
            self.stdout.write(
                f"{held} e-mails the demo caused are in the outbox, marked as not sent (use --send-email to send them)."
            )
        self.stdout.write("")
        self.stdout.write(self.style.SUCCESS(f"Demo logins (password for all: {DEMO_PASSWORD}):"))
        for email, what in logins:
            self.stdout.write(f"  {email:36} {what}")

    def _load(self):
        logins = []
        for config in apps.get_app_configs():
            if not config.name.startswith(("apopms", "nominations", "sessions", "certificates", "evaluations")):
                continue
            # Every app of the portal has a `demo` package (its loader and data files).
            module = importlib.import_module(f"{config.name}.demo")
            module.load(self.stdout)
            if hasattr(module, "logins"):
                logins.extend(module.logins())
        return logins
