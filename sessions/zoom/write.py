"""Writing reports in Zoom's own format: used by the demo and the benchmark."""

import csv
import io

MEETING_HEADER = [
    "Name (Original Name)",
    "User Email",
    "Join Time",
    "Leave Time",
    "Duration (Minutes)",
    "Guest",
    "Recording Consent",
]


def format_time(value):
    return value.strftime("%m/%d/%Y %I:%M:%S %p")


def write_meeting_report(connections, *, meeting_id="812 3456 7890", topic="Meeting", start=None, end=None):
    """CSV bytes of a meeting participants report with its metadata block.

    `connections`: iterable of (name, email, join, leave) with naive local datetimes.
    """
    connections = list(connections)
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\r\n")
    start = start or min(c[2] for c in connections)
    end = end or max(c[3] for c in connections)
    writer.writerow(
        ["Meeting ID", "Topic", "Start Time", "End Time", "User Email", "Duration (Minutes)", "Participants"]
    )
    writer.writerow(
        [
            meeting_id,
            topic,
            format_time(start),
            format_time(end),
            "host@apo-tokyo.org",
            int((end - start).total_seconds() // 60),
            len({c[0] for c in connections}),
        ]
    )
    writer.writerow([])
    writer.writerow(MEETING_HEADER)
    for name, email, join, leave in connections:
        minutes = max(1, round((leave - join).total_seconds() / 60))
        writer.writerow([name, email, format_time(join), format_time(leave), minutes, "No" if email else "Yes", "Y"])
    return out.getvalue().encode("utf-8-sig")
