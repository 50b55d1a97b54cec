import importlib

from django.apps import apps
from django.core.management.base import BaseCommand

from apopms.demo import DEMO_PASSWORD


class Command(BaseCommand):
    help = "Load the seed workshop with demo accounts and data (idempotent: safe to run twice)."

    def handle(self, *args, **options):
        logins = []
        for config in apps.get_app_configs():
            if not config.name.startswith(("apopms", "nominations", "sessions", "certificates")):
                continue
            try:
                module = importlib.import_module(f"{config.name}.demo")
            except ModuleNotFoundError as exc:
                if exc.name != f"{config.name}.demo":
                    raise
                continue
            module.load(self.stdout)
            if hasattr(module, "logins"):
                logins.extend(module.logins())
        self.stdout.write("")
        self.stdout.write(self.style.SUCCESS(f"Demo logins (password for all: {DEMO_PASSWORD}):"))
        for email, what in logins:
            self.stdout.write(f"  {email:32} {what}")
