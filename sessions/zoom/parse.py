"""Parsing a Zoom participant report's rows into `Row`s: headers and their aliases, sections,
times (naive, as the report writes them), names and e-mail addresses as matching compares them."""

import datetime
import re
import unicodedata
from dataclasses import dataclass, field

from .files import EXPORT_CSV_HINT, XLS_MAGIC, XLSX_MAGIC, ReportError, check_size, csv_rows, decode, xlsx_rows

# Header aliases, compared after `_header_key` (case-insensitive, spaces collapsed).
ALIASES = {
    "name": ("name (original name)", "user name (original name)", "name", "user name", "display name", "participant"),
    "email": ("user email", "email", "e-mail", "email address", "attendee email"),
    "join": ("join time", "join", "joined", "join time (utc)"),
    "leave": ("leave time", "leave", "left", "leave time (utc)"),
    "duration": ("duration (minutes)", "time in session (minutes)", "duration"),
    "guest": ("guest", "is guest"),
    "first_name": ("first name",),
    "last_name": ("last name",),
    "attended": ("attended",),
    "total_duration": ("total duration (minutes)",),
    "waiting_room": ("in waiting room", "waiting room", "in the waiting room"),
}
SECTION_TITLES = {"topic", "host details", "panelist details", "attendee details", "other attended", "report generated"}
ATTENDEE_SECTION = "attendee details"
# What the first cell of a header or section-title row can be: cheap test before the full one.
HEADER_STARTS = SECTION_TITLES | {alias for aliases in ALIASES.values() for alias in aliases}

TIME_FORMATS = (
    "%m/%d/%Y %I:%M:%S %p",
    "%m/%d/%Y %I:%M %p",
    "%m/%d/%Y %H:%M:%S",
    "%m/%d/%Y %H:%M",
    "%m/%d/%y %I:%M:%S %p",
    "%m/%d/%y %I:%M %p",
    "%m/%d/%y %H:%M:%S",
    "%m/%d/%y %H:%M",
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%d %H:%M",
    "%Y-%m-%dT%H:%M:%S",
    "%b %d, %Y %I:%M:%S %p",
    "%b %d, %Y %I:%M %p",
    "%b %d, %Y %H:%M:%S",
    "%b %d, %Y %H:%M",
)


@dataclass(frozen=True)
class Row:
    """One connection: a person joined at `join` and left at `leave` (naive, report's zone)."""

    line: int
    name: str
    email: str
    join: datetime.datetime
    leave: datetime.datetime
    guest: bool = False
    alt_names: tuple = ()
    waiting_room: bool = False

    def as_json(self):
        return {
            "line": self.line,
            "name": self.name,
            "email": self.email,
            "join": self.join.isoformat(),
            "leave": self.leave.isoformat(),
            "guest": self.guest,
            "alt_names": list(self.alt_names),
            "waiting_room": self.waiting_room,
        }

    @classmethod
    def from_json(cls, data):
        return cls(
            line=data["line"],
            name=data["name"],
            email=data["email"],
            join=datetime.datetime.fromisoformat(data["join"]),
            leave=datetime.datetime.fromisoformat(data["leave"]),
            guest=data.get("guest", False),
            alt_names=tuple(data.get("alt_names", ())),
            waiting_room=data.get("waiting_room", False),
        )


@dataclass
class ParsedReport:
    variant: str
    rows: list
    meta: dict = field(default_factory=dict)


def _header_key(text):
    return " ".join((text or "").replace("\ufeff", "").strip().casefold().split())


def _columns(header):
    """Map field -> column index for a header row, by alias; the first alias found wins."""
    keys = [_header_key(cell) for cell in header]
    found = {}
    for name, aliases in ALIASES.items():
        for alias in aliases:
            if alias in keys:
                found[name] = keys.index(alias)
                break
    return found


def _is_participants_header(row):
    cols = _columns(row)
    return "name" in cols and "join" in cols and "leave" in cols


def _is_blank(row):
    return not any(cell.strip() for cell in row)


def _is_section_title(row):
    cells = [cell.strip() for cell in row if cell.strip()]
    return len(cells) == 1 and _header_key(cells[0]) in SECTION_TITLES


FAST_TIME = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4}) (\d{1,2}):(\d{2})(?::(\d{2}))?(?: ?([AaPp][Mm]))?$")


def _fast_time(value):
    """Zoom's usual `08/24/2022 09:02:15 AM` (and 24-hour, or without seconds) without strptime's cost."""
    match = FAST_TIME.match(value)
    if match is None:
        return None
    month, day, year, hour, minute, second, ampm = match.groups()
    hour = int(hour)
    if ampm:
        if not 1 <= hour <= 12:
            return None
        hour = hour % 12 + (12 if ampm.upper() == "PM" else 0)
    try:
        return datetime.datetime(int(year), int(month), int(day), hour, int(minute), int(second or 0))  # noqa: DTZ001 - report times are local to the zone the user confirms
    except ValueError:
        return None


def parse_time(text):
    value = " ".join((text or "").strip().split())
    fast = _fast_time(value)
    if fast is not None:
        return fast
    for fmt in TIME_FORMATS:
        try:
            return datetime.datetime.strptime(value, fmt)  # noqa: DTZ007 - report times are local to the zone the user confirms
        except ValueError:
            continue
    return None


BRACKETS = re.compile(r"^(.*?)\s*\(([^()]*)\)\s*$")


def name_variants(display):
    """The display name, the name outside brackets, and the name in brackets: 'A B (C)' -> A B (C), A B, C."""
    display = (display or "").strip()
    out = [display] if display else []
    match = BRACKETS.match(display)
    if match:
        out.extend(part.strip() for part in match.groups() if part.strip())
    return out


def normalize_name(text):
    """Casefold, strip accents, collapse spaces: 'Ánh  Nguyễn' -> 'anh nguyen'."""
    decomposed = unicodedata.normalize("NFKD", text or "")
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    stripped = stripped.replace("đ", "d").replace("Đ", "D").replace("ı", "i")
    return " ".join(stripped.casefold().split())


def normalize_email(text):
    return (text or "").strip().casefold()


def _meta(rows, header_index):
    """The metadata block above the participants table: a header row and one row of values."""
    for i in range(header_index - 1):
        keys, values = rows[i], rows[i + 1]
        if _is_blank(keys) or _is_blank(values) or _is_section_title(keys):
            continue
        lowered = {_header_key(k) for k in keys}
        if {"meeting id", "topic"} <= lowered or {"topic", "id"} <= lowered:
            return {k.strip(): v.strip() for k, v in zip(keys, values, strict=False) if k.strip()}
    return {}


def parse_report(data):
    """Bytes of a Zoom participant report -> ParsedReport. Raises ReportError with a user-safe message."""
    check_size(data)
    rows = read_rows(data)

    attendee_section = None
    for i, row in enumerate(rows):
        if _is_section_title(row) and _header_key(next(c for c in row if c.strip())) == ATTENDEE_SECTION:
            attendee_section = i
            break
    start = attendee_section + 1 if attendee_section is not None else 0
    header_index = next((i for i in range(start, len(rows)) if _is_participants_header(rows[i])), None)
    if header_index is None:
        if any(set(_columns(row)) >= {"name", "total_duration"} for row in rows):
            raise ReportError(
                "This is Zoom's “show unique users” report, which has no join and leave times: export the "
                "participants report again without “Show unique users” and upload that."
            )
        raise ReportError(
            "This file is not a Zoom participant report: no header row with a name, a join time and a leave "
            "time was found."
        )
    header = rows[header_index]
    cols = _columns(header)
    if attendee_section is not None:
        variant = "webinar"
    else:
        meta = _meta(rows, header_index)
        raw = [cell.strip() for cell in header]
        lowercase = "Email" in raw or any(c.startswith("Join time") for c in raw)
        variant = "meeting_lowercase" if lowercase else ("meeting_with_metadata" if meta else "meeting")
    meta = _meta(rows, header_index) if attendee_section is None else _webinar_meta(rows, attendee_section)

    parsed = []
    for index in range(header_index + 1, len(rows)):
        row = rows[index]
        line = index + 1
        if _is_blank(row):
            if variant == "webinar":
                break
            continue
        first = _header_key(row[0]) if row else ""
        if first in HEADER_STARTS and (_is_section_title(row) or _is_participants_header(row)):
            break

        def cell(name, row=row):
            i = cols.get(name)
            return row[i].strip() if i is not None and i < len(row) else ""

        if variant == "webinar" and cell("attended").casefold() in {"no", "false"}:
            continue
        name = cell("name")
        first_last = " ".join(part for part in (cell("first_name"), cell("last_name")) if part)
        if not name:
            name = first_last
        join_text, leave_text = cell("join"), cell("leave")
        join, leave = parse_time(join_text), parse_time(leave_text)
        for label, raw_text, value in (("join", join_text, join), ("leave", leave_text, leave)):
            if value is None:
                shown = f"“{raw_text}”" if raw_text else "empty"
                raise ReportError(
                    f"Row {line}: the {label} time ({shown}) cannot be read; times must look like "
                    "08/24/2022 09:02:15 AM (month/day/year)."
                )
        if leave < join:
            raise ReportError(f"Row {line}: the leave time {leave_text} is before the join time {join_text}.")
        parsed.append(
            Row(
                line=line,
                name=name,
                email=cell("email"),
                join=join,
                leave=leave,
                guest=cell("guest").casefold() in {"yes", "true", "1"},
                alt_names=(first_last,) if first_last and first_last != name else (),
                waiting_room=cell("waiting_room").casefold() in {"yes", "true", "1", "y"},
            )
        )
    if not parsed:
        raise ReportError("The report has no participant rows.")
    return ParsedReport(variant=variant, rows=parsed, meta=meta)


META_START_KEYS = ("start time", "actual start time")


def meeting_start(meta):
    """The meeting's own start time from the report's metadata block (naive), or None."""
    for key, value in (meta or {}).items():
        if _header_key(key) in META_START_KEYS:
            return parse_time(value)
    return None


def _webinar_meta(rows, attendee_section):
    for i in range(attendee_section - 1):
        if not rows[i] or _header_key(rows[i][0]) != "topic":
            continue
        if _is_section_title(rows[i]):  # a "Topic" title line, then the header and its values
            i += 1
        keys, values = rows[i], rows[i + 1] if i + 1 < len(rows) else []
        return {k.strip(): v.strip() for k, v in zip(keys, values, strict=False) if k.strip()}
    return {}


# ---------------------------------------------------------------- the file's rows


DELIMITERS = (",", ";", "\t")
SNIFF_LINES = 60
SNIFF_CHARS = 64 * 1024


def sniff_delimiter(text):
    """Comma (Zoom's own export), semicolon (Excel in many locales) or tab (Excel's "Unicode text"):
    the one that splits a participants header near the top; failing that, the most frequent one."""
    sample = "\n".join(text[:SNIFF_CHARS].splitlines()[:SNIFF_LINES])
    for delimiter in DELIMITERS:
        rows = csv_rows(sample, delimiter)
        if any(_is_participants_header(row) or set(_columns(row)) >= {"name", "total_duration"} for row in rows):
            return delimiter
    return max(DELIMITERS, key=sample.count)


def read_rows(data):
    """Rows of cells from a report's bytes: CSV (comma, semicolon or tab; UTF-8 or UTF-16) or XLSX."""
    if data[:4] == XLSX_MAGIC:
        return xlsx_rows(data)
    if data[:8] == XLS_MAGIC:
        raise ReportError(
            f"This file is an Excel workbook in the old .xls format, which is not read: {EXPORT_CSV_HINT}."
        )
    text = decode(data)
    return csv_rows(text, sniff_delimiter(text))
