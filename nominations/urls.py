from django.urls import include, path

from . import views

app_name = "nominations"
urlpatterns = [
    path("nominations/", views.index, name="index"),
    path("projects/<str:code>/nominations/", views.project_nominations, name="project"),
    path("projects/<str:code>/nominations/new/", views.create, name="create"),
    path("projects/<str:code>/nominations/rank/", views.rank, name="rank"),
    path("projects/<str:code>/nominations/export/<str:fmt>/", views.export, name="export"),
    path("projects/<str:code>/nominations/import/", views.import_start, name="import"),
    path("projects/<str:code>/nominations/import/<str:job>/", views.import_preview, name="import_preview"),
    path("projects/<str:code>/nominations/import/<str:job>/progress/", views.import_progress, name="import_progress"),
    path("nominations/<int:pk>/", views.detail, name="detail"),
    path("nominations/<int:pk>/edit/", views.edit, name="edit"),
    path("nominations/<int:pk>/submit/", views.submit, name="submit"),
    path("nominations/<int:pk>/withdraw/", views.withdraw, name="withdraw"),
    path("nominations/<int:pk>/move/", views.move, name="move"),
    path("nominations/<int:pk>/cv/", views.cv, name="cv"),
    path("", include("nominations.selection_urls")),  # selection (issue 5)
]
