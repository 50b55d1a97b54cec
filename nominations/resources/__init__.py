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
    create_job,
    discard_file,
    get_job,
    job_rows,
    load_rows_for_job,
    parse_rows,
    read_dataset,
    read_upload,
    update_job,
)

__all__ = [
    "EXPORT_FORMATS",
    "NominationResource",
    "ParticipantResource",
    "create_job",
    "discard_file",
    "export_nominations",
    "export_participants",
    "get_job",
    "job_rows",
    "load_rows_for_job",
    "neutralise",
    "parse_rows",
    "read_dataset",
    "read_upload",
    "unneutralise",
    "update_job",
]
