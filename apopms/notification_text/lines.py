"""The lines of a pasted notification, and the labels and headings among them.

Text copied from a notification's PDF arrives in many shapes: labels and values on one line or on
separate lines, numbered or not ("6. Number of Overseas"), a label split over two lines with its value
in between ("8. Closing Date for" / "1 October 2014" / "Nominations"), every label listed before every
value, or the whole text flattened into one paragraph. OCR adds noise ("PRODUCTIVirf", "infonnation").
Labels are therefore matched on their words, loosely, never on exact spelling.
"""

import re
import unicodedata
from dataclasses import dataclass
from difflib import SequenceMatcher

# field -> the ways notifications label it (lower case, words only). The first is the usual one.
LABELS = {
    "code": ("project code",),
    "title": ("title", "project title"),
    "pn_issue_date": ("pn issue date", "issue date", "date of issue"),
    "timing": ("timing and duration", "timing", "dates and duration"),
    "venue": ("venue", "place"),
    "modality": ("modality", "mode of delivery"),
    "host": ("hosting countries", "hosting country", "host countries", "host country"),
    "implementing": ("implementing organizations", "implementing organization", "implementing agency"),
    "participating": ("participating countries", "participating country"),
    "overseas": ("number of overseas participants", "overseas participants"),
    "local": ("number of local participants", "local participants"),
    "participants": ("number of participants", "number of participants and qualifications"),
    "qualifications": ("qualifications of participants", "qualifications"),
    "nomination": ("nomination of participants", "nomination procedure"),
    "closing": ("closing date for nominations", "closing date for applications", "closing date"),
}

# Sections of the body, each under a heading (numbered or not).
SECTIONS = {
    "objectives": ("objectives", "objective"),
    "background": ("background",),
    "scope": ("scope methodology and certificate of attendance", "scope and methodology", "program", "programme"),
    "qualifications": ("qualifications of participants", "qualifications"),
    "financial": ("financial arrangements",),
    "procedures": ("implementation procedures",),
    "changes": ("change history", "history of changes", "revision history", "revisions", "changes"),
}

_NUMBERING = re.compile(r"^\s*(?:\d{1,2}|[ivx]{1,4}|[a-h])\s*[.)]\s*", re.IGNORECASE)
_DASHES = str.maketrans({"\u2013": "-", "\u2014": "-", "\u2012": "-", "\u2212": "-", "\u00a0": " ", "\t": " "})


@dataclass(frozen=True)
class Line:
    number: int  # 1-based, in the text as pasted (after a flattened text was split)
    text: str  # stripped, dashes and spaces normalised

    @property
    def blank(self):
        return not self.text


def words(text):
    """Lower-case letters-only words of `text` (accents kept, "Country(ies)" -> "country ies" -> "countries")."""
    text = unicodedata.normalize("NFC", text).casefold().replace("(ies)", "ies").replace("(s)", "s")
    return re.findall(r"[^\W\d_]+", text)


def similar(a, b):
    return SequenceMatcher(None, a, b).ratio()


def loosely_equal(a, b, cutoff=0.75):
    """Word strings equal but for OCR noise ("nominatlons" ~ "nominations"), word by word; short words exactly."""
    if a == b:
        return True
    a_words, b_words = a.split(), b.split()
    if len(a_words) != len(b_words):
        return False
    return all(
        x == y or (min(len(x), len(y)) >= 5 and similar(x, y) >= cutoff) for x, y in zip(a_words, b_words, strict=True)
    )


def strip_numbering(text):
    return _NUMBERING.sub("", text, count=1)


def label_at(text, vocabulary=LABELS):
    """(field, rest of the line, remainder) when `text` starts with a label of `vocabulary`, else None.

    `rest` is what follows the label on the same line (an inline value); `remainder` is the label's
    words missing at the end of the line when the label is split ("Number of Overseas" -> "participants").
    """
    line_words = words(strip_numbering(text))
    if not line_words:
        return None
    best = None
    for field, variants in vocabulary.items():
        for variant in variants:
            label = variant.split()
            for n in range(len(label), 0, -1):
                if n > len(line_words):
                    continue
                if not loosely_equal(" ".join(line_words[:n]), " ".join(label[:n])):
                    continue
                complete = n == len(label)
                # A split label ("Implementing", "Closing Date for") counts only when the line is nothing else.
                if not complete and (n < len(line_words) or (n == 1 and len(label) > 1 and not _NUMBERING.match(text))):
                    continue
                score = (n, complete)
                if best is None or score > best[0]:
                    rest = "" if not complete else _rest_after(text, n)
                    best = (score, field, rest, " ".join(label[n:]))
                break
    if best is None:
        return None
    _, field, rest, remainder = best
    return field, rest, remainder


def split_label_at(lines, i):
    """(field, value, remainder) for a label split over two lines with its value on the first
    ("Implementing      Korea Productivity Center" / "Organizations"), else None."""
    line_words = words(strip_numbering(lines[i].text))
    following = next((line for line in lines[i + 1 : i + 3] if line.text), None)
    if not line_words or following is None:
        return None
    next_words = " ".join(words(following.text))
    for field, variants in LABELS.items():
        for variant in variants:
            label = variant.split()
            for n in range(len(label) - 1, 0, -1):
                if (
                    n < len(line_words)
                    and loosely_equal(" ".join(line_words[:n]), " ".join(label[:n]))
                    and loosely_equal(next_words, " ".join(label[n:]))
                ):
                    return field, _rest_after(lines[i].text, n), " ".join(label[n:])
    return None


def _rest_after(text, n_words):
    """The characters of `text` after its first `n_words` words (and the label's punctuation)."""
    body = strip_numbering(text)
    count = 0
    for match in re.finditer(r"\(ies\)|\(s\)|[^\W\d_]+", body):
        if match.group(0) in ("(ies)", "(s)"):
            continue
        count += 1
        if count == n_words:
            tail = body[match.end() :]
            tail = re.sub(r"^(?:\(ies\)|\(s\))", "", tail)
            return tail.strip(" :-\u2013").strip()
    return ""


def heading_at(text):
    """The section a heading line opens ("1. Objectives", "BACKGROUND"), else None.

    A heading is a short line: the section's name, alone, numbered or not.
    """
    if len(text) > 80:
        return None
    numbered = bool(re.match(r"^\s*\d{1,2}\s*[.)]\s+\S", text))
    line_words = words(strip_numbering(text))
    if not line_words or len(line_words) > 7:
        return None
    joined = " ".join(line_words)
    for section, names in SECTIONS.items():
        for name in names:
            if loosely_equal(joined, name):
                return section
            # "3. Scope, Methodology, and Certificate of Attendance": a numbered heading may say more.
            if numbered and joined.startswith(name.split()[0]) and similar(joined, name) > 0.7:
                return section
    return None


_FLAT_BREAKS = [
    r"(?=\b\d{1,2}\.\s+(?:Objectives?|Background|Scope|Program|Qualifications|Financial|Implementation|Change)\b)",
    r"(?=\bDay\s+\d+\s*:)",
    r"(?=\s[*\u2022\u00ab+]\s)",
    r"(?<=[.;:]\s)(?=[a-h]\.\s+[A-Z])",  # "a. ... b. ..." items after a sentence
]


def _label_regex(variant):
    """A label as printed: its first letter a capital, the rest in any case, "Country(ies)" or "Countries"."""
    parts = []
    for word in variant.split():
        if word.endswith("ies"):
            body = re.escape(word[:-3]) + r"(?:ies|y(?:\(ies\))?)"
        elif word.endswith("s") and len(word) > 4:
            body = re.escape(word[:-1]) + r"s?(?:\(s\))?"
        else:
            body = re.escape(word)
        parts.append(body)
    first, rest = parts[0][0], parts[0][1:]
    return f"(?=\\b[{first.upper()}](?i:{rest}" + "".join(rf"\W*{part}" for part in parts[1:]) + r")(?![^\W\d_]))"


_FLAT_HEADINGS = re.compile(
    r"\b(\d{1,2}\.\s+(?:Objectives?|Background|Scope,? (?:and )?Methodology(?:,? and Certificate of Attendance)?|"
    r"Program(?:me)?|Qualifications of Participants|Financial Arrangements|Implementation Procedures|Change History))\s+"
)


def unflatten(text):
    """Break a notification pasted as one paragraph before each label, heading, day and bullet."""
    text = _FLAT_HEADINGS.sub(lambda match: "\n" + match.group(1) + "\n", text)
    breaks = list(_FLAT_BREAKS)
    breaks += [_label_regex(variant) for variants in LABELS.values() for variant in variants]
    splitter = re.compile("|".join(breaks))
    return "\n".join(part.strip() for chunk in text.split("\n") for part in splitter.split(chunk) if part.strip())


def split_lines(text):
    """The text's lines, numbered; a flattened text (a handful of very long lines) is split first."""
    text = text.translate(_DASHES).replace("\r\n", "\n").replace("\r", "\n")
    raw = text.split("\n")
    long_lines = [line for line in raw if len(line) > 400]
    if long_lines and len([line for line in raw if line.strip()]) < 8:
        text = unflatten(text)
        raw = text.split("\n")
    return [Line(number, re.sub(r" {2,}", " ", line).strip()) for number, line in enumerate(raw, start=1)]
