from django.urls import path

from . import views

app_name = "agenda"
urlpatterns = [
    path("projects/<str:code>/programme/", views.programme, name="programme"),
    path("projects/<str:code>/programme.ics", views.programme_ics, name="programme_ics"),
    path("projects/<str:code>/programme.pdf", views.programme_pdf, name="programme_pdf"),
    path("programme/zone/", views.set_zone, name="set_zone"),
    path("my-workshop/", views.my_workshop, name="my_workshop"),
    path("projects/<str:code>/programme/manage/", views.manage, name="manage"),
    path("projects/<str:code>/programme/publish/", views.publish, name="publish"),
    path("projects/<str:code>/programme/sessions/new/", views.session_create, name="session_create"),
    path("projects/<str:code>/programme/sessions/<int:pk>/edit/", views.session_edit, name="session_edit"),
    path("projects/<str:code>/programme/sessions/<int:pk>/delete/", views.session_delete, name="session_delete"),
    path("projects/<str:code>/programme/sessions/<int:session_pk>/items/new/", views.item_create, name="item_create"),
    path("projects/<str:code>/programme/items/<int:pk>/edit/", views.item_edit, name="item_edit"),
    path("projects/<str:code>/programme/items/<int:pk>/delete/", views.item_delete, name="item_delete"),
    path("projects/<str:code>/programme/items/<int:pk>/move/", views.item_move, name="item_move"),
    path("projects/<str:code>/programme/speakers/new/", views.speaker_create, name="speaker_create"),
    path("projects/<str:code>/programme/speakers/<int:pk>/edit/", views.speaker_edit, name="speaker_edit"),
    path("projects/<str:code>/programme/speakers/<int:pk>/delete/", views.speaker_delete, name="speaker_delete"),
    # attendance
    path("attendance/", views.attendance_index, name="attendance_index"),
    path("projects/<str:code>/attendance/", views.attendance_grid, name="attendance_grid"),
    path("projects/<str:code>/attendance/bulk/", views.attendance_bulk, name="attendance_bulk"),
    path(
        "projects/<str:code>/attendance/mark/<int:participant_id>/<int:session_id>/",
        views.attendance_mark,
        name="attendance_mark",
    ),
    path("projects/<str:code>/attendance/share/", views.attendance_share, name="attendance_share"),
    path("projects/<str:code>/attendance/export.<str:fmt>", views.attendance_export, name="attendance_export"),
    path("projects/<str:code>/attendance/country/<str:iso2>/", views.attendance_country, name="attendance_country"),
    path(
        "projects/<str:code>/attendance/country/<str:iso2>/export.<str:fmt>",
        views.attendance_country_export,
        name="attendance_country_export",
    ),
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
