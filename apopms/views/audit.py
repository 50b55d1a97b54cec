"""A project's audit trail for the Secretariat: sentences, filtered, paginated, exported as CSV.

Times are shown in the project's zone, with the UTC instant in the `<time>` element (and on hover);
the CSV export is itself recorded (apopms.audit.exported: who, when, which filter).
"""

import csv
import datetime

from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import render
from django.utils.dateformat import format as date_format

from .. import audit, auditlog
from ..forms import AuditFilterForm
from ..permissions import get_project_or_404, secretariat_required
from ..selectors import audit_actors, audit_entries_for_project
from ..timezones import zone_label

PAGE_SIZE = 50
# What spreadsheets run as a formula when a cell starts with it (names and reasons are typed by people).
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _filtered(request, project):
    """(form, entries, filters): the form bound to the query string, and the entries it selects."""
    form = AuditFilterForm(request.GET or None, people=audit_actors(project), kinds=auditlog.kinds())
    filters = {}
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        zone = project.zone
        if data["person"]:
            filters["actor"] = data["person"]
        if data["kind"]:
            filters["action"] = data["kind"]
        if data["since"]:
            filters["since"] = datetime.datetime.combine(data["since"], datetime.time(), tzinfo=zone)
        if data["until"]:
            next_day = data["until"] + datetime.timedelta(days=1)
            filters["until"] = datetime.datetime.combine(next_day, datetime.time(), tzinfo=zone)
    return form, audit_entries_for_project(project, **filters)


def _rows(entries, zone):
    for entry in entries:
        local = entry.created_at.astimezone(zone)
        utc = entry.created_at.astimezone(datetime.UTC)
        yield {
            "entry": entry,
            "local": local,
            "utc": utc,
            # Formatted here: the `date` filter would turn an aware datetime back into the site's zone.
            "local_text": date_format(local, "j M Y, H:i"),
            "utc_text": date_format(utc, "j M Y, H:i:s") + " UTC",
            "sentence": auditlog.describe(entry),
            "label": auditlog.label(entry.action),
        }


@secretariat_required
def audit_log(request, code):
    project = get_project_or_404(code, request.user)
    form, entries = _filtered(request, project)
    page = Paginator(entries, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "apopms/audit_log.html",
        {
            "project": project,
            "page": page,
            "rows": list(_rows(page, project.zone)),
            "form": form,
            "zone_label": zone_label(project.time_zone),
        },
    )


def _filter_text(form):
    """The filter as a person would say it: 'person Aiko Tanaka, kind Certificate issued, from 2022-08-01'."""
    if not (form.is_bound and form.is_valid()):
        return ""
    data, parts = form.cleaned_data, []
    if data["person"]:
        parts.append(f"person {auditlog.person(data['person'])}")
    if data["kind"]:
        parts.append(f"kind {auditlog.label(data['kind'])}")
    if data["since"]:
        parts.append(f"from {data['since']:%Y-%m-%d}")
    if data["until"]:
        parts.append(f"to {data['until']:%Y-%m-%d}")
    return ", ".join(parts)


def _cell(value):
    value = "" if value is None else str(value)
    return "'" + value if value.startswith(_FORMULA_STARTS) else value


@secretariat_required
def audit_log_csv(request, code):
    """The filtered trail as CSV, all pages; the export is recorded first (with its filter)."""
    project = get_project_or_404(code, request.user)
    form, entries = _filtered(request, project)
    rows = list(_rows(entries, project.zone))
    audit.record(
        "apopms.audit.exported", actor=request.user, target=project, filters=_filter_text(form), rows=len(rows)
    )
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    stamp = date_format(datetime.datetime.now(tz=project.zone), "Ymd-Hi")
    response["Content-Disposition"] = f'attachment; filename="audit-{project.code}-{stamp}.csv"'
    writer = csv.writer(response)
    zone_name = project.time_zone
    writer.writerow(
        [f"when ({zone_name})", "when (UTC)", "person", "e-mail", "kind", "what happened", "action", "details"]
    )
    for row in rows:
        entry = row["entry"]
        writer.writerow(
            _cell(value)
            for value in (
                row["local"].isoformat(timespec="seconds"),
                row["utc"].isoformat(timespec="seconds"),
                auditlog.person(entry.actor),
                entry.actor.email if entry.actor else "",
                row["label"],
                row["sentence"],
                entry.action,
                "; ".join(f"{k}: {v}" for k, v in sorted(entry.details.items())),
            )
        )
    return response
