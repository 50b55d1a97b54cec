"""Candidate self-service pages: the candidate's own nomination; the NPO's invitation and request for a change.

Access: a candidate's account reaches its own nomination and CV only; anyone else's answers 404, as
it does for every person who is not its candidate. The NPO's pages follow the other nomination
pages (`views.nominations._nomination`: own country only, another's 404).
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render

from apopms.exceptions import DomainError
from apopms.permissions import get_project_or_404

from .. import permissions, services
from ..enums import NominationState, NominationStatus
from ..forms import CandidateForm, ChangeRequestForm, InviteCandidateForm
from ..models import Nomination
from .files import cv_response
from .nominations import _nomination, deadline_state

# What the candidate is told of their nomination's state (decisions only after publication).
CANDIDATE_STATES = {
    NominationState.DRAFT: "Draft",
    NominationState.WITH_NPO: "With the NPO",
    NominationState.SUBMITTED: "Submitted by the NPO",
    NominationState.WITHDRAWN: "Withdrawn",
    NominationState.SELECTED: "Selected",
    NominationState.RESERVE: "Reserve",
    NominationState.NOT_SELECTED: "Not selected",
}


def candidate_state(nomination):
    return CANDIDATE_STATES[nomination.state]


def _own(request, pk):
    """The user's own candidacy; anyone else's (or none) is a 404."""
    qs = Nomination.objects.select_related("project", "project__host_country", "country")
    nomination = get_object_or_404(qs, pk=pk, candidate__isnull=False)
    if not permissions.is_own_candidacy(request.user, nomination):
        raise Http404("No such nomination.")
    return nomination


@login_required
def candidate_home(request):
    """Where the candidate's link leads: their nomination (or the list, if invited for several projects)."""
    nominations = list(
        Nomination.objects.filter(candidate=request.user).select_related("project").order_by("-created_at", "pk")
    )
    if not nominations:
        raise Http404("You have no nomination to fill in.")
    if len(nominations) == 1:
        return redirect("nominations:candidate", pk=nominations[0].pk)
    return render(request, "nominations/candidate_list.html", {"nominations": nominations})


@login_required
def candidate(request, pk):
    """The candidate's nomination: its state, and their biodata form while they may change it.

    Once the NPO endorsed it, the page shows the state; "Change my biodata" opens the form again,
    and saving a change sends it back to the NPO."""
    nomination = _own(request, pk)
    project = nomination.project
    may_edit = services.candidate_may_edit(nomination)
    endorsed = nomination.status == NominationStatus.SUBMITTED
    state = candidate_state(nomination)
    show_form = may_edit and (not endorsed or "change" in request.GET or request.method == "POST")
    form = None
    if show_form:
        form = CandidateForm(request.POST or None, request.FILES or None, instance=nomination, project=project)
    if request.method == "POST":
        if form is None:
            messages.error(request, "Your nomination can no longer be changed.")
            return redirect("nominations:candidate", pk=nomination.pk)
        if form.is_valid():
            send = "send" in request.POST
            handed_in_before = nomination.handed_in_at
            try:
                saved = services.save_candidate_biodata(
                    nomination=nomination,
                    actor=request.user,
                    data=form.data_fields(),
                    cv=form.cleaned_data.get("cv"),
                    hand_in=send,
                )
            except DomainError as exc:
                form.add_domain_error(exc)
            else:
                if saved.status == NominationStatus.WITH_NPO and saved.handed_in_at != handed_in_before:
                    messages.success(request, "Your nomination is sent to your NPO, who will review it.")
                else:
                    messages.success(request, "Your biodata is saved. You can come back and finish it later.")
                return redirect("nominations:candidate", pk=nomination.pk)
    window, window_text = deadline_state(project)
    return render(
        request,
        "nominations/candidate.html",
        {
            "nomination": nomination,
            "project": project,
            "state": state,
            "form": form,
            "may_edit": may_edit,
            "endorsed": endorsed,
            "window": window,
            "window_text": window_text,
            # The closing date in the candidate's own zone (their account's, else their country's).
            "own_zone": request.user.time_zone or nomination.country.time_zone,
        },
    )


@login_required
def candidate_cv(request, pk):
    """The candidate's own CV (never anyone else's)."""
    return cv_response(_own(request, pk))


@login_required
def invite(request, code):
    """An NPO officer invites a candidate of their country to fill in their own nomination."""
    country = request.user.npo_country
    if country is None:
        raise PermissionDenied("Only NPO officers invite candidates.")
    project = get_project_or_404(code, request.user)
    if not project.accepts_country(country):
        raise Http404("Your country does not take part in this project.")
    form = InviteCandidateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            nomination = services.invite_candidate(
                project=project,
                country=country,
                actor=request.user,
                full_name=form.cleaned_data["full_name"],
                email=form.cleaned_data["email"],
            )
        except DomainError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        else:
            messages.success(
                request,
                f"{nomination.certificate_name} is invited: a link to fill in their nomination was sent to "
                f"{nomination.email}.",
            )
            return redirect("nominations:detail", pk=nomination.pk)
    window, window_text = deadline_state(project)
    return render(
        request,
        "nominations/invite.html",
        {"project": project, "country": country, "form": form, "window": window, "window_text": window_text},
    )


@login_required
def ask_change(request, pk):
    """The NPO asks the candidate for a change, with a message (e-mailed to them)."""
    nomination = _nomination(request, pk)
    if nomination.candidate_id is None:
        raise Http404("This nomination was not filled in by a candidate.")
    form = ChangeRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.request_change(nomination=nomination, actor=request.user, message=form.cleaned_data["message"])
        except DomainError as exc:
            form.add_error("message" if exc.field == "message" else None, exc.message)
        else:
            messages.success(request, f"{nomination.certificate_name} is asked for the change, by e-mail.")
            return redirect("nominations:detail", pk=nomination.pk)
    return render(request, "nominations/ask_change.html", {"nomination": nomination, "form": form})
