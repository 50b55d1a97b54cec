from .models import AuditEntry, Project


def public_project(code):
    return (
        Project.objects.published()
        .select_related("host_country")
        .prefetch_related("participating_countries")
        .get(code=code)
    )


def audit_entries_for_project(project):
    return AuditEntry.objects.filter(project=project).select_related("actor", "content_type").order_by("-created_at")
