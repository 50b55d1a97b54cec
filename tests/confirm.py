"""The confirmation token a person's second POST carries (apopms/confirm.py), for tests that act."""

from types import SimpleNamespace

from apopms import confirm


def confirmed(user, url, data=None):
    """`data` plus the confirmation token `user` is given for `url`."""
    return {**(data or {}), confirm.FIELD: confirm.token(SimpleNamespace(user=user, path=url), path=url)}
