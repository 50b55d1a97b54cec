"""Views of the programme editor: sessions, agenda items, speakers, announcing and publishing.

Thin: parse input, call one service, turn a DomainError into a form error or message;
PermissionDenied (403) propagates.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from apopms.exceptions import DomainError, add_to_form
from apopms.permissions import get_project_or_404

from .. import services
from ..forms import AgendaItemForm, AnnounceForm, PublishUpdateForm, ResourcePersonForm, SessionForm
from ..models import AgendaItem, ResourcePerson, Session
from ..permissions import require_manage_programme
from ..programme import present
from ..selectors import programme_sessions, programme_snapshot, resource_persons


def _managed_project(request, code):
    project = get_project_or_404(code, request.user)
    require_manage_programme(request.user, project)
    return project


@login_required
def manage(request, code):
    project = _managed_project(request, code)
    latest, changes = services.pending_changes(project)
    sessions = list(programme_sessions(project))
    for session in sessions:
        session.project = project  # day_number needs it: no query per session
    speakers = list(resource_persons(project))
    context = {
        "project": project,
        "sessions": sessions,
        "speakers": speakers,
        "latest": latest,
        "changes": changes,
        "honorarium_count": sum(1 for p in speakers if p.local_honorarium),
        "honorarium_cap": services.HONORARIUM_CAP,
        "warnings": [] if latest else services.announcement_warnings(project),
    }
    return render(request, "sessions/manage.html", context)


def _form_page(request, project, form, *, title, back=None):
    return render(
        request,
        "sessions/form.html",
        {"project": project, "form": form, "title": title, "back": back or _manage_url(project)},
    )


def _manage_url(project):
    return reverse("agenda:manage", kwargs={"code": project.code})


@login_required
def session_create(request, code):
    project = _managed_project(request, code)
    form = SessionForm(request.POST or None, project=project)
    if request.method == "POST" and form.is_valid():
        try:
            services.create_session(project=project, actor=request.user, **form.service_kwargs())
        except DomainError as error:
            add_to_form(form, error)
        else:
            messages.success(request, "Session added to the draft programme.")
            return redirect(_manage_url(project))
    return _form_page(request, project, form, title="New session")


@login_required
def session_edit(request, code, pk):
    project = _managed_project(request, code)
    session = get_object_or_404(Session, project=project, pk=pk)
    form = SessionForm(request.POST or None, project=project, session=session)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_session(session=session, actor=request.user, **form.service_kwargs())
        except DomainError as error:
            add_to_form(form, error)
        else:
            messages.success(request, "Session changed.")
            return redirect(_manage_url(project))
    return _form_page(request, project, form, title=f"Change “{session.title}”")


def _confirm_delete(request, project, what, *, action):
    return render(request, "sessions/confirm_delete.html", {"project": project, "what": what, "action": action})


@login_required
def session_delete(request, code, pk):
    project = _managed_project(request, code)
    session = get_object_or_404(Session, project=project, pk=pk)
    if request.method == "POST":
        try:
            services.delete_session(session=session, actor=request.user)
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, f"Session “{session.title}” removed.")
        return redirect(_manage_url(project))
    return _confirm_delete(request, project, f"the session “{session.title}” and its agenda", action=request.path)


@login_required
def item_create(request, code, session_pk):
    project = _managed_project(request, code)
    session = get_object_or_404(Session.objects.select_related("project"), project=project, pk=session_pk)
    form = AgendaItemForm(request.POST or None, session=session)
    if request.method == "POST" and form.is_valid():
        try:
            services.create_agenda_item(session=session, actor=request.user, **form.service_kwargs())
        except DomainError as error:
            add_to_form(form, error)
        else:
            messages.success(request, "Agenda item added.")
            return redirect(_manage_url(project))
    return _form_page(request, project, form, title=f"New agenda item in “{session.title}”")


def _item(project, pk):
    return get_object_or_404(
        AgendaItem.objects.select_related("session", "session__project"), session__project=project, pk=pk
    )


@login_required
def item_edit(request, code, pk):
    project = _managed_project(request, code)
    item = _item(project, pk)
    form = AgendaItemForm(request.POST or None, session=item.session, item=item)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_agenda_item(item=item, actor=request.user, **form.service_kwargs())
        except DomainError as error:
            add_to_form(form, error)
        else:
            messages.success(request, "Agenda item changed.")
            return redirect(_manage_url(project))
    return _form_page(request, project, form, title=f"Change “{item.title}”")


@login_required
def item_delete(request, code, pk):
    project = _managed_project(request, code)
    item = _item(project, pk)
    if request.method == "POST":
        services.delete_agenda_item(item=item, actor=request.user)
        messages.success(request, f"“{item.title}” removed.")
        return redirect(_manage_url(project))
    return _confirm_delete(request, project, f"the agenda item “{item.title}”", action=request.path)


@login_required
@require_POST
def item_move(request, code, pk):
    project = _managed_project(request, code)
    item = _item(project, pk)
    try:
        services.move_agenda_item(item=item, actor=request.user, direction=request.POST.get("direction"))
    except DomainError as error:
        messages.error(request, error.message)
    return redirect(f"{_manage_url(project)}#session-{item.session_id}")


@login_required
def speaker_create(request, code):
    project = _managed_project(request, code)
    form = ResourcePersonForm(request.POST or None, instance=ResourcePerson(project=project))
    if request.method == "POST" and form.is_valid():
        try:
            services.create_resource_person(project=project, actor=request.user, **form.service_kwargs())
        except DomainError as error:
            add_to_form(form, error)
        else:
            messages.success(request, "Resource person added.")
            return redirect(f"{_manage_url(project)}#speakers")
    return _form_page(request, project, form, title="New resource person")


@login_required
def speaker_edit(request, code, pk):
    project = _managed_project(request, code)
    person = get_object_or_404(ResourcePerson, project=project, pk=pk)
    form = ResourcePersonForm(request.POST or None, instance=ResourcePerson.objects.get(pk=person.pk))
    if request.method == "POST" and form.is_valid():
        try:
            services.update_resource_person(person=person, actor=request.user, **form.service_kwargs())
        except DomainError as error:
            add_to_form(form, error)
        else:
            messages.success(request, "Resource person changed.")
            return redirect(f"{_manage_url(project)}#speakers")
    return _form_page(request, project, form, title=f"Change {person.name}")


@login_required
def speaker_delete(request, code, pk):
    project = _managed_project(request, code)
    person = get_object_or_404(ResourcePerson, project=project, pk=pk)
    if request.method == "POST":
        services.delete_resource_person(person=person, actor=request.user)
        messages.success(request, f"{person.name} removed.")
        return redirect(f"{_manage_url(project)}#speakers")
    return _confirm_delete(request, project, f"the resource person {person.name}", action=request.path)


@login_required
def publish(request, code):
    """Announce the programme (version 1), or publish the draft's changes as a new version."""
    project = _managed_project(request, code)
    latest, changes = services.pending_changes(project)
    if latest is None:
        form = AnnounceForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                version = services.announce_programme(project=project, actor=request.user, **form.cleaned_data)
            except DomainError as error:
                add_to_form(form, error)
            else:
                messages.success(
                    request,
                    "Programme announced"
                    + (" with the selected participants." if version.with_participants else " (without participants).")
                    + " NPO officers and participants are told by e-mail.",
                )
                return redirect("agenda:programme", code=project.code)
    else:
        form = PublishUpdateForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                version, created = services.publish_programme_update(
                    project=project, actor=request.user, change_note=form.cleaned_data["change_note"]
                )
            except DomainError as error:
                add_to_form(form, error)
            else:
                if created:
                    messages.success(request, f"Version {version.number} published; everyone concerned is told.")
                else:
                    messages.info(request, f"Nothing changed since version {version.number}: no new version.")
                return redirect("agenda:programme", code=project.code)
    context = {
        "project": project,
        "form": form,
        "latest": latest,
        "changes": changes,
        "warnings": services.announcement_warnings(project) if latest is None else [],
        "programme": present(programme_snapshot(project), project=project, show_participants=True),
    }
    return render(request, "sessions/publish.html", context)
