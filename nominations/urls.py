from django.urls import path

from .views import candidates, imports, nominations, participants, seats, selection

app_name = "nominations"
urlpatterns = [
    path("nominations/", nominations.index, name="index"),
    path("projects/<str:code>/nominations/", nominations.project_nominations, name="project"),
    path("projects/<str:code>/nominations/new/", nominations.create, name="create"),
    path("projects/<str:code>/nominations/rank/", nominations.rank, name="rank"),
    path("projects/<str:code>/nominations/export/<str:fmt>/", imports.export, name="export"),
    path("projects/<str:code>/nominations/import/", imports.import_start, name="import"),
    path("projects/<str:code>/nominations/import/<str:job>/", imports.import_preview, name="import_preview"),
    path("projects/<str:code>/nominations/import/<str:job>/progress/", imports.import_progress, name="import_progress"),
    path("nominations/<int:pk>/", nominations.detail, name="detail"),
    path("nominations/<int:pk>/edit/", nominations.edit, name="edit"),
    path("nominations/<int:pk>/submit/", nominations.submit, name="submit"),
    path("nominations/<int:pk>/withdraw/", nominations.withdraw, name="withdraw"),
    path("nominations/<int:pk>/move/", nominations.move, name="move"),
    path("nominations/<int:pk>/cv/", nominations.cv, name="cv"),
    # Candidates fill in their own nomination; the NPO invites them, asks for changes, endorses (submit).
    path("projects/<str:code>/nominations/invite/", candidates.invite, name="candidate_invite"),
    path("nominations/<int:pk>/ask-change/", candidates.ask_change, name="ask_change"),
    path("my-nomination/", candidates.candidate_home, name="candidate_home"),
    path("my-nomination/<int:pk>/", candidates.candidate, name="candidate"),
    path("my-nomination/<int:pk>/cv/", candidates.candidate_cv, name="candidate_cv"),
    # The selection.
    path("selection/", selection.selection_index, name="selection_index"),
    path("projects/<str:code>/selection/", selection.selection_board, name="selection_board"),
    path("projects/<str:code>/selection/counters/", selection.selection_counters, name="selection_counters"),
    path("projects/<str:code>/selection/propose/", selection.selection_propose, name="selection_propose"),
    path("projects/<str:code>/selection/publish/", selection.selection_publish, name="selection_publish"),
    path(
        "projects/<str:code>/selection/nominations/<int:pk>/decide/",
        selection.selection_decide,
        name="selection_decide",
    ),
    path(
        "projects/<str:code>/selection/nominations/<int:pk>/move/",
        selection.selection_reserve_move,
        name="selection_reserve_move",
    ),
    path(
        "projects/<str:code>/selection/nominations/<int:pk>/promote/",
        selection.selection_promote,
        name="selection_promote",
    ),
    # Seats confirmed, dropouts replaced.
    path("projects/<str:code>/my-seat/", seats.seat, name="seat"),
    path("projects/<str:code>/my-seat/decline/", seats.seat_decline, name="seat_decline"),
    path("projects/<str:code>/selection/confirm-by/", seats.seat_date, name="seat_date"),
    path("projects/<str:code>/participants/remind/", seats.seat_remind, name="seat_remind"),
    path("projects/<str:code>/replacements/<str:iso2>/", seats.replacement_open, name="replacement_open"),
    path(
        "projects/<str:code>/replacements/nominations/<int:pk>/decide/",
        seats.replacement_decide,
        name="replacement_decide",
    ),
    # Participants.
    path("projects/<str:code>/participants/", participants.participant_list, name="participant_list"),
    path(
        "projects/<str:code>/participants/export.<str:fmt>",
        participants.participant_export,
        name="participant_export",
    ),
    path(
        "projects/<str:code>/participants/<int:pk>/withdraw/",
        participants.participant_withdraw,
        name="participant_withdraw",
    ),
]
