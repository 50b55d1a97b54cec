"""Logging in and invitations: accept a link (or ask for a new one), resend one."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from .. import services
from ..enums import InvitationPurpose
from ..exceptions import DomainError, add_to_form
from ..forms import AcceptInvitationForm, EmailAuthenticationForm
from ..models import Invitation
from ..permissions import can_resend_invitation, require_may_resend
from ..security import client_address


class LoginView(auth_views.LoginView):
    authentication_form = EmailAuthenticationForm
    redirect_authenticated_user = True


class PasswordResetView(auth_views.PasswordResetView):
    """Django's, its e-mail's link built from SITE_URL (not from the request's Host header).

    Password-reset e-mail does not go through the outbox: Django sends it during the request, and
    its link (a secret) is never stored.
    """

    @property
    def extra_email_context(self):
        return {"site_url": settings.SITE_URL}


def landing_url_after_acceptance(invitation):
    """Participants land on "My workshop" (the sessions app), candidates on their nomination; everyone else at home."""
    if invitation.purpose == InvitationPurpose.PARTICIPANT:
        return reverse("agenda:my_workshop")
    if invitation.purpose == InvitationPurpose.CANDIDATE:
        return reverse("nominations:candidate_home")
    return reverse("home")


# Wrong links per client address and window (seconds): past it, every link answers 429 for a while.
# The tokens are 256-bit secrets; this keeps anyone from trying them in bulk.
INVITATION_MISSES = getattr(settings, "INVITATION_MISS_RATE", (20, 600))


def _misses_key(request):
    return f"invitation:misses:{client_address(request)}"


def _too_many_misses(request):
    return (cache.get(_misses_key(request)) or 0) >= INVITATION_MISSES[0]


def _count_miss(request):
    key, window = _misses_key(request), INVITATION_MISSES[1]
    cache.add(key, 0, timeout=window)
    try:
        cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=window)


def accept_invitation(request, token):
    """Set a password with an invitation link. Expired, replaced or used links say so and offer a new one.

    Too many unknown links from one address answer 429 (`INVITATION_MISSES`)."""
    if _too_many_misses(request):
        return HttpResponse(
            "Too many invalid invitation links from your address. Please wait ten minutes and try again.",
            status=429,
            content_type="text/plain; charset=utf-8",
            headers={"Retry-After": str(INVITATION_MISSES[1])},
        )
    invitation = services.find_invitation(token)
    if invitation is None:
        _count_miss(request)
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
                login(request, user, backend="apopms.backends.PortalBackend")
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
    if not can_resend_invitation(request.user, invitation):
        # Another country's invitation does not exist for an NPO officer; any other refusal is a 403.
        own = request.user.npo_country
        if own is not None and invitation.country_id and invitation.country_id != own.pk:
            raise Http404("No such invitation.")
        require_may_resend(request.user, invitation)
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
