"""Every change in the nominations app goes through these services (writes; reads are in `selectors`).

- `nominations`: NPO officers and the Secretariat make, submit, rank and withdraw nominations.
- `candidates`: a candidate invited by the NPO fills in their own biodata; the NPO asks for changes, endorses.
- `imports`: the spreadsheet import as a background job (upload, preview, import).
- `checks`: the checks of a nomination's data and of the nomination window, shared with forms and imports.
- `decisions`: the Secretariat's selection within the quotas and the cap, the proposal, publication.
- `participants`: participants made at publication, and withdrawn.
- `confirmations`: participants confirm or decline their seat by the Secretariat's date; reminders.
- `replacements`: after dropouts, a country's replacement window and the decisions on its nominations.
"""

from .candidates import (
    CANDIDATE_FIELDS,
    candidate_may_edit,
    invite_candidate,
    request_change,
    save_candidate_biodata,
)
from .checks import (
    DATA_FIELDS,
    age_on,
    check_date_of_birth,
    clean_name,
    clean_phone,
    clean_statement,
    deadline_text,
    nomination_window,
    validate_cv,
)
from .confirmations import (
    confirm_seat,
    decline_seat,
    send_seat_reminders,
    set_confirmation_date,
    unconfirmed_participants,
)
from .decisions import (
    confirm_proposal,
    decide_nomination,
    move_reserve,
    promote_reserve,
    publish_selection,
    undo_decision,
)
from .imports import (
    confirm_nomination_import,
    fail_job,
    get_progress,
    import_nominations,
    run_job,
    set_progress,
    start_nomination_import,
    store_import_preview,
    upload_nomination_import,
)
from .nominations import (
    create_nomination,
    move_nomination,
    rank_nominations,
    record_cv_download,
    record_export,
    submit_nomination,
    update_nomination,
    withdraw_nomination,
)
from .participants import make_participant, withdraw_participant
from .replacements import decide_replacement, open_replacement_window

__all__ = [
    "CANDIDATE_FIELDS",
    "DATA_FIELDS",
    "age_on",
    "candidate_may_edit",
    "check_date_of_birth",
    "clean_name",
    "clean_phone",
    "clean_statement",
    "confirm_nomination_import",
    "confirm_proposal",
    "confirm_seat",
    "create_nomination",
    "deadline_text",
    "decide_nomination",
    "decide_replacement",
    "decline_seat",
    "fail_job",
    "get_progress",
    "import_nominations",
    "invite_candidate",
    "make_participant",
    "move_nomination",
    "move_reserve",
    "nomination_window",
    "open_replacement_window",
    "promote_reserve",
    "publish_selection",
    "rank_nominations",
    "record_cv_download",
    "record_export",
    "request_change",
    "run_job",
    "save_candidate_biodata",
    "send_seat_reminders",
    "set_confirmation_date",
    "set_progress",
    "start_nomination_import",
    "store_import_preview",
    "submit_nomination",
    "unconfirmed_participants",
    "undo_decision",
    "update_nomination",
    "upload_nomination_import",
    "validate_cv",
    "withdraw_nomination",
    "withdraw_participant",
]
