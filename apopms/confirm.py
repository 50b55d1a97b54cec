"""Confirmation before an irreversible action, as a server-side step (it works without JavaScript).

A button that would act (close nominations, deactivate an officer, revoke a certificate ...) posts to
its view; without a valid confirmation token the view does not act but answers with a page that states
the consequence and repeats the form with the token. Only that second POST acts. With JavaScript,
`static/js/apopms.js` shows the same sentence in a dialog first and, when the person agrees, sends the
form with the token it carries (`data-confirm`), so they see one step instead of two.

The token is an HMAC of the person and the URL: a scripted or replayed POST without it, or with a token
made for another action or person, does not act.
"""

from django.shortcuts import render
from django.utils.crypto import constant_time_compare, salted_hmac

FIELD = "confirm"


def token(request, path=None):
    """The confirmation token of `path` (the view's own URL by default) for the person logged in."""
    return salted_hmac("apopms.confirm", f"{request.user.pk}:{path or request.path}", algorithm="sha256").hexdigest()[
        :32
    ]


def confirmed(request):
    """True when the POST carries this person's confirmation token for this URL."""
    return request.method == "POST" and constant_time_compare(request.POST.get(FIELD, ""), token(request))


def ask(request, *, title, consequence, button, back_url, fields=None, danger=True, details=()):
    """The confirmation page: `consequence` says what will happen; the form posts `fields` back with the token.

    `details` are extra sentences (e.g. who is affected); `fields` the hidden inputs the action needs.
    """
    return render(
        request,
        "apopms/confirm.html",
        {
            "title": title,
            "consequence": consequence,
            "details": details,
            "button": button,
            "back_url": back_url,
            "fields": sorted((fields or {}).items()),
            "token": token(request),
            "field": FIELD,
            "danger": danger,
            "project": getattr(request, "confirm_project", None),
        },
    )
