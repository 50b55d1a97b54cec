"""A nomination's history as its page shows it: the audit entries in words, NPO officers' view."""

import datetime

from .. import selectors
from ..models import Nomination

FIELD_LABELS = {f.name: str(f.verbose_name) for f in Nomination._meta.get_fields() if hasattr(f, "verbose_name")}


def history_text(entry):
    d = entry.details
    verb = entry.action.rsplit(".", 1)[-1]
    if verb == "created":
        return "Created as a draft" + (" (late nomination)" if d.get("late") else "")
    if verb == "updated":
        return "Changed: " + ", ".join(FIELD_LABELS.get(f, f) for f in d.get("fields", []))
    if verb == "submitted":
        return f"Submitted with priority {d.get('priority')}" + (" (late)" if d.get("late") else "")
    if verb == "imported":
        return f"Imported and submitted with priority {d.get('priority')}" + (" (late)" if d.get("late") else "")
    if verb == "withdrawn":
        return "Withdrawn" + (f" ({d['reason']})" if d.get("reason") else "")
    if verb == "reranked":
        return f"Priority changed from {d.get('old_priority')} to {d.get('priority')}"
    if verb == "cv_downloaded":
        return "CV downloaded"
    return verb.replace("_", " ").capitalize()


NPO_VISIBLE_VERBS = {"imported", "created", "updated", "submitted", "withdrawn", "reranked", "cv_downloaded"}


def history(nomination, user):
    """The nomination's audit entries; NPO officers do not see the Secretariat's internal selection steps."""
    rows = []
    for entry in selectors.nomination_history(nomination):
        if not user.is_secretariat and entry.action.rsplit(".", 1)[-1] not in NPO_VISIBLE_VERBS:
            continue
        occurred = entry.details.get("occurred_at")
        rows.append(
            {
                "when": datetime.datetime.fromisoformat(occurred) if occurred else entry.created_at,
                "backfilled": bool(occurred),
                "text": history_text(entry),
                "actor": entry.actor,
            }
        )
    return rows
