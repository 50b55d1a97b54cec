from django.apps import AppConfig


class NominationsConfig(AppConfig):
    name = "nominations"
    verbose_name = "Nominations and selection"

    def ready(self):
        # Celery autodiscovers only `tasks.py`: a worker must also know the selection's tasks.
        from . import selection_tasks  # noqa: F401
