"""URLs of attendance (issue 7), included by `sessions/urls.py` inside the `agenda` namespace."""

from django.urls import path

from . import attendance_views as views

urlpatterns = [
    path("attendance/", views.attendance_index, name="attendance_index"),
    path("projects/<str:code>/attendance/", views.attendance_grid, name="attendance_grid"),
    path(
        "projects/<str:code>/attendance/mark/<int:participant_id>/<int:session_id>/",
        views.attendance_mark,
        name="attendance_mark",
    ),
    path("projects/<str:code>/attendance/share/", views.attendance_share, name="attendance_share"),
    path("projects/<str:code>/attendance/export.<str:fmt>", views.attendance_export, name="attendance_export"),
    path("projects/<str:code>/attendance/country/<str:iso2>/", views.attendance_country, name="attendance_country"),
    path("projects/<str:code>/attendance/mine/", views.attendance_mine, name="attendance_mine"),
    path("projects/<str:code>/attendance/import/", views.attendance_import_upload, name="attendance_import_upload"),
    path(
        "projects/<str:code>/attendance/import/<int:pk>/",
        views.attendance_import_preview,
        name="attendance_import_preview",
    ),
    path(
        "projects/<str:code>/attendance/import/<int:pk>/zone/",
        views.attendance_import_zone,
        name="attendance_import_zone",
    ),
    path(
        "projects/<str:code>/attendance/import/<int:pk>/map/", views.attendance_import_map, name="attendance_import_map"
    ),
    path(
        "projects/<str:code>/attendance/import/<int:pk>/confirm/",
        views.attendance_import_confirm,
        name="attendance_import_confirm",
    ),
    path(
        "projects/<str:code>/attendance/import/<int:pk>/discard/",
        views.attendance_import_discard,
        name="attendance_import_discard",
    ),
    path(
        "projects/<str:code>/attendance/import/<int:pk>/progress/",
        views.attendance_import_progress,
        name="attendance_import_progress",
    ),
]
