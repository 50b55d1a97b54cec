from django.urls import path

from . import views

app_name = "reports"
urlpatterns = [
    path("projects/<str:code>/report/", views.project_page, name="project"),
    path("projects/<str:code>/report/generate/", views.generate, name="generate"),
    path("projects/<str:code>/report/progress/", views.progress, name="progress"),
    path("projects/<str:code>/report/<int:number>/<str:fmt>/", views.download, name="download"),
]
