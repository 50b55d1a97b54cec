"""Readable time zone labels.

`%Z` prints "+0530" or "+06" for most member zones, which people cannot read, so
every shown time carries a label such as "Colombo (UTC+05:30)".
"""

import datetime
import zoneinfo


def _zone(zone):
    return zone if isinstance(zone, datetime.tzinfo) else zoneinfo.ZoneInfo(zone)


def utc_offset_label(offset):
    total = int(offset.total_seconds())
    sign = "+" if total >= 0 else "-"
    hours, rest = divmod(abs(total), 3600)
    return f"UTC{sign}{hours:02d}:{rest // 60:02d}"


def zone_city(zone):
    key = getattr(_zone(zone), "key", str(zone))
    return key.rsplit("/", 1)[-1].replace("_", " ")


def zone_label(zone, at=None):
    """'Colombo (UTC+05:30)': the city of the zone and its offset at instant `at` (default now)."""
    tz = _zone(zone)
    at = at or datetime.datetime.now(datetime.UTC)
    return f"{zone_city(tz)} ({utc_offset_label(at.astimezone(tz).utcoffset())})"


def zone_choices(at=None):
    """Every IANA zone with a continent, labelled, for a select box."""
    names = sorted(z for z in zoneinfo.available_timezones() if "/" in z and not z.startswith(("Etc/", "SystemV")))
    return [
        (
            name,
            f"{name.replace('_', ' ')} ({utc_offset_label(datetime.datetime.now(zoneinfo.ZoneInfo(name)).utcoffset())})",
        )
        for name in names
    ]
