"""Readable time zone labels.

`%Z` prints "+0530" or "+06" for most member zones, which people cannot read, so
every shown time carries a label such as "Colombo (UTC+05:30)".
"""

import datetime
import functools
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


@functools.cache
def _zone_table():
    """{ISO country code: [zones]} from the time zone database's zone1970.tab/zone.tab, or {} where
    the database ships without them."""
    table = {}
    for root in zoneinfo.TZPATH:
        for name in ("zone1970.tab", "zone.tab"):
            try:
                with open(f"{root}/{name}", encoding="utf-8") as fh:
                    for line in fh:
                        if line.startswith("#") or not line.strip():
                            continue
                        codes, _coords, zone, *_ = line.rstrip("\n").split("\t")
                        for code in codes.split(","):
                            table.setdefault(code, [])
                            if zone not in table[code]:
                                table[code].append(zone)
            except OSError:
                continue
            if table:
                return table
    return table


def country_zones(iso2, main_zone=""):
    """The zones of a country, its main zone (the member country's own) first."""
    zones = [main_zone] if main_zone else []
    return zones + [z for z in _zone_table().get((iso2 or "").upper(), []) if z not in zones]


def _choice(name):
    return (
        name,
        f"{name.replace('_', ' ')} ({utc_offset_label(datetime.datetime.now(zoneinfo.ZoneInfo(name)).utcoffset())})",
    )


def zone_choices(at=None, first=()):
    """Every IANA zone with a continent, labelled, for a select box; the zones in `first` (a host
    country's) come first, in a group of their own."""
    names = sorted(z for z in zoneinfo.available_timezones() if "/" in z and not z.startswith(("Etc/", "SystemV")))
    first = [z for z in first if z in set(names)]
    rest = [_choice(name) for name in names if name not in first]
    if not first:
        return rest
    return [("The host country's zones", [_choice(z) for z in first]), ("All zones", rest)]
