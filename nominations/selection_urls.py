"""URLs of the selection, included by nominations/urls.py (names in the "nominations" namespace)."""

from django.urls import path

from . import selection_views as views

urlpatterns = [
    path("selection/", views.selection_index, name="selection_index"),
    path("projects/<str:code>/selection/", views.selection_board, name="selection_board"),
    path("projects/<str:code>/selection/counters/", views.selection_counters, name="selection_counters"),
    path("projects/<str:code>/selection/propose/", views.selection_propose, name="selection_propose"),
    path("projects/<str:code>/selection/publish/", views.selection_publish, name="selection_publish"),
    path("projects/<str:code>/selection/nominations/<int:pk>/decide/", views.selection_decide, name="selection_decide"),
    path(
        "projects/<str:code>/selection/nominations/<int:pk>/move/",
        views.selection_reserve_move,
        name="selection_reserve_move",
    ),
    path(
        "projects/<str:code>/selection/nominations/<int:pk>/promote/",
        views.selection_promote,
        name="selection_promote",
    ),
    path("projects/<str:code>/participants/", views.participant_list, name="participant_list"),
    path(
        "projects/<str:code>/participants/export.<str:fmt>",
        views.participant_export,
        name="participant_export",
    ),
    path(
        "projects/<str:code>/participants/<int:pk>/withdraw/",
        views.participant_withdraw,
        name="participant_withdraw",
    ),
]
