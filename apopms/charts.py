"""Charts as inline SVG, drawn on the server from plain data (numbers and labels, no models).

One module for every chart of the portal: the project dashboard shows them in the browser, and the
same markup renders in WeasyPrint. The Content-Security-Policy forbids `style` attributes and
`<style>` elements, so colours and text are set with presentation attributes (`fill`, `font-size`)
and classes of static/css/apopms.css. Each chart is a `Chart`: the SVG plus its numbers as a table
(`headers`, `rows`), which the page shows to screen readers (the SVG itself is one labelled image).

Functions:
- `bar_chart(rows, ...)`: horizontal bars, one per label, with an optional limit line per row
  (e.g. nominations per country against the per-country cap);
- `stacked_bar_chart(rows, series, ...)`: horizontal bars split into series (e.g. present / absent /
  not yet recorded per session);
- `donut_chart(slices, ...)`: parts of a whole (e.g. gender balance).
"""

import math
from dataclasses import dataclass, field

from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.text import slugify

# Colour-blind-safe palette (Okabe-Ito, darkened where needed for 3:1 against white).
PALETTE = ("#0072b2", "#d55e00", "#009e73", "#cc79a7", "#8a6d00", "#56b4e9", "#5f5f5f", "#e69f00")
MUTED = "#c8ccd0"
TEXT = "#212529"
LIMIT = "#b00020"

LABEL_WIDTH = 190
BAR_AREA = 300
VALUE_WIDTH = 70
ROW_HEIGHT = 26
BAR_HEIGHT = 16
FONT_SIZE = 12


@dataclass
class Chart:
    """A drawn chart: `svg` (safe markup), its `title`, and the numbers as a table."""

    title: str
    svg: str
    headers: list = field(default_factory=list)
    rows: list = field(default_factory=list)
    empty: bool = False


def _svg(width, height, title, body):
    ident = f"chart-{slugify(title)}"
    # Every text part is escaped by _text / escape.
    return mark_safe(
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}" role="img" aria-labelledby="{ident}" '
        f'font-family="system-ui, sans-serif" font-size="{FONT_SIZE}">'
        f'<title id="{ident}">{escape(title)}</title>{body}</svg>'
    )


def _text(x, y, text, anchor="start", fill=TEXT, weight=None):
    extra = f' font-weight="{weight}"' if weight else ""
    return (
        f'<text x="{x:.1f}" y="{y:.1f}" text-anchor="{anchor}" fill="{fill}" '
        f'dominant-baseline="middle"{extra}>{escape(text)}</text>'
    )


def _rect(x, y, w, h, fill):
    return f'<rect x="{x:.1f}" y="{y:.1f}" width="{max(w, 0):.1f}" height="{h:.1f}" fill="{fill}"/>'


def _short(label, limit=27):
    label = str(label)
    return label if len(label) <= limit else label[: limit - 1] + "…"


def _legend(series, y, width):
    """Legend entries laid out in lines that fit `width`; returns (markup, height)."""
    parts, x, line = [], 0, 0
    for index, name in enumerate(series):
        entry_width = 22 + 7 * len(str(name)) + 14
        if x and x + entry_width > width:
            x, line = 0, line + 1
        top = y + line * 20
        parts.append(_rect(x, top, 12, 12, _series_colour(index, series)))
        parts.append(_text(x + 18, top + 6, name))
        x += entry_width
    return "".join(parts), (line + 1) * 20


def bar_chart(rows, *, title, value_label="Number", limit_label=None):
    """Horizontal bars. `rows`: [(label, value)] or [(label, value, limit)], limit drawn as a line."""
    rows = list(rows)
    has_limit = any(len(r) > 2 and r[2] is not None for r in rows)
    headers = ["", value_label] + ([limit_label or "Limit"] if has_limit else [])
    table = [[r[0], r[1]] + ([r[2] if len(r) > 2 and r[2] is not None else "—"] if has_limit else []) for r in rows]
    if not rows:
        return Chart(title=title, svg="", headers=headers, rows=[], empty=True)
    top = max([r[1] for r in rows] + [r[2] for r in rows if len(r) > 2 and r[2] is not None] + [1])
    width = LABEL_WIDTH + BAR_AREA + VALUE_WIDTH
    body = []
    for index, row in enumerate(rows):
        label, value = row[0], row[1]
        y = index * ROW_HEIGHT
        middle = y + ROW_HEIGHT / 2
        body.append(_text(LABEL_WIDTH - 8, middle, _short(label), anchor="end"))
        bar = BAR_AREA * value / top
        body.append(_rect(LABEL_WIDTH, middle - BAR_HEIGHT / 2, bar, BAR_HEIGHT, PALETTE[0]))
        text = str(value)
        limit = row[2] if len(row) > 2 else None
        if limit is not None:
            x = LABEL_WIDTH + BAR_AREA * limit / top
            body.append(
                f'<line x1="{x:.1f}" y1="{y + 2:.1f}" x2="{x:.1f}" y2="{y + ROW_HEIGHT - 2:.1f}" '
                f'stroke="{LIMIT}" stroke-width="2"/>'
            )
            text = f"{value} / {limit}"
        body.append(_text(LABEL_WIDTH + bar + 6, middle, text))
    height = len(rows) * ROW_HEIGHT
    if has_limit:
        y = height + 6
        body.append(
            f'<line x1="0" y1="{y + 6}" x2="12" y2="{y + 6}" stroke="{LIMIT}" stroke-width="2"/>'
            + _text(18, y + 6, limit_label or "Limit")
        )
        height += 26
    return Chart(title=title, svg=_svg(width, height, title, "".join(body)), headers=headers, rows=table)


def stacked_bar_chart(rows, series, *, title):
    """Horizontal bars split into `series`. `rows`: [(label, [value per series])]."""
    rows = [(label, list(values)) for label, values in rows]
    headers = ["", *series, "Total"]
    table = [[label, *values, sum(values)] for label, values in rows]
    if not rows:
        return Chart(title=title, svg="", headers=headers, rows=[], empty=True)
    top = max([sum(values) for _, values in rows] + [1])
    width = LABEL_WIDTH + BAR_AREA + VALUE_WIDTH
    body = []
    for index, (label, values) in enumerate(rows):
        y = index * ROW_HEIGHT
        middle = y + ROW_HEIGHT / 2
        body.append(_text(LABEL_WIDTH - 8, middle, _short(label), anchor="end"))
        x = LABEL_WIDTH
        for part, value in enumerate(values):
            w = BAR_AREA * value / top
            body.append(_rect(x, middle - BAR_HEIGHT / 2, w, BAR_HEIGHT, _series_colour(part, series)))
            x += w
        body.append(_text(x + 6, middle, " / ".join(str(v) for v in values)))
    legend, legend_height = _legend(series, len(rows) * ROW_HEIGHT + 8, width)
    body.append(legend)
    height = len(rows) * ROW_HEIGHT + 8 + legend_height
    return Chart(title=title, svg=_svg(width, height, title, "".join(body)), headers=headers, rows=table)


def _series_colour(index, series):
    """The last series of a stacked bar named like "not yet …" reads as what is missing: grey."""
    if index == len(series) - 1 and str(series[index]).lower().startswith("not yet"):
        return MUTED
    return PALETTE[index % len(PALETTE)]


def donut_chart(slices, *, title, value_label="Number"):
    """Parts of a whole. `slices`: [(label, value)]; slices of 0 are listed but not drawn."""
    slices = [(label, value) for label, value in slices]
    total = sum(value for _, value in slices)
    headers = ["", value_label, "Share"]
    table = [[label, value, f"{round(100 * value / total)} %" if total else "—"] for label, value in slices]
    if not total:
        return Chart(title=title, svg="", headers=headers, rows=table, empty=True)
    size, radius, inner = 180, 80, 48
    cx = cy = size / 2
    body, angle = [], -math.pi / 2
    for index, (_, value) in enumerate(slices):
        if not value:
            continue
        colour = PALETTE[index % len(PALETTE)]
        if value == total:
            body.append(
                f'<circle cx="{cx}" cy="{cy}" r="{(radius + inner) / 2}" fill="none" stroke="{colour}" '
                f'stroke-width="{radius - inner}"/>'
            )
            break
        sweep = 2 * math.pi * value / total
        end = angle + sweep
        large = 1 if sweep > math.pi else 0
        points = [
            (cx + radius * math.cos(angle), cy + radius * math.sin(angle)),
            (cx + radius * math.cos(end), cy + radius * math.sin(end)),
            (cx + inner * math.cos(end), cy + inner * math.sin(end)),
            (cx + inner * math.cos(angle), cy + inner * math.sin(angle)),
        ]
        (x1, y1), (x2, y2), (x3, y3), (x4, y4) = points
        body.append(
            f'<path d="M{x1:.2f},{y1:.2f} A{radius},{radius} 0 {large} 1 {x2:.2f},{y2:.2f} '
            f'L{x3:.2f},{y3:.2f} A{inner},{inner} 0 {large} 0 {x4:.2f},{y4:.2f} Z" fill="{colour}"/>'
        )
        angle = end
    body.append(_text(cx, cy, str(total), anchor="middle", weight="bold"))
    legend = []
    for index, (label, value) in enumerate(slices):
        y = 12 + index * 22
        legend.append(_rect(size + 16, y - 6, 12, 12, PALETTE[index % len(PALETTE)]))
        legend.append(_text(size + 34, y, f"{_short(label, 30)}: {value}"))
    width = size + 34 + 260
    height = max(size, 12 + len(slices) * 22)
    return Chart(
        title=title, svg=_svg(width, height, title, "".join(body) + "".join(legend)), headers=headers, rows=table
    )
