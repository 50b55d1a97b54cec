"""Nomination pages: NPO officers nominate and rank; the Secretariat reviews; implementers read.

Access (`nominations.permissions`): anonymous -> login; NPO officers see only their own country's
nominations and files (another country's: 404); the Secretariat sees everything; other roles get 403.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Max
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from apopms import listing
from apopms.exceptions import DomainError
from apopms.listing import SearchForm
from apopms.permissions import get_project_or_404

from .. import permissions, selectors, services
from ..enums import NominationStatus
from ..forms import FilterForm, NominationForm, WithdrawForm
from ..models import Nomination
from ..services.checks import WINDOW_CLOSED, WINDOW_NOT_ACCEPTING
from . import ranking
from .files import cv_response
from .history import history


def _project(request, code):
    permissions.require_nominator(request.user)
    return get_project_or_404(code, request.user)


def _nomination(request, pk, *, read_only=False):
    """A nomination the user may see (`permissions.can_see_nomination`): another country's answers 404,
    a role that sees no nominations 403."""
    user = request.user
    if not (read_only and permissions.is_implementer_only(user)):
        permissions.require_nominator(user)
    qs = Nomination.objects.select_related("project", "project__host_country", "country", "created_by")
    nomination = get_object_or_404(qs, pk=pk)
    if not permissions.can_see_nomination(user, nomination, read_only=read_only):
        raise Http404("No such nomination.")
    return nomination


def _own_zone(user):
    if user.time_zone:
        return user.time_zone
    country = user.npo_country
    return country.time_zone if country else "UTC"


def deadline_state(project, now=None):
    """(state, text) of a project's nominations window: ('open', 'closes in 3 days'), ('closed', 'closed')."""
    now = now or timezone.now()
    window = services.nomination_window(project, now)
    if window == WINDOW_NOT_ACCEPTING:
        return "closed", "not accepting nominations"
    if window == WINDOW_CLOSED:
        return "closed", "closed"
    days = (project.closing_date - now.astimezone(project.zone).date()).days
    if days <= 0:
        return "open", "closes today"
    if days == 1:
        return "open", "closes tomorrow"
    return "open", f"closes in {days} days"


@login_required
def index(request):
    """Projects to nominate for (NPO officers) or to review (Secretariat)."""
    user = request.user
    now = timezone.now()
    if permissions.is_implementer_only(user):
        projects = list(selectors.projects_for_implementer(user))
    else:
        permissions.require_nominator(user)
        projects = list(
            selectors.projects_for_secretariat() if user.is_secretariat else selectors.projects_for_officer(user)
        )
    for project in projects:
        project.window, project.window_text = deadline_state(project, now)
    return render(
        request,
        "nominations/index.html",
        {"projects": projects, "own_zone": _own_zone(user), "country": user.npo_country},
    )


@login_required
def project_nominations(request, code):
    """NPO officers: their country's nominations and ranking. Secretariat: all nominations, filtered.
    Implementers: the project's local nominations, read only."""
    if permissions.is_implementer_only(request.user):
        return _review(request, get_project_or_404(code, request.user), read_only=True)
    project = _project(request, code)
    if request.user.is_secretariat:
        return _review(request, project)
    country = request.user.npo_country
    window, window_text = deadline_state(project)
    search = SearchForm(request.GET or None)
    query = search.cleaned_data["q"] if search.is_valid() else ""
    # Searched within the officer's own country's nominations only.
    everyone = selectors.country_nominations(project, country)
    # Rows as tuples of the columns shown (`ranking`): no model instances, no joined project.
    found = listing.search(everyone, query, selectors.SEARCHED_FIELDS).values_list(*ranking.ROW_FIELDS, named=True)
    page = listing.paginate(request, found, NOMINATIONS_PER_PAGE, count_first_page=True)
    nominations = list(page)
    whole = not query and not page.has_other_pages()
    drag = window == "open" and whole
    last_rank = (
        max((n.priority or 0 for n in nominations), default=0)
        if whole
        else everyone.aggregate(m=Max("priority"))["m"] or 0
    )
    rows = ranking.ranking_rows(
        request,
        nominations,
        project=project,
        country=country,
        drag=drag,
        window_open=window == "open",
        last_rank=last_rank,
    )
    context = {
        "project": project,
        "country": country,
        "nominations": nominations,
        "page": page,
        "search": search,
        "query": query,
        "rows": rows,
        # Drag and drop sends the whole ranking: only when the whole list is on the page.
        "drag": drag,
        "last_rank": last_rank,
        "window": window,
        "window_text": window_text,
        "own_zone": _own_zone(request.user),
        "category": project.category_for(country),
        "replacement": _replacement(project, country),
    }
    template = "nominations/project_npo.html"
    if request.htmx:
        template += "#ranking"
    return render(request, template, context)


def _replacement(project, country, nomination=None):
    """The replacement window shown with a page: the nomination's own, else `country`'s (open or not)."""
    if nomination is not None and nomination.replacement_window_id:
        return selectors.replacement_window(project, nomination.country)
    if nomination is None and country is not None:
        return selectors.replacement_window(project, country)
    return None


def filtered(request, project):
    form = FilterForm(request.GET or None, project=project)
    filters = {}
    if form.is_bound and form.is_valid():
        filters = {k: v for k, v in form.cleaned_data.items() if v}
    return form, filters, selectors.project_nominations(project, **filters)


NOMINATIONS_PER_PAGE = 50


def _review(request, project, read_only=False):
    form, _, qs = filtered(request, project)
    if read_only:
        qs = qs.filter(country=project.host_country_id)
    window, window_text = deadline_state(project)
    page = listing.paginate(request, qs, NOMINATIONS_PER_PAGE)
    return render(
        request,
        "nominations/project_review.html",
        {
            "project": project,
            "form": form,
            "nominations": list(page),
            "page": page,
            "counts": selectors.nomination_counts(qs),
            "query": listing.query_without_page(request),
            "read_only": read_only,
            "window": window,
            "window_text": window_text,
        },
    )


def _form_page(request, project, form, **context):
    window, window_text = deadline_state(project)
    country = None if request.user.is_secretariat else request.user.npo_country
    replacement = _replacement(project, country, context.get("nomination"))
    context = {
        "project": project,
        "form": form,
        "window": window,
        "window_text": window_text,
        "replacement": replacement,
        **context,
    }
    return render(request, "nominations/form.html", context)


@login_required
def create(request, code):
    """A new nomination: NPO officers for their country until the deadline; the Secretariat for any, even late."""
    project = _project(request, code)
    user = request.user
    countries = project.nominating_countries().order_by("name") if user.is_secretariat else None
    if not user.is_secretariat and not project.accepts_country(user.npo_country):
        raise Http404("Your country does not take part in this project.")
    form = NominationForm(request.POST or None, request.FILES or None, countries=countries, project=project)
    if request.method == "POST" and form.is_valid():
        country = form.cleaned_data["country"] if countries is not None else user.npo_country
        try:
            nomination = services.create_nomination(
                project=project,
                country=country,
                actor=user,
                data=form.data_fields(),
                cv=form.cleaned_data.get("cv"),
                candidate_informed=form.cleaned_data["candidate_informed"],
            )
            if "submit" in request.POST:
                services.submit_nomination(nomination=nomination, actor=user)
                messages.success(request, f"{nomination.certificate_name} is nominated and submitted.")
            else:
                messages.success(request, f"{nomination.certificate_name} is saved as a draft.")
            return redirect("nominations:detail", pk=nomination.pk)
        except DomainError as exc:
            form.add_domain_error(exc)
    return _form_page(
        request,
        project,
        form,
        country=user.npo_country,
        category=project.category_for(user.npo_country) if countries is None else None,
        creating=True,
    )


@login_required
def detail(request, pk):
    nomination = _nomination(request, pk, read_only=True)
    project = nomination.project
    window, window_text = deadline_state(project)
    reader = permissions.is_implementer_only(request.user)
    replacement = _replacement(project, None, nomination)
    in_open_window = replacement is not None and replacement.is_open() and not nomination.decision
    may_change = (
        not reader
        and nomination.status != NominationStatus.WITHDRAWN
        and (request.user.is_secretariat or window == "open" or in_open_window)
    )
    return render(
        request,
        "nominations/detail.html",
        {
            "nomination": nomination,
            "project": project,
            "history": history(nomination, request.user),
            "may_change": may_change,
            "may_download": not reader,
            "replacement": replacement,
            "window": window,
            "window_text": window_text,
            "own_zone": _own_zone(request.user),
        },
    )


@login_required
def edit(request, pk):
    nomination = _nomination(request, pk)
    project = nomination.project
    form = NominationForm(request.POST or None, request.FILES or None, instance=nomination, project=project)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_nomination(
                nomination=nomination,
                actor=request.user,
                data=form.data_fields(),
                cv=form.cleaned_data.get("cv"),
                candidate_informed=form.cleaned_data["candidate_informed"],
            )
            messages.success(request, "The nomination is saved.")
            return redirect("nominations:detail", pk=nomination.pk)
        except DomainError as exc:
            form.add_domain_error(exc)
    return _form_page(
        request, project, form, nomination=nomination, country=nomination.country, category=nomination.category
    )


def _run(request, action, success):
    try:
        action()
        messages.success(request, success)
    except DomainError as exc:
        messages.error(request, exc.message)


@require_POST
@login_required
def submit(request, pk):
    nomination = _nomination(request, pk)
    _run(
        request,
        lambda: services.submit_nomination(nomination=nomination, actor=request.user),
        f"{nomination.certificate_name} is submitted.",
    )
    return redirect("nominations:detail", pk=nomination.pk)


@login_required
def withdraw(request, pk):
    nomination = _nomination(request, pk)
    form = WithdrawForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        _run(
            request,
            lambda: services.withdraw_nomination(
                nomination=nomination, actor=request.user, reason=form.cleaned_data["reason"]
            ),
            f"{nomination.certificate_name} is withdrawn.",
        )
        return redirect("nominations:detail", pk=nomination.pk)
    return render(request, "nominations/withdraw.html", {"nomination": nomination, "form": form})


@require_POST
@login_required
def move(request, pk):
    """Move a submitted nomination up or down the ranking (a plain form; htmx swaps the table in place)."""
    nomination = _nomination(request, pk)
    direction = request.POST.get("direction", "")
    _run(
        request,
        lambda: services.move_nomination(nomination=nomination, actor=request.user, direction=direction),
        f"{nomination.certificate_name} moved {direction}.",
    )
    url = reverse("nominations:project", kwargs={"code": nomination.project.code})
    if request.htmx:
        response = project_nominations(request, nomination.project.code)
        response["HX-Push-Url"] = "false"
        return response
    return redirect(f"{url}#nomination-{nomination.pk}")


@require_POST
@login_required
def rank(request, code):
    """Set the whole ranking of the officer's country at once (`order`: nomination ids, first choice first);
    used by drag and drop, with the up/down forms as the no-JavaScript way."""
    user = request.user
    if user.npo_country is None:
        raise PermissionDenied("Only NPO officers rank their country's nominations.")
    project = _project(request, code)
    try:
        order = [int(pk) for pk in request.POST.getlist("order")]
    except ValueError:
        order = []
    _run(
        request,
        lambda: services.rank_nominations(project=project, country=user.npo_country, actor=user, order=order),
        "The ranking is saved.",
    )
    if request.htmx:
        response = project_nominations(request, code)
        response["HX-Push-Url"] = "false"
        return response
    return redirect("nominations:project", code=code)


@login_required
def cv(request, pk):
    """The CV, for the nomination's NPO and the Secretariat only; every download is audited."""
    nomination = _nomination(request, pk)
    response = cv_response(nomination)
    services.record_cv_download(nomination=nomination, actor=request.user)
    return response
