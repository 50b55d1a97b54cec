"""Reads of the nominations app (writes are in `services`).

- `nominations`: the nomination pages' lists, filters and counts, and a nomination's history.
- `seats`: seat confirmation and replacement windows.
- `selection`: the selection board, its counters and offers, the proposal, publication, participants.
"""

from .nominations import (
    SEARCHED_FIELDS,
    country_nominations,
    filter_by_state,
    nomination_counts,
    nomination_history,
    project_nominations,
    projects_for_implementer,
    projects_for_officer,
    projects_for_secretariat,
)
from .seats import (
    dropouts,
    dropouts_by_country,
    open_windows_for_country,
    remindable_count,
    replacement_window,
    replacement_windows,
    seat_answerable,
    seat_answers,
    seat_confirmation,
)
from .selection import (
    board_counters,
    country_results,
    decisions_open,
    participants_for_project,
    projects_with_seats,
    propose_selection,
    publication_preview,
    result_label,
    seat_offers,
    selection_board,
    withdrawn_participants,
)

__all__ = [
    "SEARCHED_FIELDS",
    "board_counters",
    "country_nominations",
    "country_results",
    "decisions_open",
    "dropouts",
    "dropouts_by_country",
    "filter_by_state",
    "nomination_counts",
    "nomination_history",
    "open_windows_for_country",
    "participants_for_project",
    "project_nominations",
    "projects_for_implementer",
    "projects_for_officer",
    "projects_for_secretariat",
    "projects_with_seats",
    "propose_selection",
    "publication_preview",
    "remindable_count",
    "replacement_window",
    "replacement_windows",
    "result_label",
    "seat_answerable",
    "seat_answers",
    "seat_confirmation",
    "seat_offers",
    "selection_board",
    "withdrawn_participants",
]
