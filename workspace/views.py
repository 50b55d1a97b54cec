"""The workspace's pages: a project's hub (its steps and dashboard) and the landing page by role."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from apopms import confirm, services
from apopms.enums import OutboxStatus
from apopms.exceptions import DomainError
from apopms.permissions import get_project_or_404, is_secretariat, require_secretariat

from . import erasure, personal_data, retention
from . import landing as landing_sections
from .dashboard import dashboard_charts, evaluation_summary
from .forms import RetentionForm
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
    # The evaluation only for those who may read its results (the Secretariat).
    evaluation = evaluation_summary(board) if pages.get("evaluation") else None
    charts = dashboard_charts(board)
    if evaluation is not None and evaluation.chart is not None:
        charts.append(evaluation.chart)
    return render(
        request,
        "workspace/hub.html",
        {
            "project": project,
            "steps": project_steps(board, pages, evaluation=evaluation),
            "charts": charts,
            "pages": pages,
            "emails_failed": board.emails.get(OutboxStatus.FAILED, 0),
            "retention": retention.schedule(project),
            "retention_form": _retention_form(project) if is_secretariat(request.user) else None,
        },
    )


@login_required
def landing(request):
    """Where a person lands after logging in: one section per role they hold, most urgent first."""
    return render(request, "workspace/landing.html", {"sections": landing_sections.sections_for(request.user)})


def _retention_form(project, data=None):
    return RetentionForm(
        data,
        initial={
            "cv_days": project.cv_retention_days,
            "nominee_months": project.nominee_retention_months,
            "participant_years": project.participant_retention_years,
            "hold_reason": project.purge_hold_reason,
        },
    )


@login_required
@require_POST
def retention_settings(request, code):
    """The Secretariat sets a project's retention limits (blank: the default) and its hold."""
    require_secretariat(request.user)
    project = get_project_or_404(code, request.user)
    form = _retention_form(project, request.POST)
    if form.is_valid():
        data = form.cleaned_data
        services.set_retention(
            project=project,
            actor=request.user,
            cv_days=data["cv_days"],
            nominee_months=data["nominee_months"],
            participant_years=data["participant_years"],
            hold_reason=data["hold_reason"],
        )
        messages.success(request, "The retention of personal data is saved.")
    else:
        problems = "; ".join(f"{form.fields[f].label}: {' '.join(e)}" for f, e in form.errors.items())
        messages.error(request, f"Not saved. {problems}")
    return redirect("workspace:hub", code=project.code)


def _json_attachment(body, name):
    response = HttpResponse(body, content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@login_required
def person_data(request):
    """The Secretariat looks up one person by e-mail and downloads everything held about them (audited)."""
    require_secretariat(request.user)
    email = request.GET.get("email", "").strip()
    if email:
        body = personal_data.export_person_data(email=email, actor=request.user, scope="secretariat")
        return _json_attachment(body, "personal-data.json")
    return render(request, "workspace/person_data.html")


@login_required
def my_data(request):
    """A participant downloads everything the portal holds about them (audited)."""
    if not request.user.participations.exists():
        raise PermissionDenied("Only participants download their data here.")
    body = personal_data.export_person_data(email=request.user.email, actor=request.user, scope="own")
    return _json_attachment(body, "my-personal-data.json")


@login_required
@require_POST
def person_erase(request):
    """The Secretariat erases one person's data on their request, after confirming (apopms.confirm)."""
    require_secretariat(request.user)
    email = request.POST.get("email", "").strip()
    revoke = request.POST.get("revoke_certificates") == "on"
    back = reverse("workspace:person_data")
    if not email:
        messages.error(request, "E-mail address: give the address of the person to erase.")
        return redirect(back)
    if not confirm.confirmed(request):
        return confirm.ask(
            request,
            title=f"Erase the personal data of {email}",
            consequence=(
                f"Everything held about {email} is erased now, in every project: nominations keep only country, "
                "gender, organization type, category and outcome; CVs, attendance minutes and e-mail texts go; "
                "their account is closed; audit entries naming them are pseudonymised. This cannot be undone."
            ),
            details=[
                "Certificates already issued are revoked with the reason “erased on request”."
                if revoke
                else "Certificates already issued stay valid, with the name they certify."
            ],
            button="Erase",
            back_url=back,
            fields={"email": email, "revoke_certificates": "on" if revoke else ""},
        )
    try:
        counts = erasure.erase_person(email=email, actor=request.user, revoke_certificates=revoke)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request,
            f"Erased: {counts['nominations']} nomination(s), {counts['accounts']} account(s); "
            f"{counts['certificates_revoked']} certificate(s) revoked.",
        )
    return redirect(back)
