"""The workspace's pages: a project's hub (its steps and dashboard) and the landing page by role."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from apopms.enums import OutboxStatus
from apopms.permissions import get_project_or_404

from . import landing as landing_sections
from .dashboard import dashboard_charts
from .permissions import project_pages, require_open_hub
from .selectors import project_dashboard
from .steps import project_steps


@login_required
def hub(request, code):
    """One project's life as steps with their numbers and next actions, and its dashboard."""
    project = get_project_or_404(code, request.user)
    require_open_hub(request.user, project)
    board = project_dashboard(project)
    pages = project_pages(request.user, project)
    return render(
        request,
        "workspace/hub.html",
        {
            "project": project,
            "steps": project_steps(board, pages),
            "charts": dashboard_charts(board),
            "pages": pages,
            "emails_failed": board.emails.get(OutboxStatus.FAILED, 0),
        },
    )


@login_required
def landing(request):
    """Where a person lands after logging in: one section per role they hold, most urgent first."""
    return render(request, "workspace/landing.html", {"sections": landing_sections.sections_for(request.user)})
