"""`{% project_nav project %}`: the navigation between the pages of one project (base.html)."""

from django import template
from django.urls import reverse

from workspace.permissions import project_pages

register = template.Library()

# (page key, label, URL name, URL names of the pages that belong to the entry)
ENTRIES = (
    ("hub", "Overview", "workspace:hub", {"workspace:hub"}),
    (
        "manage",
        "Notification",
        "project_manage",
        {"project_manage", "project_edit", "project_clone", "project_deadline", "project_team"},
    ),
    (
        "nominations",
        "Nominations",
        "nominations:project",
        {"nominations:project", "nominations:create", "nominations:import", "nominations:import_preview"},
    ),
    ("selection", "Selection", "nominations:selection_board", {"nominations:selection_board"}),
    (
        "participants",
        "Participants",
        "nominations:participant_list",
        {"nominations:participant_list", "nominations:participant_withdraw"},
    ),
    (
        "programme",
        "Programme",
        "agenda:manage",
        {
            "agenda:manage",
            "agenda:publish",
            "agenda:session_create",
            "agenda:session_edit",
            "agenda:item_create",
            "agenda:item_edit",
            "agenda:speaker_create",
            "agenda:speaker_edit",
            "agenda:programme",
        },
    ),
    (
        "attendance",
        "Attendance",
        "agenda:attendance_grid",
        {
            "agenda:attendance_grid",
            "agenda:attendance_mark",
            "agenda:attendance_import_upload",
            "agenda:attendance_import_preview",
            "agenda:attendance_import_map",
            "agenda:attendance_import_zone",
        },
    ),
    ("certificates", "Certificates", "certificates:project", {"certificates:project", "certificates:correct_name"}),
    (
        "evaluation",
        "Evaluation",
        "evaluations:manage",
        {
            "evaluations:manage",
            "evaluations:question_create",
            "evaluations:question_edit",
            "evaluations:results",
            "evaluations:by_person",
        },
    ),
    ("outbox", "E-mails", "project_outbox", {"project_outbox", "outbox_write"}),
    ("audit", "Audit trail", "audit_log", {"audit_log"}),
    ("report", "Report", "reports:project", {"reports:project"}),
)


@register.inclusion_tag("workspace/_project_nav.html", takes_context=True)
def project_nav(context, project):
    """The project's pages the person may open, the current one marked; nothing for others."""
    request = context.get("request")
    user = getattr(request, "user", None)
    if request is None or user is None or not getattr(project, "pk", None):
        return {"entries": []}
    pages = project_pages(user, project)
    match = request.resolver_match
    current = match.view_name if match else ""
    entries = [
        (label, reverse(name, kwargs={"code": project.code}), current in names)
        for key, label, name, names in ENTRIES
        if pages.get(key)
    ]
    return {"entries": entries, "project": project}
