"""Reading Zoom participant reports (the formats in shared/reference/README.md).

Pure functions, no database: bytes in, a `ParsedReport` out, or a `ReportError` whose message
names what is wrong (and the row, for unreadable times). Times stay naive, as the report writes
them: the zone they are in is not stated by the report and is confirmed by the uploader.

Variants read:
- ``meeting_with_metadata``: the "Export with meeting data" report (metadata block, blank line,
  participants table);
- ``meeting``: the participants table alone;
- ``meeting_lowercase``: newer exports with lower-case headers (``Email``, ``Join time``);
- ``webinar``: the webinar attendee report with titled sections; only "Attendee Details" rows count.
"""

from .files import MAX_BYTES, ReportError, check_size, decode, file_hash, xlsx_rows
from .parse import (
    ParsedReport,
    Row,
    meeting_start,
    name_variants,
    normalize_email,
    normalize_name,
    parse_report,
    parse_time,
    read_rows,
    sniff_delimiter,
)
from .write import format_time, write_meeting_report

__all__ = [
    "MAX_BYTES",
    "ParsedReport",
    "ReportError",
    "Row",
    "check_size",
    "decode",
    "file_hash",
    "format_time",
    "meeting_start",
    "name_variants",
    "normalize_email",
    "normalize_name",
    "parse_report",
    "parse_time",
    "read_rows",
    "sniff_delimiter",
    "write_meeting_report",
    "xlsx_rows",
]
