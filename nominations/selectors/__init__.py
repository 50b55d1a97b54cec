"""Reads of the nominations app (writes are in `services`).

- `nominations`: the nomination pages' lists, filters and counts, and a nomination's history.
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
    "filter_by_state",
    "nomination_counts",
    "nomination_history",
    "participants_for_project",
    "project_nominations",
    "projects_for_implementer",
    "projects_for_officer",
    "projects_for_secretariat",
    "projects_with_seats",
    "propose_selection",
    "publication_preview",
    "result_label",
    "seat_offers",
    "selection_board",
    "withdrawn_participants",
]
