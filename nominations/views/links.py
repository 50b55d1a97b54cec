"""Links of the rows of a long list, reversed once for the list rather than once per row and link."""

from django.urls import reverse

_SENTINEL = 987654321


def url_per_pk(name, **kwargs):
    """A function pk -> the URL `name` of that pk (with `kwargs` for the rest of the pattern)."""
    head, tail = reverse(name, kwargs={**kwargs, "pk": _SENTINEL}).split(str(_SENTINEL))
    return lambda pk: f"{head}{int(pk)}{tail}"
