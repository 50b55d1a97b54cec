from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "apopms"
    label = "apopms"
    verbose_name = "APO core"
