"""Spreadsheets: exports of nominations and participants (`exports`), the nominations import (`imports`)."""

from .exports import (
    EXPORT_FORMATS,
    NominationResource,
    ParticipantResource,
    export_nominations,
    export_participants,
    neutralise,
    unneutralise,
)
from .imports import (
    parse_rows,
    read_dataset,
    read_upload,
    rows_as_json,
)

__all__ = [
    "EXPORT_FORMATS",
    "NominationResource",
    "ParticipantResource",
    "export_nominations",
    "export_participants",
    "neutralise",
    "parse_rows",
    "read_dataset",
    "read_upload",
    "rows_as_json",
    "unneutralise",
]
