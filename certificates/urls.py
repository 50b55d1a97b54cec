from django.urls import path

from . import views

app_name = "certificates"
urlpatterns = [
    path("certificates/", views.index, name="index"),
    path("projects/<str:code>/certificates/", views.project_page, name="project"),
    path("projects/<str:code>/certificates/progress/", views.progress, name="progress"),
    path("projects/<str:code>/certificates/start/", views.start, name="start"),
    path("projects/<str:code>/certificates/retry/", views.retry, name="retry"),
    path("projects/<str:code>/certificates/all.zip", views.download_zip, name="zip"),
    path(
        "projects/<str:code>/certificates/participants/<int:participant_id>/issue/",
        views.issue_one,
        name="issue_one",
    ),
    path(
        "projects/<str:code>/certificates/participants/<int:participant_id>/name/",
        views.correct_name,
        name="correct_name",
    ),
    path("certificates/<str:number>/revoke/", views.revoke, name="revoke"),
    path("certificates/<str:number>/pdf/", views.download, name="download"),
    path("v/", views.verify_lookup, name="verify_lookup"),
    path("v/<str:code>/", views.verify, name="verify"),
]
