from django.urls import path

from . import views

app_name = "workspace"
urlpatterns = [
    path("start/", views.landing, name="landing"),
    path("projects/<str:code>/hub/", views.hub, name="hub"),
    path("projects/<str:code>/hub/retention/", views.retention_settings, name="retention"),
]
