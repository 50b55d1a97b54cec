"""Demo nominations: the seed workshop's 2022 round (from every active member country, submitted
before the 3 Aug 2022 deadline, more than both quotas) and drafts/submissions for the open 2027
edition by the demo NPO officers.

The 2022 round is history: it goes through the services with `backfill_at` (the instant it
happened; the deadline rule is checked at that instant and the audit says "backfilled").
Idempotent: a person already nominated for a project is left alone. The people, organizations and
texts are data files in `data/` beside this loader.
"""

import datetime
import hashlib
import json
import unicodedata
import zoneinfo
from pathlib import Path

from django.core.files.base import ContentFile
from django.db import transaction

from apopms.demo import ACCOUNTS, FUTURE_CODE, SEED_CODE
from apopms.models import MemberCountry, Project, User

from .. import services
from ..enums import EnglishProficiency
from ..models import Nomination
from .selection import load_selection
from .selection import logins as selection_logins

DATA = Path(__file__).resolve().parent / "data"


def _read(name):
    return json.loads((DATA / name).read_text(encoding="utf-8"))


def _people(name):
    """{iso2: [(name for the certificate, name in own script or "", gender)]}, as each person writes it."""
    return {iso2: [(p["name"], p["native_name"], p["gender"]) for p in rows] for iso2, rows in _read(name).items()}


PEOPLE = _people("people_2022.json")
# The 2027 edition: what the demo NPO officers have started (the last one of each stays a draft).
FUTURE_PEOPLE = _people("people_2027.json")
ORGANIZATIONS = {iso2: [(o["name"], o["type"]) for o in rows] for iso2, rows in _read("organizations.json").items()}
_TEXTS = _read("texts.json")
POSITIONS = _TEXTS["positions"]
STATEMENTS = _TEXTS["statements"]
CALLING_CODES = _TEXTS["calling_codes"]
WITHDRAWN_2022 = {tuple(pair) for pair in _TEXTS["withdrawn_2022"]}
SEED_ZONE = zoneinfo.ZoneInfo("Asia/Colombo")


def _number(text, modulo):
    return int(hashlib.sha256(text.encode()).hexdigest()[:8], 16) % modulo


def email_for(name, iso2):
    ascii_name = unicodedata.normalize("NFKD", name.replace("ı", "i").replace("đ", "d").replace("Đ", "D"))
    ascii_name = ascii_name.encode("ascii", "ignore").decode().lower()
    parts = [
        p
        for p in "".join(c if c.isalnum() else " " for c in ascii_name).split()
        if p not in ("md", "binti", "bin", "al", "ap", "s", "o", "a", "l", "p")
    ]
    return f"{'.'.join(parts)}@{iso2.lower()}.gov.example"


def person_data(iso2, index, name, native, gender):
    org, org_type = ORGANIZATIONS[iso2][index % len(ORGANIZATIONS[iso2])]
    digits = f"{_number(name, 10_000_000):07d}"
    return {
        "certificate_name": name,
        "native_name": native,
        "gender": gender,
        "date_of_birth": datetime.date(
            1968 + _number(name + "y", 25), 1 + _number(name + "m", 12), 1 + _number(name + "d", 28)
        ),
        "email": email_for(name, iso2),
        "phone": f"{CALLING_CODES[iso2]} {digits[:3]} {digits[3:]}",
        "organization": org,
        "organization_type": org_type,
        "position": POSITIONS[(index + _number(name, 7)) % len(POSITIONS)],
        "years_experience": 4 + _number(name + "x", 20),
        "statement": STATEMENTS[_number(name + "s", len(STATEMENTS))],
        "english_proficiency": [EnglishProficiency.FLUENT, EnglishProficiency.GOOD, EnglishProficiency.FAIR][
            _number(name + "e", 3)
        ],
    }


def _demo_cv(name):
    body = f"%PDF-1.4\n% Curriculum vitae of {name} (demo)\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
    return ContentFile(body.encode("utf-8"), name="cv.pdf")


def _officers():
    emails = {iso2: email for email, _, role, iso2 in ACCOUNTS if iso2}
    users = {u.email: u for u in User.objects.filter(email__in=emails.values())}
    return {iso2: users.get(email) for iso2, email in emails.items()}


def _exists(project, email):
    return Nomination.objects.filter(project=project, email__iexact=email).exists()


def _load_seed_round(project, officers):
    created = 0
    countries = {c.iso2: c for c in MemberCountry.objects.active().filter(projects=project)}
    for iso2, people in PEOPLE.items():
        country = countries.get(iso2)
        if country is None:
            continue
        actor = officers.get(iso2)
        for index, (name, native, gender) in enumerate(people):
            data = person_data(iso2, index, name, native, gender)
            if _exists(project, data["email"]):
                continue
            # Submitted between 20 June and 2 August 2022, in office hours in Colombo.
            day = datetime.date(2022, 6, 20) + datetime.timedelta(days=_number(name + "day", 43))
            when = datetime.datetime.combine(
                day, datetime.time(9 + _number(name + "h", 7), _number(name, 60)), SEED_ZONE
            )
            nomination = services.create_nomination(
                project=project, country=country, actor=actor, data=data, backfill_at=when
            )
            services.submit_nomination(
                nomination=nomination, actor=actor, backfill_at=when + datetime.timedelta(hours=1)
            )
            if (iso2, name) in WITHDRAWN_2022:
                services.withdraw_nomination(
                    nomination=nomination,
                    actor=actor,
                    reason="Transferred to another post",
                    backfill_at=when + datetime.timedelta(days=1),
                )
            created += 1
    return created


def _load_future_round(project, officers):
    created = 0
    for iso2, people in FUTURE_PEOPLE.items():
        actor = officers.get(iso2)
        if actor is None or not project.accepts_nominations():
            continue
        for index, (name, native, gender) in enumerate(people):
            data = person_data(iso2, index, name, native, gender)
            if _exists(project, data["email"]):
                continue
            nomination = services.create_nomination(
                project=project, country=actor.npo_country, actor=actor, data=data, cv=_demo_cv(name)
            )
            if index < len(people) - 1:
                services.submit_nomination(nomination=nomination, actor=actor, notify=False)
            created += 1
    return created


@transaction.atomic
def load(stdout):
    officers = _officers()
    seed = Project.objects.filter(code=SEED_CODE).first()
    future = Project.objects.filter(code=FUTURE_CODE).first()
    made = _load_seed_round(seed, officers) if seed else 0
    made_future = _load_future_round(future, officers) if future else 0
    if seed:
        total = Nomination.objects.filter(project=seed, status="submitted")
        stdout.write(
            f"Nominations: {made} added to {SEED_CODE} ({total.filter(category='overseas').count()} overseas, "
            f"{total.filter(category='local').count()} local submitted), {made_future} to {FUTURE_CODE}."
        )
    load_selection(stdout)  # the selection, once the nominations exist


def logins():
    """Demo participants of the seed workshop (from the selection)."""
    return selection_logins()
