"""People: NPO officers and a project's implementers; invite, deactivate, reactivate."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from .. import confirm, listing, services
from ..enums import InvitationPurpose, Role
from ..exceptions import DomainError, add_to_form
from ..forms import InvitePersonForm
from ..listing import SearchForm
from ..models import MemberCountry, Membership
from ..permissions import get_project_or_404, secretariat_required
from ..selectors import implementers, npo_officers


@secretariat_required
def project_team(request, code):
    """The project's host-side implementers; invite one."""
    project = get_project_or_404(code, request.user)
    form = InvitePersonForm(request.POST or None, with_country=False)
    if request.method == "POST" and form.is_valid():
        try:
            services.invite_user(
                actor=request.user,
                email=form.cleaned_data["email"],
                full_name=form.cleaned_data["full_name"],
                purpose=InvitationPurpose.IMPLEMENTER,
                role=Role.IMPLEMENTER,
                project=project,
            )
        except DomainError as exc:
            add_to_form(form, exc)
        else:
            messages.success(
                request, f"{form.cleaned_data['email']} is an implementer of {project.code} and was invited."
            )
            return redirect("project_team", code=project.code)
    return render(
        request, "apopms/project_team.html", {"project": project, "team": list(implementers(project)), "form": form}
    )


OFFICERS_PER_PAGE = 50


@login_required
def people(request):
    """NPO officers: the Secretariat sees every country's and invites anyone; an NPO officer sees
    their own NPO's colleagues and may invite a colleague."""
    user = request.user
    own = None if user.is_secretariat else user.npo_country
    if not user.is_secretariat and own is None:
        raise PermissionDenied("This page is for the Secretariat and NPO officers.")
    form = InvitePersonForm(request.POST or None, country=own)
    if request.method == "POST" and form.is_valid():
        country = own or form.cleaned_data["country"]
        try:
            services.invite_user(
                actor=user,
                email=form.cleaned_data["email"],
                full_name=form.cleaned_data["full_name"],
                purpose=InvitationPurpose.NPO_OFFICER,
                role=Role.NPO_OFFICER,
                country=country,
            )
        except DomainError as exc:
            add_to_form(form, exc)
        else:
            messages.success(request, f"An invitation was sent to {form.cleaned_data['email']} ({country}).")
            return redirect("people")
    search = SearchForm(request.GET or None)
    query = search.cleaned_data["q"] if search.is_valid() else ""
    # An NPO officer's list (and search) is their own country's: npo_officers(own) is narrowed first.
    officers = listing.search(
        npo_officers(own), query, ["user__full_name", "user__email", "country__name", "country__npo_name"]
    )
    page = listing.paginate(request, officers, OFFICERS_PER_PAGE)
    groups = {}
    for membership in page:
        groups.setdefault(membership.country, []).append(membership)
    if query or page.has_other_pages():
        countries = list(groups)  # only the countries with officers on this page
    else:
        countries = [own] if own else list(MemberCountry.objects.order_by("name"))
    return render(
        request,
        "apopms/people.html",
        {
            "form": form,
            "own_country": own,
            "groups": [(country, groups.get(country, [])) for country in countries],
            "officer_count": page.paginator.count,
            "page": page,
            "search": search,
            "query": query,
        },
    )


def _membership_for_secretariat(request, pk):
    return get_object_or_404(
        Membership.objects.select_related("user", "country", "project").exclude(role=Role.SECRETARIAT), pk=pk
    )


def _back(request, membership):
    if membership.role == Role.IMPLEMENTER:
        return reverse("project_team", kwargs={"code": membership.project.code})
    return reverse("people")


@secretariat_required
@require_POST
def membership_deactivate(request, pk):
    membership = _membership_for_secretariat(request, pk)
    if membership.active and not confirm.confirmed(request):
        person = membership.user
        where = membership.project.code if membership.role == Role.IMPLEMENTER else membership.country
        return confirm.ask(
            request,
            title=f"Deactivate {person.get_full_name() or person.email}",
            consequence=(
                f"{person.get_full_name() or person.email} ({person.email}) loses the role of "
                f"{membership.get_role_display().lower()} for {where} now; if it is their only role, their "
                "account is closed and they are logged out at once, and their pending invitations stop working."
            ),
            details=["You can reactivate them later; a new invitation may then be needed."],
            button="Deactivate",
            back_url=_back(request, membership),
        )
    try:
        services.deactivate_membership(actor=request.user, membership=membership)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, f"{membership.user.email} is deactivated and logged out.")
    return redirect(_back(request, membership))


@secretariat_required
@require_POST
def membership_reactivate(request, pk):
    membership = _membership_for_secretariat(request, pk)
    services.reactivate_membership(actor=request.user, membership=membership)
    messages.success(request, f"{membership.user.email} is active again.")
    return redirect(_back(request, membership))
