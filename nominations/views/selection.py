"""Views of the selection: the Secretariat's board, decisions, proposal, publication.

Thin: parse input, call one service, show its DomainError as a message; PermissionDenied is a 403.
"""

from django.contrib import messages
from django.http import HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from apopms import confirm
from apopms.exceptions import DomainError
from apopms.permissions import get_project_or_404, secretariat_required

from .. import selectors, services
from ..enums import Decision
from ..models import Nomination
from ..proposal import DEFAULT_RESERVE_SIZE, ROUND_ORDER_TEXT
from .links import url_per_pk

BOARD = "nominations/selection/board.html"


def board_url(project, anchor="", open_country=None):
    """The board, scrolled to `anchor`; `open_country` (a country) comes back unfolded."""
    url = reverse("nominations:selection_board", kwargs={"code": project.code})
    if open_country is not None:
        url = f"{url}?open={open_country.iso2}"
    return f"{url}#{anchor}" if anchor else url


def _attach_links(project, nominations):
    """Links to each nomination's detail page, file and decide URL (reversed once, so 1,000 rows stay cheap)."""
    detail, cv = url_per_pk("nominations:detail"), url_per_pk("nominations:cv")
    decide = url_per_pk("nominations:selection_decide", code=project.code)
    for n in nominations:
        n.decide_url, n.detail_url = decide(n.pk), detail(n.pk)
        n.file_url = cv(n.pk) if n.cv else None


def _board_context(project):
    data = selectors.selection_board(project)
    _attach_links(project, data["nominations"])
    context = {"project": project, "round_order": ROUND_ORDER_TEXT, **data}
    context["confirmation"] = selectors.seat_confirmation(project)
    if data["published"]:
        context["windows"] = selectors.replacement_windows(project)
        context["dropouts"] = selectors.dropouts_by_country(project)
    return context


@secretariat_required
@require_GET
def selection_index(request):
    """Every project with its seats taken, linking to its selection board."""
    return render(request, "nominations/selection/index.html", {"projects": selectors.projects_with_seats()})


@secretariat_required
@require_GET
def selection_board(request, code):
    project = get_project_or_404(code, request.user)
    # After a decision made without JavaScript, the country decided on comes back unfolded.
    return render(request, BOARD, {**_board_context(project), "open_country": request.GET.get("open", "")})


@secretariat_required
@require_GET
def selection_counters(request, code):
    """The counters alone, polled by htmx so that another admin's decisions show up."""
    project = get_project_or_404(code, request.user)
    context = {
        "project": project,
        "counters": selectors.board_counters(project),
        # The answer replaces the polling element, so it carries the polling on (until publication).
        "poll": project.selection_published_at is None,
    }
    return render(request, "nominations/selection/_counters.html", context)


def _after_change(request, project, *, error=None, nomination=None, success=None):
    """htmx: the nomination's country group plus the counters, reserve list and offers out of band.
    Without JavaScript: a message and back to the board."""
    if request.htmx:
        context = _board_context(project)
        context["error"] = error
        context["error_pk"] = nomination.pk if nomination else None
        group = None
        if nomination is not None:
            group = next((g for g in context["groups"] if g.country.pk == nomination.country_id), None)
        context["group"] = group
        return render(request, "nominations/selection/_changed.html", context)
    if error:
        messages.error(request, error)
    elif success:
        messages.success(request, success)
    if nomination is None:
        return redirect(board_url(project))
    return redirect(board_url(project, f"nom-{nomination.pk}", nomination.country))


def _project_and_nomination(request, code, pk):
    project = get_project_or_404(code, request.user)
    return project, get_object_or_404(Nomination.objects.select_related("country"), project=project, pk=pk)


@secretariat_required
@require_POST
def selection_decide(request, code, pk):
    project, nomination = _project_and_nomination(request, code, pk)
    action = request.POST.get("decision", "")
    if action != "undo" and action not in Decision.values:
        return HttpResponseBadRequest("Unknown decision.")
    try:
        if action == "undo":
            services.undo_decision(nomination=nomination, actor=request.user)
            done = f"Decision on {nomination.certificate_name} undone."
        else:
            services.decide_nomination(
                nomination=nomination, actor=request.user, decision=action, reason=request.POST.get("reason", "")
            )
            done = f"{nomination.certificate_name}: {Decision(action).label.lower()}."
    except DomainError as exc:
        return _after_change(request, project, error=exc.message, nomination=nomination)
    return _after_change(request, project, nomination=nomination, success=done)


@secretariat_required
@require_POST
def selection_reserve_move(request, code, pk):
    project, nomination = _project_and_nomination(request, code, pk)
    try:
        services.move_reserve(nomination=nomination, actor=request.user, direction=request.POST.get("direction", ""))
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect(board_url(project, "reserve-list"))


@secretariat_required
@require_POST
def selection_promote(request, code, pk):
    project, nomination = _project_and_nomination(request, code, pk)
    if project.selection_published_at and not confirm.confirmed(request):
        # After publication a promotion invites the person and tells their NPO: it cannot be undone.
        request.confirm_project = project
        return confirm.ask(
            request,
            title=f"Promote {nomination.certificate_name}",
            consequence=(
                f"{nomination.certificate_name} ({nomination.country.name}) becomes a participant now: they are "
                "invited to set a password and their NPO is e-mailed its updated results. This cannot be undone; "
                "a participant who then drops out is withdrawn."
            ),
            button="Promote and invite",
            back_url=board_url(project),
            danger=False,
        )
    try:
        services.promote_reserve(nomination=nomination, actor=request.user)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        invited = " and invited" if project.selection_published_at else ""
        messages.success(request, f"{nomination.certificate_name} promoted from the reserve list{invited}.")
    return redirect(board_url(project))


def _reserve_size(value):
    try:
        return max(0, min(int(value), 999))
    except (TypeError, ValueError):
        return DEFAULT_RESERVE_SIZE


def _ids(values):
    try:
        return [int(v) for v in values if v != ""]
    except ValueError:
        raise DomainError("The proposal was damaged in transit. Review it again.") from None


@secretariat_required
def selection_propose(request, code):
    """GET shows the proposal (nothing changes); POST confirms the one that was shown."""
    project = get_project_or_404(code, request.user)
    if request.method == "POST":
        reserve_size = _reserve_size(request.POST.get("reserve_size"))
        try:
            result = services.confirm_proposal(
                project=project,
                actor=request.user,
                selected_ids=_ids(request.POST.getlist("selected")),
                reserve_ids=_ids(request.POST.getlist("reserve")),
                fingerprint=request.POST.get("fingerprint", ""),
                reserve_size=reserve_size,
            )
        except DomainError as exc:
            messages.error(request, exc.message)
            url = reverse("nominations:selection_propose", kwargs={"code": project.code})
            return redirect(f"{url}?reserve_size={reserve_size}")
        messages.success(
            request,
            f"Proposal confirmed: {len(result.selected_ids)} selected, {len(result.reserve_ids)} put on the reserve list.",
        )
        return redirect(board_url(project))
    if request.method != "GET":
        return HttpResponse(status=405)
    reserve_size = _reserve_size(request.GET.get("reserve_size", DEFAULT_RESERVE_SIZE))
    proposal = selectors.propose_selection(project, reserve_size)
    return render(
        request,
        "nominations/selection/propose.html",
        {
            "project": project,
            "proposal": proposal,
            "round_order": ROUND_ORDER_TEXT,
            "decisions_open": selectors.decisions_open(project),
        },
    )


@secretariat_required
def selection_publish(request, code):
    """GET lists what publishing does (undecided -> not selected); POST publishes."""
    project = get_project_or_404(code, request.user)
    if request.method == "POST":
        try:
            services.publish_selection(
                project=project, actor=request.user, fingerprint=request.POST.get("fingerprint", "")
            )
        except DomainError as exc:
            messages.error(request, exc.message)
            return redirect(reverse("nominations:selection_publish", kwargs={"code": project.code}))
        messages.success(request, "The selection is published: NPOs are informed and participants invited.")
        return redirect(board_url(project))
    if request.method != "GET":
        return HttpResponse(status=405)
    return render(
        request,
        "nominations/selection/publish.html",
        {"project": project, "preview": selectors.publication_preview(project)},
    )
