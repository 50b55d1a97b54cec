"""From a notification's lines to the fields of a project, each with the line it came from."""

import re
from dataclasses import dataclass, field, replace

from .lines import LABELS, Line, heading_at, label_at, loosely_equal, split_label_at, split_lines, words
from .sections import paragraphs, read_sections
from .values import ALL_MEMBERS, country_code, find_cap, find_countries, find_date, find_date_range, find_number

# The fields a notification can fill, in the order a reviewer reads them, with their names on screen.
FIELDS = {
    "code": "Project code",
    "title": "Title",
    "pn_issue_date": "PN issue date",
    "start_date": "Start date",
    "end_date": "End date",
    "venue": "Venue",
    "modality": "Modality",
    "host_country": "Host country",
    "implementing_organizations": "Implementing organizations",
    "participating_countries": "Participating countries",
    "quota_shape": "Quota shape",
    "overseas_quota": "Overseas participants",
    "local_quota": "Local participants",
    "total_quota": "Participants in all",
    "quota_up_to": "Quotas are maxima (“Up to”)",
    "per_country_cap": "Per-country cap",
    "cap_applies_to_all": "The cap counts the host's participants too",
    "closing_date": "Closing date for nominations",
    "qualifications": "Qualifications of participants",
    "objectives": "Objectives",
    "background": "Background",
    "topics_by_day": "Topics per day",
    "change_history": "Change history",
}

BOILERPLATE = ("asian productivity organization", "project notification", "revised project notification")
CODE = re.compile(r"\b\d{2}-[A-Z]{2,4}-\d{2,3}-[A-Z]{2}-[A-Z]{3}-[A-Z]\b")


@dataclass(frozen=True)
class Found:
    value: object
    line: str  # the text it was read from (the first line when a value spans several)
    number: int  # that line's number in the pasted text


@dataclass
class Draft:
    found: dict = field(default_factory=dict)
    problems: list = field(default_factory=list)  # (field, message, line number)

    @property
    def missing(self):
        """Fields not recognised, to fill by hand (the other quota shape's fields are not missing)."""
        skip = {"change_history", "cap_applies_to_all", "quota_up_to", "per_country_cap", "pn_issue_date"}
        shape = self.found.get("quota_shape")
        if shape and shape.value == "total":
            skip |= {"overseas_quota", "local_quota"}
        elif shape:
            skip.add("total_quota")
        modality = self.found.get("modality")
        if modality and modality.value == "digital_multicountry":
            skip.add("venue")
        return [name for name in FIELDS if name not in self.found and name not in skip]

    def put(self, name, value, line):
        if name not in self.found and value not in (None, "", [], ()):
            self.found[name] = Found(value, line.text, line.number)

    def problem(self, name, message, line):
        self.problems.append((name, message, line.number if line else None))


def parse_notification(text):
    """The `Draft` of the project that `text`, a pasted notification, describes."""
    lines = split_lines(text)
    draft = Draft()
    body_at = next(
        (i for i, line in enumerate(lines) if heading_at(line.text) not in (None, "qualifications", "changes")),
        len(lines),
    )
    values = _header_values(lines[:body_at])
    _read_header(draft, lines[:body_at], values)
    read_sections(draft, lines, values)
    # Show each value's whole line as pasted, not only the part after its label.
    draft.found = {name: replace(found, line=lines[found.number - 1].text) for name, found in draft.found.items()}
    return draft


def _header_values(lines):
    """{label field: [lines of its value]} for the header, whatever its layout."""
    values = {}
    i = 0
    while i < len(lines):
        found = (label_at(lines[i].text) or split_label_at(lines, i)) if not lines[i].blank else None
        if not found:
            i += 1
            continue
        name, rest, remainder = found
        block = _labels_first_block(lines, i)
        if block:
            labels, value_lines = block
            for (label_name, _), value in zip(labels, value_lines, strict=False):
                values.setdefault(label_name, [value])
            i = value_lines[-1].number  # index of the line after the block's last value
            continue
        collected = []
        if rest:
            collected.append(Line(lines[i].number, rest))
        j = i + 1
        while j < len(lines) and not collected and lines[j].blank:
            j += 1
        while j < len(lines):
            line = lines[j]
            if remainder and loosely_equal(" ".join(words(line.text)), remainder):
                remainder = ""
                j += 1
                continue
            if line.blank or label_at(line.text) or split_label_at(lines, j) or heading_at(line.text):
                break
            collected.append(line)
            j += 1
        values.setdefault(name, collected)
        i = j
    return values


def _labels_first_block(lines, i):
    """Labels listed one per line, then their values in the same order (three labels or more)."""
    labels, j = [], i
    while j < len(lines):
        if lines[j].blank:
            j += 1
            continue
        found = label_at(lines[j].text)
        if not found or found[1]:
            break
        labels.append((found[0], lines[j]))
        j += 1
    if len(labels) < 3:
        return None
    value_lines = [line for line in lines[j:] if not line.blank][: len(labels)]
    if len(value_lines) < len(labels) or any(label_at(line.text) for line in value_lines):
        return None
    return labels, value_lines


def _joined(lines):
    return " ".join(line.text for line in lines).strip()


def _read_header(draft, header, values):
    # Above the first label, a notification prints its date and, where it has no "Title" label, its title.
    first_label = next((line.number for line in header if label_at(line.text)), None)
    for line in header if first_label is not None else ():
        if line.number >= first_label:
            break
        if not line.blank and find_date(line.text) and len(line.text) < 30:
            draft.put("pn_issue_date", find_date(line.text), line)
        elif (
            len(words(line.text)) >= 3
            and not any(loosely_equal(" ".join(words(line.text)), b) for b in BOILERPLATE)
            and "title" not in values
        ):
            draft.put("title", line.text, line)

    for line in header:
        match = CODE.search(line.text)
        if match:
            draft.put("code", match.group(0), line)
            break

    for name, found in values.items():
        if found:
            READERS[name](draft, found)


def _read_title(draft, found):
    draft.put("title", _joined(found), found[0])


def _read_pn_date(draft, found):
    value = find_date(_joined(found))
    if value:
        draft.put("pn_issue_date", value, found[0])
    else:
        draft.problem("pn_issue_date", f"“{_joined(found)}” is not a date.", found[0])


def _read_timing(draft, found):
    text = _joined(found)
    dates = find_date_range(text)
    if not dates:
        draft.problem("start_date", f"“{text}” is not a range of dates.", found[0])
        return
    start, end, days = dates
    if days and (end - start).days + 1 != days:
        draft.problem("end_date", f"“{text}” says {days} days, but its dates span {(end - start).days + 1}.", found[0])
    draft.put("start_date", start, found[0])
    draft.put("end_date", end, found[0])


def _read_venue(draft, found):
    text = _joined(found)
    if re.search(r"\b(?:digital|online|virtual)\b", text, re.IGNORECASE):
        _read_modality(draft, found)
        return
    draft.put("venue", text, found[0])
    country = country_code(text.rsplit(",", 1)[-1])
    if country:
        draft.put("host_country", country, found[0])


def _read_modality(draft, found):
    text = " ".join(words(_joined(found)))
    if "hybrid" in text:
        value = "hybrid"
    elif re.search(r"\b(?:digital|online|virtual|e learning)\b", text):
        value = "digital_multicountry"
    elif re.search(r"\b(?:in person|face to face|onsite|on site)\b", text):
        value = "in_person"
    else:
        draft.problem("modality", f"“{_joined(found)}” is not a modality the portal knows.", found[0])
        return
    draft.put("modality", value, found[0])


def _read_host(draft, found):
    codes, unknown = find_countries(_joined(found))
    for name in unknown:
        draft.problem("host_country", f"“{name}” is not a member country.", found[0])
    if len(codes) > 1:
        draft.problem("host_country", "The notification names several hosts; the portal keeps one.", found[0])
    if codes:
        draft.put("host_country", codes[0], found[0])


def _read_implementing(draft, found):
    names = []
    for line in found:
        if re.search(r"\d|@|:|www\.", line.text):  # the address under the name
            break
        names.append(line)
    text = _joined(names)
    organizations = [
        part.strip(" ,") for part in re.split(r"\s+and\s+(?=(?:the\s+)?APO\b)|;", text) if part.strip(" ,")
    ]
    draft.put("implementing_organizations", organizations, found[0])


def _read_participating(draft, found, text=None):
    text = _joined(found) if text is None else text
    if ALL_MEMBERS.search(text):
        draft.put("participating_countries", "all", found[0])
        return
    codes, unknown = find_countries(text)
    for name in unknown:
        draft.problem("participating_countries", f"“{name}” is not a member country.", found[0])
    draft.put("participating_countries", codes, found[0])


def _read_quota(name):
    def read(draft, found):
        text = _joined(found)
        number = find_number(text)
        if number is None:
            draft.problem(name, f"“{text}” gives no number.", found[0])
            return
        draft.put("quota_shape", "total" if name == "total_quota" else "overseas_local", found[0])
        draft.put(name, number[0], found[0])
        if number[1]:
            draft.put("quota_up_to", True, found[0])
        cap = find_cap(text)
        if cap:
            draft.put("per_country_cap", cap, found[0])
            if name == "total_quota":
                draft.put("cap_applies_to_all", True, found[0])
        if re.search(r"\bfrom\b", text, re.IGNORECASE) and name != "local_quota":
            _read_participating(draft, found, re.sub(r"^.*?\bfrom\b", "", text, count=1))

    return read


def _read_closing(draft, found):
    value = find_date(_joined(found))
    if value:
        draft.put("closing_date", value, found[0])
    else:
        draft.problem("closing_date", f"“{_joined(found)}” is not a date.", found[0])


def _read_qualifications(draft, found):
    draft.put("qualifications", paragraphs(found), found[0])


READERS = {
    "code": lambda draft, found: (
        draft.put("code", CODE.search(_joined(found)).group(0), found[0])
        if CODE.search(_joined(found))
        else draft.problem("code", f"“{_joined(found)}” is not an APO project code.", found[0])
    ),
    "title": _read_title,
    "pn_issue_date": _read_pn_date,
    "timing": _read_timing,
    "venue": _read_venue,
    "modality": _read_modality,
    "host": _read_host,
    "implementing": _read_implementing,
    "participating": _read_participating,
    "overseas": _read_quota("overseas_quota"),
    "local": _read_quota("local_quota"),
    "participants": _read_quota("total_quota"),
    "qualifications": _read_qualifications,
    "closing": _read_closing,
    "nomination": lambda draft, found: None,
}
assert set(READERS) == set(LABELS)
