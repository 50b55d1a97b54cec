"""Views of the selection: the Secretariat's board, proposal, publication; participants lists.

Thin: parse input, call one service of `nominations.selection`, show its DomainError as a message.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, reverse
from django.views.decorators.http import require_GET, require_POST

from apopms.exceptions import DomainError
from apopms.models import Project
from apopms.permissions import get_project_or_404, secretariat_required

from . import selection
from .enums import Decision, ParticipantStatus
from .models import Nomination, Participant

BOARD = "nominations/selection/board.html"


def _board_url(project, anchor=""):
    url = reverse("nominations:selection_board", kwargs={"code": project.code})
    return f"{url}#{anchor}" if anchor else url


_SENTINEL = 987654321


def _url_pattern(candidates):
    """A URL with a placeholder primary key, from the first name that resolves (the nominations
    app's pages); reversing once keeps 1,000 rows cheap."""
    for name in candidates:
        try:
            return reverse(name, kwargs={"pk": _SENTINEL})
        except NoReverseMatch:
            continue
    return None


def _attach_links(project, nominations):
    """Links to each nomination's detail page and file (pages of the nominations app) and its decide URL."""
    detail = _url_pattern(["nominations:detail", "nominations:nomination_detail"])
    cv = _url_pattern(["nominations:cv", "nominations:nomination_cv"])
    decide = reverse("nominations:selection_decide", kwargs={"code": project.code, "pk": _SENTINEL})
    for n in nominations:
        n.decide_url = decide.replace(str(_SENTINEL), str(n.pk))
        n.detail_url = detail.replace(str(_SENTINEL), str(n.pk)) if detail else None
        n.file_url = cv.replace(str(_SENTINEL), str(n.pk)) if cv and n.cv else None


def _board_context(project):
    data = selection.selection_board(project)
    _attach_links(project, data["nominations"])
    return {"project": project, "round_order": selection.ROUND_ORDER_TEXT, **data}


@secretariat_required
@require_GET
def selection_index(request):
    """Every project with its seats taken, linking to its selection board."""
    return render(request, "nominations/selection/index.html", {"projects": selection.projects_with_seats()})


@secretariat_required
@require_GET
def selection_board(request, code):
    project = get_project_or_404(code, request.user)
    return render(request, BOARD, _board_context(project))


@secretariat_required
@require_GET
def selection_counters(request, code):
    """The counters alone, polled by htmx so that another admin's decisions show up."""
    project = get_project_or_404(code, request.user)
    context = {
        "project": project,
        "counters": selection.board_counters(project),
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
    return redirect(_board_url(project, f"nom-{nomination.pk}" if nomination else ""))


@secretariat_required
@require_POST
def selection_decide(request, code, pk):
    project = get_project_or_404(code, request.user)
    nomination = get_object_or_404(Nomination.objects.select_related("country"), project=project, pk=pk)
    action = request.POST.get("decision", "")
    if action != "undo" and action not in Decision.values:
        return HttpResponseBadRequest("Unknown decision.")
    try:
        if action == "undo":
            selection.undo_decision(nomination=nomination, actor=request.user)
            done = f"Decision on {nomination.certificate_name} undone."
        else:
            selection.decide_nomination(
                nomination=nomination, actor=request.user, decision=action, reason=request.POST.get("reason", "")
            )
            done = f"{nomination.certificate_name}: {Decision(action).label.lower()}."
    except DomainError as exc:
        return _after_change(request, project, error=exc.message, nomination=nomination)
    return _after_change(request, project, nomination=nomination, success=done)


@secretariat_required
@require_POST
def selection_reserve_move(request, code, pk):
    project = get_project_or_404(code, request.user)
    nomination = get_object_or_404(Nomination.objects.select_related("country"), project=project, pk=pk)
    try:
        selection.move_reserve(nomination=nomination, actor=request.user, direction=request.POST.get("direction", ""))
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect(_board_url(project, "reserve-list"))


@secretariat_required
@require_POST
def selection_promote(request, code, pk):
    project = get_project_or_404(code, request.user)
    nomination = get_object_or_404(Nomination.objects.select_related("country"), project=project, pk=pk)
    try:
        selection.promote_reserve(nomination=nomination, actor=request.user)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        invited = " and invited" if project.selection_published_at else ""
        messages.success(request, f"{nomination.certificate_name} promoted from the reserve list{invited}.")
    return redirect(_board_url(project))


def _reserve_size(value):
    try:
        return max(0, min(int(value), 999))
    except (TypeError, ValueError):
        return selection.DEFAULT_RESERVE_SIZE


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
            result = selection.confirm_proposal(
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
        return redirect(_board_url(project))
    if request.method != "GET":
        return HttpResponse(status=405)
    reserve_size = _reserve_size(request.GET.get("reserve_size", selection.DEFAULT_RESERVE_SIZE))
    proposal = selection.propose_selection(project, reserve_size)
    return render(
        request,
        "nominations/selection/propose.html",
        {
            "project": project,
            "proposal": proposal,
            "round_order": selection.ROUND_ORDER_TEXT,
            "decisions_open": project.selection_published_at is None and not project.accepts_nominations(),
        },
    )


@secretariat_required
def selection_publish(request, code):
    """GET lists what publishing does (undecided -> not selected); POST publishes."""
    project = get_project_or_404(code, request.user)
    if request.method == "POST":
        try:
            selection.publish_selection(
                project=project, actor=request.user, fingerprint=request.POST.get("fingerprint", "")
            )
        except DomainError as exc:
            messages.error(request, exc.message)
            return redirect(reverse("nominations:selection_publish", kwargs={"code": project.code}))
        messages.success(request, "The selection is published: NPOs are informed and participants invited.")
        return redirect(_board_url(project))
    if request.method != "GET":
        return HttpResponse(status=405)
    return render(
        request,
        "nominations/selection/publish.html",
        {"project": project, "preview": selection.publication_preview(project)},
    )


# --------------------------------------------------------------------------- participants


def _project_for_participants(request, code):
    project = get_object_or_404(Project.objects.select_related("host_country"), code=code)
    user = request.user
    if not selection.can_see_participants(user, project):
        if user.npo_country is not None or (not user.is_secretariat and project.notification_issued_at is None):
            raise Http404("No such project.")  # an NPO outside the project learns nothing
        raise PermissionDenied("Only the NPOs and participants of this project see its participants.")
    return project


@login_required
@require_GET
def participant_list(request, code):
    """The selected participants (name, country, organization): the project's NPOs, participants, Secretariat."""
    project = _project_for_participants(request, code)
    published = project.selection_published_at is not None
    participants = list(selection.participants_for_project(project)) if published else []
    npo_country = request.user.npo_country
    own_results = []
    if published and npo_country is not None and not request.user.is_secretariat:
        own_results = [(n, selection.result_label(n)) for n in selection.country_results(project, npo_country)]
    withdrawn = []
    if request.user.is_secretariat and published:
        withdrawn = list(
            Participant.objects.filter(project=project, status=ParticipantStatus.WITHDRAWN)
            .select_related("country")
            .order_by("-withdrawn_at", "pk")
        )
    return render(
        request,
        "nominations/selection/participants.html",
        {
            "project": project,
            "published": published,
            "participants": participants,
            "own_results": own_results,
            "npo_country": npo_country,
            "withdrawn": withdrawn,
        },
    )


@secretariat_required
@require_GET
def participant_export(request, code, fmt):
    from .selection_resources import export_participants

    project = get_project_or_404(code, request.user)
    content, content_type = export_participants(project, fmt)
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
    if not user.is_secretariat:
        if user.npo_country is None:
            raise PermissionDenied("Only the participant's NPO or the APO Secretariat may withdraw a participant.")
        if user.npo_country.pk != participant.country_id:
            raise Http404("No such participant.")
    error = None
    if request.method == "POST":
        try:
            selection.withdraw_participant(participant=participant, actor=user, reason=request.POST.get("reason", ""))
        except DomainError as exc:
            error = exc.message
        else:
            note = ""
            if user.is_secretariat:
                note = " The seat is free: the board offers it to the first reserve of the category."
            messages.success(request, f"{participant.certificate_name} is withdrawn.{note}")
            if user.is_secretariat:
                return redirect(_board_url(project))
            return redirect(reverse("nominations:participant_list", kwargs={"code": project.code}))
    elif request.method != "GET":
        return HttpResponse(status=405)
    return render(
        request,
        "nominations/selection/withdraw.html",
        {"project": project, "participant": participant, "error": error, "reason": request.POST.get("reason", "")},
    )
