"""Revisions of an issued notification: what each clause says, and what changed."""

from django.db.models import Max

from .. import audit
from ..models import ProjectRevision, long_date
from ..templatetags.apopms import date_range


def quota_clauses(project):
    """The numbers of participants, a clause per category: "38", or "Up to 38" where the
    notification says so."""
    up_to = "Up to " if project.quotas_up_to else ""
    if project.has_total_quota:
        return {"Participants from all countries": f"{up_to}{project.total_quota}"}
    return {
        "Overseas participants": f"{up_to}{project.overseas_quota}",
        "Local participants": f"{up_to}{project.local_quota}",
    }


def notification_snapshot(project, countries):
    """What each clause of the notification says, for comparing two versions."""
    return {
        "Project code": project.code,
        "Title": project.title,
        "Timing": date_range(project),
        "Modality": project.get_modality_display() + (f", {project.venue}" if project.venue else ""),
        "Hosting country": str(project.host_country),
        "Implementing organizations": "; ".join(project.implementing_organization_list),
        "Participating countries": sorted(c.name for c in countries),
        **quota_clauses(project),
        "Per-country cap": project.cap_phrase or "none",
        "Closing date": long_date(project.closing_date),
        "Time zone": project.time_zone,
        "Qualifications of participants": project.qualifications,
        "Nomination of participants": project.nomination_procedure,
        "Objectives": project.objectives,
        "Background": project.background,
        "Scope and methodology": project.scope_and_methodology,
        "Indicative topics": project.topics_by_day,
        "Certificate of attendance": project.certificate_rule,
        "Financial arrangements": project.financial_arrangements,
        "Implementation procedures": project.implementation_procedures,
        "Signatory": f"{project.signatory_name}, {project.signatory_title}",
    }


# Clauses whose old and new text are too long for one sentence.
LONG_CLAUSES = {
    "Qualifications of participants",
    "Nomination of participants",
    "Objectives",
    "Background",
    "Scope and methodology",
    "Indicative topics",
    "Certificate of attendance",
    "Financial arrangements",
    "Implementation procedures",
}


def describe_changes(before, after):
    """[{clause, text, old, new}] for each clause that differs: 'Timing changed from … to …'."""
    changes = []
    for clause, old in before.items():
        new = after[clause]
        if old == new:
            continue
        if clause == "Participating countries":
            added, removed = sorted(set(new) - set(old)), sorted(set(old) - set(new))
            parts = []
            if added:
                parts.append("added " + ", ".join(added))
            if removed:
                parts.append("removed " + ", ".join(removed))
            text = "Participating countries changed: " + "; ".join(parts) + "."
        elif clause in LONG_CLAUSES:
            text = f"{clause} revised."
        else:
            text = f"{clause} changed from {old} to {new}."
        changes.append({"clause": clause, "text": text, "old": old, "new": new})
    return changes


def add_revision(*, actor, project, changes, note=""):
    """The next ProjectRevision of `project` with `changes` ([{clause, text, old, new}]). Audit: apopms.project.revised."""
    number = (project.revisions.aggregate(n=Max("number"))["n"] or 0) + 1
    revision = ProjectRevision.objects.create(
        project=project, number=number, created_by=actor, changes=changes, note=note
    )
    audit.record(
        "apopms.project.revised",
        actor=actor,
        target=project,
        revision=number,
        clauses=[c["clause"] for c in changes],
    )
    return revision
