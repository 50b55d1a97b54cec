"""The body of a notification: its sections (objectives, background, ...), topics per day, change history."""

import re

from .lines import heading_at
from .values import find_date

SIGNATURE = re.compile(r"^(?:Dr\.?\s|Secretary[- ]General\b)", re.IGNORECASE)
BULLET = re.compile(r"^(?:[*\u2022\u00ab\u00bb+\-\u25aa\u25cf\u2023o]|\d{1,2}[.)]|[a-h][.)])\s+")
DAY = re.compile(r"^Day\s*(\d{1,2})\s*[:.\-]?\s*(.*)$", re.IGNORECASE)


def paragraphs(lines):
    """Lines wrapped by the PDF joined back into paragraphs; items ("a.", "•", "; and") kept apart."""
    paragraphs, current = [], []
    for line in lines:
        if line.blank or SIGNATURE.match(line.text):
            if current:
                paragraphs.append(" ".join(current))
                current = []
            if SIGNATURE.match(line.text):
                break
            continue
        ends_item = current and re.search(r"[.;:]$|;\s*and$", current[-1])
        if current and (BULLET.match(line.text) or ends_item):
            paragraphs.append(" ".join(current))
            current = []
        current.append(line.text)
    if current:
        paragraphs.append(" ".join(current))
    return "\n\n".join(paragraphs)


def read_sections(draft, lines, values):
    sections, current = {}, None
    for line in lines:
        section = heading_at(line.text) if not line.blank else None
        if section:
            current = section
            sections.setdefault(section, (line, []))
            continue
        if current:
            sections[current][1].append(line)
    for name in ("objectives", "background", "qualifications"):
        if name not in sections or (name == "qualifications" and "qualifications" in values):
            continue
        heading, body = sections[name]
        if True:
            text = paragraphs(body)
            if text:
                draft.put(name, text, heading)
    read_topics(draft, lines)
    if "changes" in sections:
        heading, body = sections["changes"]
        rows = []
        for line in body:
            if line.blank:
                continue
            if find_date(line.text):
                rows.append({"date": find_date(line.text), "text": line.text})
            elif rows:  # a row wrapped onto the next line; lines before the first dated row are the table's header
                rows[-1]["text"] += " " + line.text
        draft.put("change_history", rows, heading)


def read_topics(draft, lines):
    days, first_line, current, blank_before = {}, None, None, False
    for line in lines:
        match = DAY.match(line.text)
        if match:
            current = int(match.group(1))
            first_line = first_line or line
            days.setdefault(current, [])
            if match.group(2) and not re.fullmatch(r"[\W\d]*", match.group(2)):
                days[current].append(match.group(2).strip())
            blank_before = False
            continue
        if current is None:
            continue
        if line.blank:
            blank_before = True
            continue
        if heading_at(line.text):
            current = None
            continue
        if BULLET.match(line.text):
            days[current].append(BULLET.sub("", line.text, count=1).strip())
        elif days[current] and not blank_before:
            days[current][-1] += " " + line.text  # a topic wrapped onto the next line
        else:
            current = None
        blank_before = False
    if days:
        draft.put("topics_by_day", [days.get(n, []) for n in range(1, max(days) + 1)], first_line)
