"""Every write of the evaluations: the questionnaire, the answers, the reminders."""

from .answers import check_open, save_evaluation
from .questionnaire import (
    LOCKED,
    SOURCES,
    add_question,
    check_editable,
    clean_question,
    delete_question,
    move_question,
    previous_project,
    set_up_questionnaire,
    update_question,
)
from .reminders import record_answers_viewed, send_evaluation_reminders

__all__ = [
    "LOCKED",
    "SOURCES",
    "add_question",
    "check_editable",
    "check_open",
    "clean_question",
    "delete_question",
    "move_question",
    "previous_project",
    "record_answers_viewed",
    "save_evaluation",
    "send_evaluation_reminders",
    "set_up_questionnaire",
    "update_question",
]
