"""Audiences the Secretariat can write to: a registry each app adds its own to (the core never
imports the apps; each app registers in its AppConfig.ready).

An audience's `members(project, country)` returns `Recipient`s; `members_of` removes duplicate
addresses and sorts them by e-mail.
"""

from dataclasses import dataclass

from django.urls import reverse

from . import mail
from .enums import Role
from .models import Membership


@dataclass(frozen=True)
class Recipient:
    email: str
    name: str
    country: str = ""
    link: str = ""


@dataclass(frozen=True)
class Audience:
    key: str
    label: str
    members: object
    needs_country: bool = False
    order: int = 100


AUDIENCES = {}


def register(key, label, members, *, needs_country=False, order=100):
    AUDIENCES[key] = Audience(key, label, members, needs_country, order)


def choices():
    return [(a.key, a.label) for a in sorted(AUDIENCES.values(), key=lambda a: (a.order, a.label))]


def members_of(key, project, country=None):
    seen = {}
    for recipient in AUDIENCES[key].members(project, country):
        seen.setdefault(recipient.email.lower(), recipient)
    return sorted(seen.values(), key=lambda r: r.email.lower())


def _npo_officers(project, country=None):
    link = mail.absolute(project.get_absolute_url())
    memberships = (
        Membership.objects.filter(
            role=Role.NPO_OFFICER,
            active=True,
            user__is_active=True,
            country__in=project.nominating_countries(),
        )
        .select_related("user", "country")
        .order_by("user__email")
    )
    return [Recipient(m.user.email, m.user.get_full_name(), m.country.name, link) for m in memberships]


def _implementers(project, country=None):
    link = mail.absolute(reverse("agenda:programme", kwargs={"code": project.code}))
    memberships = Membership.objects.filter(
        role=Role.IMPLEMENTER, project=project, active=True, user__is_active=True
    ).select_related("user")
    return [Recipient(m.user.email, m.user.get_full_name(), project.host_country.name, link) for m in memberships]


register("npo_officers", "NPO officers of the invited countries", _npo_officers, order=10)
register("implementers", "Host-side implementers", _implementers, order=90)
