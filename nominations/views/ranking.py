"""The rows of an NPO officer's ranking table (`project_npo.html`), written in Python.

Rendering these rows through the template language was most of the list's cost (about 25 template
nodes a row, with their lookups and escaping; profiled for the load benchmark of issue 24), so the
rows are plain tuples from `values_list` made into one string here. The markup is the template's,
character for character; the rest of the page stays in the template.
"""

from html import escape

from django.middleware.csrf import get_token
from django.utils.safestring import mark_safe

from apopms.templatetags.apopms import native_script

from ..enums import NominationStatus, nomination_state
from .links import url_per_pk

# What a row shows: `selectors.country_nominations(...).values_list(*ROW_FIELDS, named=True)`.
ROW_FIELDS = (
    "pk",
    "status",
    "priority",
    "certificate_name",
    "native_name",
    "position",
    "organization",
    "is_late",
    "decision",
    "replacement_window_id",
)

_MOVE = (
    '<form class="d-inline" method="post" action="{url}" hx-post="{url}" hx-target="#nomination-table"'
    ' hx-swap="outerHTML"><input type="hidden" name="csrfmiddlewaretoken" value="{token}">'
    '<input type="hidden" name="direction" value="{direction}"><button class="btn btn-sm btn-outline-secondary"'
    ' type="submit" data-move="{pk}-{direction}" aria-label="Move {name} {direction} ({meaning})">{arrow}</button></form>'
)


def _move(direction, *, url, token, pk, name):
    up = direction == "up"
    return _MOVE.format(
        url=url,
        token=token,
        direction=direction,
        pk=pk,
        name=name,
        meaning="higher priority" if up else "lower priority",
        arrow="▲ Up" if up else "▼ Down",
    )


def ranking_rows(request, rows, *, project, country, drag, window_open, last_rank):
    """The `<tr>`s of `rows` (tuples with ROW_FIELDS), as the ranking table shows them."""
    detail_url, move_url = url_per_pk("nominations:detail"), url_per_pk("nominations:move")
    published = project.selection_published_at is not None
    token = escape(get_token(request)) if window_open else ""
    iso2 = country.iso2 if country is not None else ""
    parts = []
    for n in rows:
        pk = int(n.pk)
        name = escape(n.certificate_name)
        submitted = n.status == NominationStatus.SUBMITTED
        parts.append(f'\n      <tr id="nomination-{pk}"')
        if drag and submitted:
            parts.append(f' draggable="true" data-rank-id="{pk}"')
        parts.append(
            f'>\n        <td>{n.priority or "–"}</td>\n        <td><a href="{escape(detail_url(pk))}">{name}</a>'
        )
        if n.native_name:
            parts.append(f"<br>{native_script(n.native_name, iso2)}")
        state = nomination_state(
            n.status, n.decision, replacement=n.replacement_window_id is not None, published=published
        )
        parts.append(
            f'</td>\n        <td class="d-none d-md-table-cell">{escape(n.position)}<br>'
            f'<span class="small text-body-secondary">{escape(n.organization)}</span></td>\n'
            f"        <td>{escape(str(state.label))}{' (late)' if n.is_late else ''}</td>\n        "
        )
        if window_open:
            parts.append('<td class="text-nowrap">')
            if submitted:
                url, priority = escape(move_url(pk)), n.priority
                up = priority is not None and priority > 1
                down = priority is not None and priority < last_rank
                parts.append("\n          ")
                if up:
                    parts.append(_move("up", url=url, token=token, pk=pk, name=name))
                parts.append("\n          ")
                if down:
                    parts.append(_move("down", url=url, token=token, pk=pk, name=name))
                parts.append("\n        ")
            parts.append("</td>")
        parts.append("\n      </tr>\n    ")
    return mark_safe("".join(parts))  # every value above is escaped; native_script's by format_html
