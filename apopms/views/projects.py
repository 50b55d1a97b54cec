"""Running a round in the portal: projects (list, create, edit, clone, issue, open/close
nominations, deadline). Thin views: parse, call one service, show the outcome;
a DomainError becomes a form error or message, PermissionDenied a 403."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.dateformat import format as date_format
from django.views.decorators.http import require_POST

from .. import confirm, listing, services
from ..exceptions import DomainError, add_to_form
from ..forms import CloneProjectForm, ExtendDeadlineForm, ProjectForm
from ..listing import SearchForm
from ..permissions import get_project_or_404, secretariat_required
from ..selectors import implementers, projects_for

PROJECTS_PER_PAGE = 25


@login_required
def project_list(request):
    """The projects a person works on, with their phase and counts; searched by title, code or host."""
    user = request.user
    if not (user.is_secretariat or user.npo_country or user.implementer_project_ids()):
        raise PermissionDenied("This page is for the Secretariat, NPO officers and implementers.")
    search = SearchForm(request.GET or None)
    query = search.cleaned_data["q"] if search.is_valid() else ""
    projects = listing.search(projects_for(user), query, ["title", "code", "host_country__name"])
    page = listing.paginate(request, projects, PROJECTS_PER_PAGE)
    return render(
        request,
        "apopms/project_list.html",
        {
            "projects": list(page),
            "page": page,
            "search": search,
            "query": query,
            "npo_country": None if user.is_secretariat else user.npo_country,
            # An implementer's projects lead to their hub (the workspace).
            "hub_ids": user.implementer_project_ids(),
        },
    )


@secretariat_required
def project_manage(request, code):
    project = get_project_or_404(code, request.user)
    revisions = list(project.revisions.select_related("created_by").order_by("-number"))
    return render(
        request,
        "apopms/project_manage.html",
        {
            "project": project,
            "revisions": revisions,
            "deadline_form": ExtendDeadlineForm(initial={"closing_date": project.closing_date}),
            "team": list(implementers(project)),
        },
    )


def create_from_form(request, form, *, how=""):
    """The project of a valid ProjectForm, created through the service; None (the reason on the form)
    when a rule refuses it. `how` ends the success message ("from its notification")."""
    kwargs = form.service_kwargs()
    try:
        project = services.create_project(
            actor=request.user,
            participating_countries=kwargs.pop("participating_countries"),
            closing_date=kwargs.pop("closing_date"),
            **kwargs,
        )
    except DomainError as exc:
        add_to_form(form, exc)
        return None
    messages.success(request, f"{project.code} was created as a draft{how}. Issue the notification when it is ready.")
    return project


@secretariat_required
def project_create(request):
    form = ProjectForm(request.POST or None)
    if request.method == "POST" and form.is_valid() and (project := create_from_form(request, form)):
        return redirect("project_manage", code=project.code)
    return render(request, "apopms/project_form.html", {"form": form, "project": None})


@secretariat_required
def project_edit(request, code):
    project = get_project_or_404(code, request.user)
    form = ProjectForm(request.POST or None, instance=project)
    if request.method == "POST" and form.is_valid():
        kwargs = form.service_kwargs()
        note = form.cleaned_data.get("note", "")
        try:
            project = services.update_project(
                actor=request.user,
                project=project,
                participating_countries=kwargs.pop("participating_countries"),
                closing_date=kwargs.pop("closing_date"),
                note=note,
                **kwargs,
            )
        except DomainError as exc:
            add_to_form(form, exc)
        else:
            latest = project.revisions.order_by("-number").first()
            if project.notification_issued_at and latest and latest.created_by_id == request.user.pk:
                messages.success(request, f"Saved. Revision {latest.number} is shown on the public page.")
            else:
                messages.success(request, "Saved.")
            share_change = getattr(project, "attendance_share_change", None)
            if share_change is not None:
                messages.info(request, share_change.summary)
            return redirect("project_manage", code=project.code)
    return render(request, "apopms/project_form.html", {"form": form, "project": project})


@secretariat_required
def project_clone(request, code):
    source = get_project_or_404(code, request.user)
    form = CloneProjectForm(request.POST or None, initial={"title": source.title})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            clone = services.clone_project(
                actor=request.user,
                source=source,
                code=data["code"],
                title=data["title"] or None,
                start_date=data["start_date"],
                closing_date=data["closing_date"],
            )
        except DomainError as exc:
            if exc.errors and set(exc.errors) - set(form.fields):
                # A rule of the copied fields (e.g. end date): say which, in words.
                form.add_error(None, exc.message)
                for field in set(exc.errors) & set(form.fields):
                    form.add_error(field, exc.errors[field])
            else:
                add_to_form(form, exc)
        else:
            messages.success(request, f"{clone.code} was created from {source.code}. Check it, then issue it.")
            return redirect("project_manage", code=clone.code)
    return render(request, "apopms/project_clone.html", {"form": form, "project": source})


@secretariat_required
@require_POST
def project_issue(request, code):
    project = get_project_or_404(code, request.user)
    if not project.notification_issued_at and not confirm.confirmed(request):
        request.confirm_project = project
        return confirm.ask(
            request,
            title=f"Issue the notification of {project.code}",
            consequence=(
                "The project's public page goes up and every participating NPO is e-mailed now. "
                "This cannot be undone: later changes are published as revisions."
            ),
            button="Issue the notification",
            back_url=reverse("project_manage", kwargs={"code": project.code}),
            danger=False,
        )
    try:
        services.issue_notification(actor=request.user, project=project)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, "The notification is issued: the public page is up and the NPOs were told.")
    return redirect("project_manage", code=project.code)


@secretariat_required
@require_POST
def project_nominations(request, code):
    project = get_project_or_404(code, request.user)
    is_open = request.POST.get("open") == "1"
    if not is_open and project.nominations_open and not confirm.confirmed(request):
        request.confirm_project = project
        return confirm.ask(
            request,
            title=f"Close nominations for {project.code}",
            consequence=(
                "NPO officers can no longer create, submit, change or withdraw nominations from now on, "
                f"whatever the closing date ({date_format(project.closing_date, 'j F Y')}) says. "
                "Only the Secretariat can open them again."
            ),
            button="Close nominations now",
            back_url=reverse("project_manage", kwargs={"code": project.code}),
            fields={"open": "0"},
        )
    services.set_nominations_open(actor=request.user, project=project, is_open=is_open)
    messages.success(request, "Nominations are open." if is_open else "Nominations are closed.")
    return redirect("project_manage", code=project.code)


@secretariat_required
def project_deadline(request, code):
    project = get_project_or_404(code, request.user)
    form = ExtendDeadlineForm(request.POST or None, initial={"closing_date": project.closing_date})
    if request.method == "POST" and form.is_valid():
        try:
            services.extend_deadline(
                actor=request.user,
                project=project,
                closing_date=form.cleaned_data["closing_date"],
                reason=form.cleaned_data["reason"],
            )
        except DomainError as exc:
            add_to_form(form, exc)
        else:
            messages.success(request, "The deadline is extended; the NPO officers are being e-mailed.")
            return redirect("project_manage", code=project.code)
    return render(request, "apopms/project_deadline.html", {"form": form, "project": project})
