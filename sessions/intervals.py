"""Attendance arithmetic on plain values: connections as [join, leave] intervals, the threshold.

No Django here: these functions take datetimes, numbers and duck-typed sessions, so they are
tested (and benchmarked) without a database.
"""

import datetime
from decimal import ROUND_CEILING, Decimal

ONE_SECOND = datetime.timedelta(seconds=1)


def merge_intervals(intervals, start=None, end=None):
    """Union of [join, leave] intervals, clipped to [start, end]: overlapping, touching and repeated
    connections (drops and rejoins, two devices) count once. Returns sorted, disjoint pairs."""
    clipped = []
    for join, leave in intervals:
        if start is not None and join < start:
            join = start
        if end is not None and leave > end:
            leave = end
        if leave > join:
            clipped.append((join, leave))
    clipped.sort()
    merged = []
    for join, leave in clipped:
        if merged and join <= merged[-1][1]:
            if leave > merged[-1][1]:
                merged[-1] = (merged[-1][0], leave)
        else:
            merged.append((join, leave))
    return merged


def total_seconds(merged):
    """Whole seconds covered by disjoint intervals (a partial second does not count)."""
    return sum((leave - join) // ONE_SECOND for join, leave in merged)


def required_seconds(share, length_seconds):
    """ceil(share x length), exactly, in Decimal: 0.80 of 10,801 s is 8,640.8 s -> 8,641 s."""
    return int((Decimal(str(share)) * Decimal(length_seconds)).to_integral_value(rounding=ROUND_CEILING))


def session_required_seconds(session, share=None):
    """Seconds needed to count as present at `session` (its project's share unless `share` is given)."""
    share = session.project.min_attendance_share if share is None else share
    return required_seconds(share, session.duration_seconds)


def is_present(seconds, session, share=None):
    return seconds >= session_required_seconds(session, share)


def intervals_json(merged):
    return [
        [join.astimezone(datetime.UTC).isoformat(), leave.astimezone(datetime.UTC).isoformat()]
        for join, leave in merged
    ]


def minutes(seconds):
    """Minutes for display only: whole minutes, rounded down (never shows more than was attended)."""
    return (seconds or 0) // 60


def ceil_minutes(seconds):
    """Minutes rounded up: a threshold shown in minutes never reads lower than it is."""
    return -(-seconds // 60)


def span(seconds):
    """'30 minutes', '5 hours 30 minutes', '1 day 2 hours' (whole minutes, the two largest units)."""
    days, rest = divmod(seconds // 60, 24 * 60)
    hours, mins = divmod(rest, 60)
    parts = [(days, "day"), (hours, "hour"), (mins, "minute")]
    words = [f"{n} {unit}{'s' if n != 1 else ''}" for n, unit in parts if n]
    return " ".join(words[:2]) or "0 minutes"
