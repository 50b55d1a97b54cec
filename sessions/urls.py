from django.urls import include, path

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
    path("", include("sessions.attendance_urls")),  # attendance (issue 7)
]
