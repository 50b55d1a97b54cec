from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "apopms"
    label = "apopms"
    verbose_name = "APO core"

    def ready(self):
        from . import checks  # noqa: F401  (registers the system checks)
