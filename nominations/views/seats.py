"""Seats confirmed, dropouts replaced: the participant's seat page, the Secretariat's confirmation date
and reminders, replacement windows and the decisions on their nominations.

Thin: parse input, call one service, show its DomainError as a message; PermissionDenied is a 403.
"""

import datetime
import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from apopms.exceptions import DomainError
from apopms.models import MemberCountry
from apopms.permissions import get_project_or_404, secretariat_required

from .. import selectors, services
from ..enums import Decision
from ..models import Nomination, Participant
from .selection import board_url


def _own_participation(request, code):
    """The signed-in person's participation in project `code` (withdrawn included); 404 for anyone else."""
    participant = (
        Participant.objects.select_related("project", "project__host_country", "country", "nomination")
        .filter(project__code=code, user=request.user)
        .first()
    )
    if participant is None:
        raise Http404("You are not a participant of this project.")
    return participant


def _seat_context(participant):
    confirmation = selectors.seat_confirmation(participant.project)
    return {
        "participant": participant,
        "project": participant.project,
        # A participant selected after the date (a replacement) is not bound by it.
        "confirmation": confirmation if confirmation is not None and confirmation.binds(participant) else None,
        "answerable": selectors.seat_answerable(participant, confirmation),
    }


@login_required
def seat(request, code):
    """The participant's own seat: its state, and (until the date) Confirm, or a link to decline."""
    participant = _own_participation(request, code)
    if request.method == "POST":
        try:
            services.confirm_seat(participant=participant, actor=request.user)
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, f"Thank you: your seat in {participant.project.title} is confirmed.")
        return redirect(reverse("nominations:seat", kwargs={"code": code}))
    if request.method != "GET":
        return HttpResponse(status=405)
    return render(request, "nominations/seat.html", _seat_context(participant))


@login_required
def seat_decline(request, code):
    """The confirmation step of declining: what it means, an optional reason, and the button."""
    participant = _own_participation(request, code)
    error = None
    if request.method == "POST":
        try:
            services.decline_seat(participant=participant, actor=request.user, reason=request.POST.get("reason", ""))
        except DomainError as exc:
            error = exc.message
        else:
            messages.success(request, "You declined your seat. The APO Secretariat and your NPO see it on the portal.")
            return redirect(reverse("nominations:seat", kwargs={"code": code}))
    elif request.method != "GET":
        return HttpResponse(status=405)
    context = _seat_context(participant)
    context.update(error=error, reason=request.POST.get("reason", ""))
    return render(request, "nominations/seat_decline.html", context)


def _date(value):
    try:
        return datetime.date.fromisoformat((value or "").strip())
    except ValueError:
        return None


@secretariat_required
@require_POST
def seat_date(request, code):
    """Set the date by which participants confirm their seat (from the selection board)."""
    project = get_project_or_404(code, request.user)
    try:
        confirmation = services.set_confirmation_date(
            project=project, actor=request.user, due_date=_date(request.POST.get("due_date"))
        )
    except DomainError as exc:
        messages.error(request, f"Confirm by: {exc.message}")
    else:
        messages.success(request, f"Participants confirm their seat by {confirmation.due_text}.")
    return redirect(board_url(project, "seat-confirmation"))


def reminder_nonce():
    """Made when the page is shown: one click of its button sends each reminder once."""
    return uuid.uuid4().hex


@secretariat_required
@require_POST
def seat_remind(request, code):
    project = get_project_or_404(code, request.user)
    try:
        rows = services.send_seat_reminders(project=project, actor=request.user, nonce=request.POST.get("nonce", ""))
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        if rows:
            messages.success(
                request, f"A reminder is on its way to {len(rows)} participant{'s' if len(rows) != 1 else ''}."
            )
        else:
            messages.info(request, "Nobody to remind: every participant has answered (or this click was already sent).")
    return redirect(reverse("nominations:participant_list", kwargs={"code": project.code}) + "#seat-confirmation")


@secretariat_required
def replacement_open(request, code, iso2):
    """Open (or change) a country's replacement window: how many replacements, until when, and why."""
    project = get_project_or_404(code, request.user)
    country = get_object_or_404(MemberCountry, iso2=iso2.upper())
    window = selectors.replacement_window(project, country)
    error = None
    if request.method == "POST":
        try:
            window = services.open_replacement_window(
                project=project,
                country=country,
                actor=request.user,
                seats=request.POST.get("seats"),
                closing_date=_date(request.POST.get("closing_date")),
                reason=request.POST.get("reason", ""),
            )
        except DomainError as exc:
            error = exc
        else:
            messages.success(
                request,
                f"{country.name} may nominate up to {window.seats} replacement{'s' if window.seats != 1 else ''} "
                f"until {window.closes_text}. Its NPO officers are told by e-mail.",
            )
            return redirect(board_url(project, "replacements"))
    elif request.method != "GET":
        return HttpResponse(status=405)
    dropouts = selectors.dropouts(project, country)
    context = {
        "project": project,
        "country": country,
        "window": window,
        "dropouts": dropouts,
        "error": error,
        "seats": request.POST.get("seats") or (window.seats if window else dropouts or 1),
        "closing_date": request.POST.get("closing_date") or (window.closing_date.isoformat() if window else ""),
        "reason": request.POST.get("reason", window.reason if window else ""),
        "max_date": project.end_date.isoformat(),
    }
    return render(request, "nominations/selection/replacement_open.html", context)


@secretariat_required
@require_POST
def replacement_decide(request, code, pk):
    project = get_project_or_404(code, request.user)
    nomination = get_object_or_404(Nomination.objects.select_related("country"), project=project, pk=pk)
    decision = request.POST.get("decision", "")
    if decision not in (Decision.SELECTED, Decision.DECLINED):
        return HttpResponseBadRequest("Unknown decision.")
    try:
        services.decide_replacement(
            nomination=nomination, actor=request.user, decision=decision, reason=request.POST.get("reason", "")
        )
    except DomainError as exc:
        messages.error(request, f"{nomination.certificate_name}: {exc.message}")
    else:
        done = "selected and invited" if decision == Decision.SELECTED else "not selected"
        messages.success(request, f"{nomination.certificate_name} ({nomination.country.name}): {done}.")
    return redirect(board_url(project, "replacements"))
