"""Participants pages: the list (the project's NPOs, participants and the Secretariat), export, withdrawal."""

import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET

from apopms import audit, confirm, listing
from apopms.exceptions import DomainError
from apopms.listing import SearchForm
from apopms.models import Project
from apopms.permissions import get_project_or_404, secretariat_required

from .. import permissions, resources, selectors, services
from ..models import Participant
from .selection import board_url


def _project_for_participants(request, code):
    project = get_object_or_404(Project.objects.select_related("host_country"), code=code)
    user = request.user
    if not permissions.can_see_participants(user, project):
        if user.npo_country is not None or (not user.is_secretariat and project.notification_issued_at is None):
            raise Http404("No such project.")  # an NPO outside the project learns nothing
        raise PermissionDenied("Only the NPOs and participants of this project see its participants.")
    return project


PER_PAGE = 50
PUBLIC_FIELDS = ["certificate_name", "native_name", "country__name", "nomination__organization"]


@login_required
@require_GET
def participant_list(request, code):
    """The selected participants (name, country, organization): the project's NPOs, participants, Secretariat."""
    project = _project_for_participants(request, code)
    published = project.selection_published_at is not None
    search = SearchForm(request.GET or None)
    query = search.cleaned_data["q"] if search.is_valid() else ""
    # Every NPO of the project sees the participants' names, countries and organizations; only the
    # Secretariat sees (and so may search) their e-mail addresses.
    fields = PUBLIC_FIELDS + (["nomination__email"] if request.user.is_secretariat else [])
    participants = listing.search(selectors.participants_for_project(project), query, fields)
    page = listing.paginate(request, participants if published else Participant.objects.none(), PER_PAGE)
    npo_country = request.user.npo_country
    own_results = []
    if published and npo_country is not None and not request.user.is_secretariat:
        own_results = [(n, selectors.result_label(n)) for n in selectors.country_results(project, npo_country)]
    withdrawn, seats = [], {}
    if request.user.is_secretariat and published:
        withdrawn = list(selectors.withdrawn_participants(project))
        confirmation = selectors.seat_confirmation(project)
        seats = {
            "answers": selectors.seat_answers(project),
            "confirmation": confirmation,
            "remindable": selectors.remindable_count(project, confirmation),
            "nonce": uuid.uuid4().hex,  # one click of "Send reminders" sends each reminder once
        }
    return render(
        request,
        "nominations/selection/participants.html",
        {
            "project": project,
            "published": published,
            "participants": list(page),
            "page": page,
            "search": search,
            "query": query,
            "own_results": own_results,
            "npo_country": npo_country,
            "withdrawn": withdrawn,
            "seats": seats,
        },
    )


@secretariat_required
@require_GET
def participant_export(request, code, fmt):
    if fmt not in resources.EXPORT_FORMATS:
        raise Http404("Unknown export format.")
    project = get_project_or_404(code, request.user)
    content, content_type = resources.export_participants(project, fmt)
    audit.record(
        "nominations.participant.exported",
        actor=request.user,
        target=project,
        format=fmt,
        rows=Participant.objects.filter(project=project).count(),
    )
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="participants-{project.code}.{fmt}"'
    return response


@login_required
def participant_withdraw(request, code, pk):
    """A participant drops out: their NPO or the Secretariat, with a reason."""
    project = get_object_or_404(Project, code=code)
    participant = get_object_or_404(
        Participant.objects.select_related("country", "nomination", "project"), project=project, pk=pk
    )
    user = request.user
    if not permissions.can_withdraw_participant(user, participant):
        if user.npo_country is not None:
            raise Http404("No such participant.")  # another country's NPO learns nothing
        permissions.require_withdraw_participant(user, participant)
    error = None
    if request.method == "POST" and not confirm.confirmed(request):
        error = "Nothing was done: confirm on this page, after reading what withdrawing does."
    elif request.method == "POST":
        try:
            services.withdraw_participant(participant=participant, actor=user, reason=request.POST.get("reason", ""))
        except DomainError as exc:
            error = exc.message
        else:
            note = ""
            if user.is_secretariat:
                note = " The seat is free: the board offers it to the first reserve of the category."
            messages.success(request, f"{participant.certificate_name} is withdrawn.{note}")
            if user.is_secretariat:
                return redirect(board_url(project))
            return redirect(reverse("nominations:participant_list", kwargs={"code": project.code}))
    elif request.method != "GET":
        return HttpResponse(status=405)
    return render(
        request,
        "nominations/selection/withdraw.html",
        {
            "project": project,
            "participant": participant,
            "error": error,
            "reason": request.POST.get("reason", ""),
            "confirm_token": confirm.token(request),
        },
    )
