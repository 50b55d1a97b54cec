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
            "participant": user.participations.exists(),
        }
    }
