"""Dates typed by people (dates of birth in forms and spreadsheets), read without guessing.

Accepted: ISO dates (1985-08-03), dates with the month as a word (3 Aug 1985, August 3, 1985,
03-Aug-1985) and numeric dates whose order is plain from the date itself (25/08/1985; 03/03/1985).
A numeric date such as 03/08/1985 is either 3 August or 8 March: it is read only with an order
(day first or month first) given by the person or decided for a whole file by `decide_order`.
Years have four digits: "85" could be 1885 or 1985.
"""

import datetime
import re
from dataclasses import dataclass, field

from apopms.months import MONTHS

DAY_FIRST, MONTH_FIRST = "dmy", "mdy"
ORDER_LABELS = {DAY_FIRST: "day first", MONTH_FIRST: "month first"}

ISO = re.compile(r"(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})")
NUMERIC = re.compile(r"(\d{1,2})[-/.](\d{1,2})[-/.](\d{2,4})")
DAY_WORD_YEAR = re.compile(r"(\d{1,2})(?:st|nd|rd|th)?[-/. ]+([A-Za-z]+)\.?[-/., ]+(\d{2,4})")
WORD_DAY_YEAR = re.compile(r"([A-Za-z]+)\.?[-/. ]+(\d{1,2})(?:st|nd|rd|th)?[-/., ]+(\d{2,4})")
# A datetime written out by a spreadsheet or by str(): the time part is dropped.
TIME_TAIL = re.compile(r"[ T]00:00(:00(\.0+)?)?$")


@dataclass(frozen=True)
class DateReading:
    """What a typed date says: `date` if it is plain; otherwise both readings of a numeric d/m date.

    `evidence` is the order a plain numeric date proves (25/08/1985 proves day first).
    """

    text: str
    date: datetime.date | None = None
    evidence: str | None = None
    day_first: datetime.date | None = None
    month_first: datetime.date | None = None

    @property
    def ambiguous(self):
        return self.date is None

    def resolve(self, order):
        """The date, reading an ambiguous one in `order` (DAY_FIRST or MONTH_FIRST); ValueError without one."""
        if self.date is not None:
            return self.date
        if order not in ORDER_LABELS:
            raise ValueError(ambiguous_message(self))
        return self.day_first if order == DAY_FIRST else self.month_first


def _date(year, month, day, text):
    try:
        return datetime.date(year, month, day)
    except ValueError:
        raise ValueError(f"“{text}” is not a date in the calendar.") from None


def _year(digits, text):
    if len(digits) != 4:
        raise ValueError(f"“{text}”: write the year with four digits (e.g. 1985).")
    return int(digits)


def _month(word, text):
    month = MONTHS.get(word.lower())
    if month is None:
        raise ValueError(f"“{text}”: “{word}” is not a month.")
    return month


def _long(date):
    return f"{date.day} {date:%B %Y}"


def ambiguous_message(reading):
    return (
        f"“{reading.text}” could be {_long(reading.day_first)} or {_long(reading.month_first)}. "
        f"Write it as {reading.day_first.isoformat()} or {reading.month_first.isoformat()}."
    )


def read_date(value):
    """A DateReading of `value` (a date, datetime or text); raises ValueError with a user-safe message."""
    if isinstance(value, datetime.datetime):
        return DateReading(text=value.isoformat(), date=value.date())
    if isinstance(value, datetime.date):
        return DateReading(text=value.isoformat(), date=value)
    text = " ".join(str(value).split())
    bare = TIME_TAIL.sub("", text)
    if match := ISO.fullmatch(bare):
        year, month, day = (int(g) for g in match.groups())
        return DateReading(text=text, date=_date(year, month, day, text))
    if match := DAY_WORD_YEAR.fullmatch(bare):
        day, word, year = match.groups()
        return DateReading(text=text, date=_date(_year(year, text), _month(word, text), int(day), text))
    if match := WORD_DAY_YEAR.fullmatch(bare):
        word, day, year = match.groups()
        return DateReading(text=text, date=_date(_year(year, text), _month(word, text), int(day), text))
    if match := NUMERIC.fullmatch(bare):
        first, second, year = match.groups()
        first, second, year = int(first), int(second), _year(year, text)
        if first > 12 and second > 12:
            raise ValueError(f"“{text}” is not a date: neither {first} nor {second} is a month.")
        if first > 12:
            return DateReading(text=text, date=_date(year, second, first, text), evidence=DAY_FIRST)
        if second > 12:
            return DateReading(text=text, date=_date(year, first, second, text), evidence=MONTH_FIRST)
        if first == second:
            return DateReading(text=text, date=_date(year, first, first, text))
        return DateReading(
            text=text, day_first=_date(year, second, first, text), month_first=_date(year, first, second, text)
        )
    raise ValueError(f"“{text}” is not a date; write it as YYYY-MM-DD (e.g. 1985-08-03).")


def read_single_date(value):
    """A date typed alone (a form field): plain dates only, since nothing else tells the order."""
    reading = read_date(value)
    if reading.ambiguous:
        raise ValueError(ambiguous_message(reading))
    return reading.date


@dataclass
class OrderDecision:
    """The day/month order of a file's dates: `order` if one could be decided, `errors` {line: message}."""

    order: str | None
    reason: str = ""
    errors: dict = field(default_factory=dict)


def _lines(lines):
    """ "line 5 has" or "lines 5, 7 and 9 have" (at most ten named)."""
    lines = sorted(lines)
    if len(lines) == 1:
        return f"line {lines[0]} has"
    named = [str(n) for n in lines[:10]]
    if len(lines) > 10:
        return f"lines {', '.join(named)} and {len(lines) - 10} more have"
    return f"lines {', '.join(named[:-1])} and {named[-1]} have"


def decide_order(readings, chosen=None):
    """Decide the day/month order of a file from `readings` ({line: DateReading}).

    `chosen` (DAY_FIRST or MONTH_FIRST) is the person's choice; otherwise the file's own plain
    numeric dates decide. Both orders proven, or an ambiguous date and no proof, is an error on
    every line concerned, naming the lines that prove the other order.
    """
    errors = {}
    if chosen in ORDER_LABELS:
        for line, reading in readings.items():
            if reading.evidence and reading.evidence != chosen:
                errors[line] = (
                    f"“{reading.text}” cannot be read {ORDER_LABELS[chosen]} as chosen on the upload form; "
                    f"write it as {reading.date.isoformat()} if that is meant."
                )
        return OrderDecision(order=chosen, reason="as chosen on the upload form", errors=errors)
    proofs = {order: sorted(line for line, r in readings.items() if r.evidence == order) for order in ORDER_LABELS}
    ambiguous = sorted(line for line, r in readings.items() if r.ambiguous)
    if proofs[DAY_FIRST] and proofs[MONTH_FIRST]:
        for order, other in ((DAY_FIRST, MONTH_FIRST), (MONTH_FIRST, DAY_FIRST)):
            for line in proofs[order]:
                errors[line] = (
                    f"“{readings[line].text}” has the {ORDER_LABELS[order]}, but "
                    f"{_lines(proofs[other])} the {ORDER_LABELS[other]}; "
                    "write every date in one order, best as YYYY-MM-DD."
                )
        for line in ambiguous:
            errors[line] = (
                ambiguous_message(readings[line]) + " The file's other dates do not agree on the day/month order."
            )
        return OrderDecision(order=None, errors=errors)
    for order in ORDER_LABELS:
        if proofs[order]:
            first = proofs[order][0]
            return OrderDecision(
                order=order,
                reason=f"as line {first} (“{readings[first].text}”) shows",
            )
    for line in ambiguous:
        errors[line] = (
            ambiguous_message(readings[line]) + " No date in the file shows whether the day or the month comes "
            "first: choose the order on the upload form."
        )
    return OrderDecision(order=None, errors=errors)


__all__ = ["DAY_FIRST", "MONTH_FIRST", "DateReading", "decide_order", "read_date", "read_single_date"]
