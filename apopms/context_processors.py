def roles(request):
    """What the navigation may offer the person looking at the page."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav": {"authenticated": False}}
    return {
        "nav": {
            "authenticated": True,
            "secretariat": user.is_secretariat,
            "npo_country": user.npo_country,
            "implementer": bool(user.implementer_project_ids()),
            # Read with the user by apopms.backends.PortalBackend; asked here for a user loaded otherwise.
            "participant": _taking_part(user),
        }
    }


def _taking_part(user):
    taking_part = getattr(user, "taking_part", None)
    if taking_part is None:
        taking_part = user.taking_part = user.participations.exists()
    return taking_part
