"""Who is signing in, and from where: the keys of login throttling and rate limits."""

from django.conf import settings


def client_address(request):
    """The visitor's IP address.

    With `PROXY_COUNT` trusted proxies in front of the portal, each appends the address
    it saw to X-Forwarded-For, so the visitor's address is the PROXY_COUNT-th entry from
    the right (entries further left are whatever the visitor sent, and are ignored).
    Without proxies (PROXY_COUNT=0) the header is ignored: anyone could forge it.
    """
    proxies = getattr(settings, "PROXY_COUNT", 0) or 0
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if proxies and forwarded:
        hops = [hop.strip() for hop in forwarded.split(",") if hop.strip()]
        if len(hops) >= proxies:
            return hops[-proxies]
    return request.META.get("REMOTE_ADDR", "")


def normalised_username(value):
    """The sign-in address as accounts are matched (case and surrounding spaces ignored)."""
    return (value or "").strip().lower() or None


def login_username(request, credentials=None):
    """The username django-axes counts failures under: every spelling of one address is one account."""
    field = settings.AXES_USERNAME_FORM_FIELD
    if credentials:
        return normalised_username(credentials.get(field))
    data = getattr(request, "data", None) or getattr(request, "POST", {})
    return normalised_username(data.get(field))
