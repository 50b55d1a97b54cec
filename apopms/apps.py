from django.apps import AppConfig

from . import checks  # noqa: F401 - registers the system checks


class CoreConfig(AppConfig):
    name = "apopms"
    label = "apopms"
    verbose_name = "APO core"
