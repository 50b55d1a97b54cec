import datetime

import pytest

from nominations.dates import DAY_FIRST, MONTH_FIRST, decide_order, read_date, read_single_date

D = datetime.date


@pytest.mark.parametrize(
    ("text", "date"),
    [
        ("1985-08-03", D(1985, 8, 3)),
        ("1985/8/3", D(1985, 8, 3)),
        ("1985-08-03 00:00:00", D(1985, 8, 3)),
        ("3 Aug 1985", D(1985, 8, 3)),
        ("03-Aug-1985", D(1985, 8, 3)),
        ("3rd August 1985", D(1985, 8, 3)),
        ("Aug 3, 1985", D(1985, 8, 3)),
        ("September 30 1985", D(1985, 9, 30)),
        ("25/08/1985", D(1985, 8, 25)),
        ("08/25/1985", D(1985, 8, 25)),
        ("07.07.1985", D(1985, 7, 7)),
        (datetime.datetime(1985, 8, 3, 0, 0), D(1985, 8, 3)),  # noqa: DTZ001 - a spreadsheet cell holds no zone
    ],
)
def test_plain_dates_are_read_as_written(text, date):
    assert read_single_date(text) == date


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("03/08/1985", "could be 3 August 1985 or 8 March 1985"),
        ("3 Aug 85", "write the year with four digits"),
        ("03/08/85", "write the year with four digits"),
        ("30/02/1985", "is not a date in the calendar"),
        ("13/14/1985", "neither 13 nor 14 is a month"),
        ("3 Agu 1985", "“Agu” is not a month"),
        ("yesterday", "write it as YYYY-MM-DD"),
    ],
)
def test_unreadable_or_ambiguous_dates_are_refused(text, message):
    with pytest.raises(ValueError, match=message):
        read_single_date(text)


def test_the_order_follows_the_files_plain_dates_or_the_choice():
    readings = {2: read_date("03/08/1985"), 3: read_date("25/08/1985")}
    decision = decide_order(readings)
    assert (decision.order, decision.errors) == (DAY_FIRST, {})
    assert readings[2].resolve(decision.order) == D(1985, 8, 3)
    assert readings[2].resolve(MONTH_FIRST) == D(1985, 3, 8)
    assert decide_order({2: read_date("03/08/1985")}, MONTH_FIRST).order == MONTH_FIRST
    undecided = decide_order({2: read_date("03/08/1985"), 4: read_date("1985-08-03")})
    assert undecided.order is None and list(undecided.errors) == [2]
