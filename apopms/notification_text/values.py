"""Values as notifications print them: dates, date ranges, numbers in words, countries, quotas."""

import csv
import datetime
import re
from difflib import get_close_matches
from functools import cache
from pathlib import Path

from ..months import MONTHS
from .lines import words

NUMBER_WORDS = {
    word: number
    for number, word in enumerate(
        [
            "zero",
            "one",
            "two",
            "three",
            "four",
            "five",
            "six",
            "seven",
            "eight",
            "nine",
            "ten",
            "eleven",
            "twelve",
            "thirteen",
            "fourteen",
            "fifteen",
            "sixteen",
            "seventeen",
            "eighteen",
            "nineteen",
            "twenty",
        ]
    )
}
NUMBER_WORDS.update({"thirty": 30, "forty": 40, "fifty": 50})

_MONTH = r"([A-Za-z]{3,10})\.?"
_DAY = r"(\d{1,2})(?:st|nd|rd|th)?"
_YEAR = r"((?:19|20)\d{2})"


def month_number(text):
    """1-12 for a month's name, its abbreviation, or the same with OCR noise ("Novembcr"); else None."""
    text = text.casefold()
    if text in MONTHS:
        return MONTHS[text]
    close = get_close_matches(text, [m for m in MONTHS if len(m) > 4], n=1, cutoff=0.8)
    return MONTHS[close[0]] if close else None


def _date(day, month, year):
    month = month_number(month)
    if month is None:
        return None
    try:
        return datetime.date(int(year), month, int(day))
    except ValueError:
        return None


def find_date(text):
    """The first date in `text`: "3 August 2022", "August 3, 2022", "3 Aug. 2022"; else None."""
    for match in re.finditer(rf"{_DAY}\s+{_MONTH},?\s+{_YEAR}", text):
        found = _date(match.group(1), match.group(2), match.group(3))
        if found:
            return found
    for match in re.finditer(rf"{_MONTH}\s+{_DAY},?\s+{_YEAR}", text):
        found = _date(match.group(2), match.group(1), match.group(3))
        if found:
            return found
    return None


def find_date_range(text):
    """(start, end, days stated or None) from "24-26 August 2022 (three days)", "30 June-2 July 2020",
    "28 November - 2 December 2022", "5 December 2022 to 9 December 2022" or one day; else None."""
    days = None
    stated = re.search(r"\(\s*(\w+)[\s-]+days?\s*\)", text, re.IGNORECASE)
    if stated:
        days = NUMBER_WORDS.get(stated.group(1).casefold()) or (
            int(stated.group(1)) if stated.group(1).isdigit() else None
        )
    sep = r"\s*(?:-|to|until)\s*"
    patterns = (
        # 5 December 2022 - 9 December 2022
        (rf"{_DAY}\s+{_MONTH},?\s+{_YEAR}{sep}{_DAY}\s+{_MONTH},?\s+{_YEAR}", (1, 2, 3, 4, 5, 6)),
        # 30 June - 2 July 2020
        (rf"{_DAY}\s+{_MONTH}{sep}{_DAY}\s+{_MONTH},?\s+{_YEAR}", (1, 2, 5, 3, 4, 5)),
        # 24-26 August 2022
        (rf"{_DAY}{sep}{_DAY}\s+{_MONTH},?\s+{_YEAR}", (1, 3, 4, 2, 3, 4)),
        # August 24-26, 2022
        (rf"{_MONTH}\s+{_DAY}{sep}{_DAY},?\s+{_YEAR}", (2, 1, 4, 3, 1, 4)),
    )
    for pattern, (d1, m1, y1, d2, m2, y2) in patterns:
        match = re.search(pattern, text)
        if not match:
            continue
        start = _date(match.group(d1), match.group(m1), match.group(y1))
        end = _date(match.group(d2), match.group(m2), match.group(y2))
        if start and end and start <= end:
            return start, end, days
    single = find_date(text)
    if single and (days in (None, 1)):
        return single, single, days
    return None


def find_number(text):
    """(number, "up to" said) for "38", "Up to six qualified participants", "up to 15"; else None."""
    up_to = bool(re.search(r"\bup\s*to\b|\bmaximum of\b|\bnot more than\b", text, re.IGNORECASE))
    match = re.search(r"\b(\d{1,3})\b", text)
    word_match = re.search(r"\b(" + "|".join(NUMBER_WORDS) + r")\b", text, re.IGNORECASE)
    if match and (not word_match or match.start() < word_match.start()):
        return int(match.group(1)), up_to
    if word_match:
        return NUMBER_WORDS[word_match.group(1).casefold()], up_to
    return None


def find_cap(text):
    """The per-country cap of "two from each country", "(twofrom each member country)", "2 per country"."""
    match = re.search(
        r"\b(\d{1,2}|" + "|".join(NUMBER_WORDS) + r")\s*(?:participants?\s+)?(?:from|per)\s+(?:each|every|a)?\s*"
        r"(?:member\s+)?(?:country|economy)",
        text,
        re.IGNORECASE,
    )
    if not match:
        return None
    value = match.group(1).casefold()
    return int(value) if value.isdigit() else NUMBER_WORDS[value]


# Other names of member countries in notifications (the CSV's names are the portal's).
COUNTRY_VARIANTS = {
    "TW": ("republic of china", "roc", "taiwan", "chinese taipei"),
    "IR": ("ir iran", "iran", "islamic republic of iran", "i r iran"),
    "KR": ("republic of korea", "korea", "rok", "south korea"),
    "LA": ("lao pdr", "laos", "lao", "lao people s democratic republic"),
    "TR": ("türkiye", "turkiye", "turkey"),
    "VN": ("vietnam", "viet nam"),
    "HK": ("hong kong", "hong kong china"),
    "PH": ("philippines", "the philippines"),
}

MEMBERS_CSV = Path(__file__).resolve().parent.parent / "data" / "apo_members_2022.csv"


@cache
def country_names():
    """{"sri lanka": "LK", "ir iran": "IR", ...}: every name and variant of every member country."""
    names = {}
    with MEMBERS_CSV.open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            names[" ".join(words(row["name"]))] = row["iso2"]
    for iso2, variants in COUNTRY_VARIANTS.items():
        for variant in variants:
            names[variant] = iso2
    return names


def country_code(text):
    """The ISO code of the member country `text` names (variants and OCR noise allowed), else None."""
    key = " ".join(words(text))
    key = re.sub(r"^(?:the|and)\s+", "", key)
    names = country_names()
    if key in names:
        return names[key]
    if len(key) < 5:
        return None
    close = get_close_matches(key, list(names), n=1, cutoff=0.8)
    return names[close[0]] if close else None


ALL_MEMBERS = re.compile(
    r"^\W*(?:all\s+)?(?:(?:the|apo)\s+)?member\s+(?:countries|economies)\b|\ball\s+(?:apo\s+)?member\s+(?:countries|economies)\b",
    re.IGNORECASE,
)


def find_countries(text):
    """(iso2 codes in order, names not recognised) for "Bangladesh, Republic of China, ..., and Vietnam".

    The list ends at the first sentence that is not part of it ("However, other member countries ...").
    """
    text = re.split(r"(?<=[a-z)])\.\s|\.$|;", text, maxsplit=1)[0]
    text = re.sub(r"^.*?\bfrom\s+", "", text, count=1, flags=re.IGNORECASE)
    text = re.sub(r"\bHong Kong,\s*China\b", "Hong Kong", text, flags=re.IGNORECASE)
    codes, unknown = [], []
    for part in re.split(r",|\band\b|&", text):
        part = part.strip(" .:()")
        if not words(part):
            continue
        code = country_code(part)
        if code is None:
            unknown.append(part)
        elif code not in codes:
            codes.append(code)
    return codes, unknown
