"""Demo data of the core: the seed workshop, its future edition, another project, and demo accounts.

`manage.py demo` runs `load` of every app's `demo` package, in the order of INSTALLED_APPS (core
first), so each app adds its own part. Every step is idempotent. The tables live beside this
loader in data/*.json: seed_project (the 2022 workshop's notification and its editions),
sme_project (built through the services as in the portal), accounts.
"""

import datetime
import json
from pathlib import Path

from django.db import transaction
from django.utils import timezone

from .. import services
from ..enums import Role
from ..models import MemberCountry, Membership, Project, User

DATA = Path(__file__).resolve().parent / "data"


def _read(name):
    with (DATA / f"{name}.json").open(encoding="utf-8") as f:
        return json.load(f)


def _dates(row, *names):
    return {**row, **{name: datetime.date.fromisoformat(row[name]) for name in names if row.get(name)}}


_SEED = _read("seed_project")
_SME = _read("sme_project")
_ACCOUNTS = _read("accounts")

EDITIONS = [_dates(edition, "start_date", "end_date", "closing_date") for edition in _SEED["editions"]]
SEED_CODE, FUTURE_CODE = EDITIONS[0]["code"], EDITIONS[1]["code"]
# The seed workshop's notification as issued in 2022 (its editions differ in code and dates).
SEED = {**_SEED["fields"], "start_date": EDITIONS[0]["start_date"], "end_date": EDITIONS[0]["end_date"]}
SEED_HOST = _SEED["host_country"]

# A second, different project built through the same services as the portal's pages.
SME_CODE = _SME["code"]
SME = {"code": SME_CODE, **_dates(_SME["fields"], "start_date", "end_date", "notification_date")}
SME_HOST = _SME["host_country"]
SME_CLOSING = datetime.date.fromisoformat(_SME["closing_date"])

DEMO_PASSWORD = _ACCOUNTS["password"]
# (e-mail, full name, role, country iso2)
ACCOUNTS = [(a["email"], a["full_name"], Role(a["role"]), a["country"]) for a in _ACCOUNTS["accounts"]]
# Host-side implementer of the seed workshop: staff of Sri Lanka's National Productivity Secretariat.
IMPLEMENTER = (_ACCOUNTS["implementer"]["email"], _ACCOUNTS["implementer"]["full_name"])


def _seed_project(edition, *, host, edition_of=None):
    fields = dict(SEED, host_country=host, edition_of=edition_of)
    fields.update(
        start_date=edition["start_date"],
        end_date=edition["end_date"],
        nomination_deadline=Project.deadline_for(edition["closing_date"], SEED["time_zone"]),
    )
    project, created = Project.objects.get_or_create(code=edition["code"], defaults=fields)
    if created:
        project.participating_countries.set(MemberCountry.objects.all())
        project.notification_issued_at = timezone.now()
        project.save(update_fields=["notification_issued_at"])
    return project


def _sme_project(admin):
    """Built and issued through the services, as a Secretariat admin would in the portal."""
    project = Project.objects.filter(code=SME_CODE).first()
    if project is None:
        fields = dict(SME, host_country=MemberCountry.objects.get(iso2=SME_HOST))
        project = services.create_project(
            actor=admin,
            participating_countries=MemberCountry.objects.active(),
            closing_date=SME_CLOSING,
            **fields,
        )
    if project.notification_issued_at is None:
        project = services.issue_notification(actor=admin, project=project)
    return project


def _implementer(project):
    email, name = IMPLEMENTER
    user = User.objects.filter(email__iexact=email).first()
    if user is None:
        user = User.objects.create_user(email, DEMO_PASSWORD, full_name=name)
    Membership.objects.get_or_create(
        user=user, role=Role.IMPLEMENTER, project=project, defaults={"country": project.host_country}
    )


def load(stdout):
    with transaction.atomic():
        seed = _load_seed_and_accounts()
    admin = User.objects.get(email__iexact=ACCOUNTS[0][0])
    sme = _sme_project(admin)
    stdout.write(
        f"Seed workshop: {seed} and its 2027 edition {FUTURE_CODE} (nominations open); "
        f"another project: {sme} (in person, at most {sme.per_country_cap} per country)."
    )


def _load_seed_and_accounts():
    host = MemberCountry.objects.get(iso2=SEED_HOST)
    projects = {}
    for edition in EDITIONS:
        projects[edition["code"]] = _seed_project(
            edition, host=host, edition_of=projects.get(edition.get("edition_of"))
        )
    for email, name, role, iso2 in ACCOUNTS:
        user = User.objects.filter(email__iexact=email).first()
        if user is None:
            user = User.objects.create_user(email, DEMO_PASSWORD, full_name=name)
        if role == Role.SECRETARIAT and not user.is_staff:
            user.is_staff = user.is_superuser = True
            user.save(update_fields=["is_staff", "is_superuser"])
        country = MemberCountry.objects.get(iso2=iso2) if iso2 else None
        Membership.objects.get_or_create(user=user, role=role, country=country, project=None)
    seed = projects[SEED_CODE]
    _implementer(projects[_ACCOUNTS["implementer"]["project"]])
    return seed


def logins():
    """(e-mail, what the account is) for the demo accounts of the core."""
    return [(email, f"{role.label}{f' ({iso2})' if iso2 else ''}") for email, _, role, iso2 in ACCOUNTS] + [
        (IMPLEMENTER[0], f"{Role.IMPLEMENTER.label} of {_ACCOUNTS['implementer']['project']}")
    ]
