from django.apps import AppConfig


class WorkspaceConfig(AppConfig):
    """Where people run projects from: each project's hub and dashboard, and the landing page by role.

    It reads every other app and none reads it: it sits at the top of the dependency chain."""

    name = "workspace"
    verbose_name = "Workspace"
