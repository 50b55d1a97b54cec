from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from . import services
from .enums import InvitationPurpose
from .exceptions import DomainError, add_to_form
from .forms import AcceptInvitationForm, EmailAuthenticationForm
from .models import Invitation, Project
from .permissions import get_project_or_404, secretariat_required
from .selectors import audit_entries_for_project, public_project


def home(request):
    projects = Project.objects.published().select_related("host_country").order_by("-start_date", "code")
    return render(request, "apopms/home.html", {"projects": projects})


def project_detail(request, code):
    """The public project page, laid out like the project notification."""
    try:
        project = public_project(code)
    except Project.DoesNotExist:
        # A draft: the Secretariat and the project's implementers may preview it.
        if request.user.is_authenticated:
            project = get_project_or_404(code, request.user)
        else:
            raise Http404("No such project.") from None
    revisions = getattr(project, "revision_list", None)
    if revisions is None:
        revisions = list(project.revisions.order_by("-number"))
    return render(request, "apopms/project_detail.html", {"project": project, "revisions": revisions})


@secretariat_required
def audit_log(request, code):
    project = get_project_or_404(code, request.user)
    page = Paginator(audit_entries_for_project(project), 100).get_page(request.GET.get("page"))
    return render(request, "apopms/audit_log.html", {"project": project, "page": page})


class LoginView(auth_views.LoginView):
    authentication_form = EmailAuthenticationForm
    redirect_authenticated_user = True


# --- Invitations -------------------------------------------------------------------------


def landing_url_after_acceptance(invitation):
    """Participants land on "My workshop" (the sessions app) when it exists; everyone else at home."""
    if invitation.purpose == InvitationPurpose.PARTICIPANT:
        for kwargs in ({}, {"code": invitation.project.code}):
            try:
                return reverse("agenda:my_workshop", kwargs=kwargs)
            except NoReverseMatch:
                continue
    return reverse("home")


def accept_invitation(request, token):
    """Set a password with an invitation link. Expired, replaced or used links say so and offer a new one."""
    invitation = services.find_invitation(token)
    if invitation is None:
        return render(request, "registration/invitation_invalid.html", status=404)
    state = invitation.state()
    form = AcceptInvitationForm()
    if request.method == "POST" and request.POST.get("action") == "renew":
        try:
            services.renew_invitation(token=token)
        except DomainError as exc:
            messages.error(request, exc.message)
            return redirect(request.path)
        return render(request, "registration/invitation_renewed.html", {"invitation": invitation})
    if request.method == "POST" and state == "pending":
        form = AcceptInvitationForm(request.POST)
        if form.is_valid():
            try:
                user = services.accept_invitation(token=token, password=form.cleaned_data["password1"])
            except DomainError as exc:
                add_to_form(form, DomainError(exc.message, field=exc.field or None))
            else:
                login(request, user, backend="django.contrib.auth.backends.ModelBackend")
                messages.success(request, "Welcome! Your password is set and you are logged in.")
                return redirect(landing_url_after_acceptance(invitation))
    return render(
        request,
        "registration/invitation_accept.html",
        {"invitation": invitation, "state": state, "form": form, "valid_days": settings.INVITATION_VALID_DAYS},
    )


@login_required
@require_POST
def resend_invitation(request, pk):
    invitation = get_object_or_404(Invitation.objects.select_related("user"), pk=pk)
    if not services.may_resend(request.user, invitation):
        own = request.user.npo_country
        if own is not None and invitation.country_id and invitation.country_id != own.pk:
            raise Http404("No such invitation.")
        raise PermissionDenied("Only whoever sent the invitation, or the APO Secretariat, may resend it.")
    try:
        services.resend_invitation(actor=request.user, invitation=invitation)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request, f"A new invitation link was sent to {invitation.user.email}; the old one no longer works."
        )
    return redirect(safe_next(request, reverse("home")))


def safe_next(request, default):
    target = request.POST.get("next") or request.GET.get("next")
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    return default
