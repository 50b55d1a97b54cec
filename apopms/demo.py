"""Demo data of the core: the seed workshop, its future edition, and demo accounts.

`manage.py demo` runs `load` of every app that has a `demo` module, in the order of
INSTALLED_APPS (core first), so each app adds its own part. Every step is idempotent.
"""

import datetime

from django.db import transaction
from django.utils import timezone

from . import services
from .enums import Modality, Role
from .models import MemberCountry, Membership, Project, User

DEMO_PASSWORD = "apo-demo-2022"
SEED_CODE = "22-PSP-DMC"
FUTURE_CODE = "27-PSP-DMC"
# A second, different project built through the same services as the portal's pages.
SME_CODE = "27-SME-IP-MY"

SEED = {
    "title": "Productivity of the Public Sector",
    "modality": Modality.DIGITAL_MULTICOUNTRY,
    "implementing_organizations": "National Productivity Secretariat, Sri Lanka\nAPO Secretariat",
    "start_date": datetime.date(2022, 8, 24),
    "end_date": datetime.date(2022, 8, 26),
    "time_zone": "Asia/Colombo",
    "overseas_quota": 38,
    "local_quota": 12,
    "qualifications": (
        "Policymakers and government officials, representatives of local government units and government "
        "enterprises, staff of public organizations, and academics working on performance management and "
        "quality management systems in the public sector"
    ),
    "nomination_procedure": (
        "All nominations must be submitted through National Productivity Organizations of member countries"
    ),
    "objectives": (
        "a. Examine existing performance management systems and public-sector productivity in APO members.\n\n"
        "b. Explore recent advances in frameworks and tools for performance management systems in the public "
        "sector in the postpandemic era.\n\n"
        "c. Formulate strategic plans for promoting advanced performance management systems in the public "
        "sector to make it more future ready."
    ),
    "background": (
        "Performance management systems are tools to measure, control, and improve operations to achieve "
        "strategic goals. In the public sector, they are applied to set standards for improving the "
        "performance, productivity, and quality of public service delivery.\n\n"
        "Performance management has gained momentum in the public sector as a strategic approach to the "
        "management of public resources for efficient, effective performance. A report by the European Public "
        "Administration Network (Public-sector Leadership During the COVID-19 Crisis, 2021) stated that the "
        "public-sector workforce is required to work in new ways and contexts that include using new "
        "technology and tools and following new procedures and protocols governing remote work.\n\n"
        "This calls for reexamination of existing performance management systems in the public sector. One "
        "crucial area is measurement to quantify improvements in behavior, motivation, and processes in an "
        "evolving, postpandemic environment. This workshop will explore new frameworks, tools, and recent "
        "advances in performance management systems to enhance the quality of the public-sector workforce and "
        "formulate strategic plans for promoting their adoption."
    ),
    "scope_and_methodology": (
        "The duration of each day’s sessions will be around three hours comprising presentations by experts, "
        "group discussions, and other relevant learning methods. The indicative topics of the presentations "
        "are listed below.\n\n"
        "The detailed program and list of speakers will be provided two weeks prior to the sessions with "
        "announcement of the names of the selected participants."
    ),
    "topics_by_day": [
        [
            "Definition and evolution of performance management systems in the public sector",
            "Linking digital transformation and performance management systems in the public sector",
        ],
        [
            "Performance management systems and productivity in the public sector",
            "Challenges in performance management systems during and after the pandemic",
        ],
        [
            "Formulating strategic plans for advancing the adoption of performance management systems in the "
            "public sector",
        ],
    ],
    "certificate_rule": (
        "The participants are required to attend all sessions. This full participation is a prerequisite for "
        "receiving the APO certificate of attendance."
    ),
    "financial_arrangements": (
        "a. The APO will meet the assignment costs of overseas resource persons and honorarium for up to two "
        "local resource persons.\n\n"
        "b. The host country will meet the costs for a virtual site visit(s), either broadcast live or recorded "
        "as applicable."
    ),
    "implementation_procedures": (
        "Please refer to the implementation procedures for APO digital multicountry projects circulated with "
        "this document."
    ),
    "signatory_name": "Dr. AKP Mochtan",
    "signatory_title": "Secretary-General",
}

ACCOUNTS = [
    # (e-mail, full name, role, country iso2)
    ("admin@apo.demo", "Aiko Tanaka", Role.SECRETARIAT, None),
    ("npo.lk@apo.demo", "Nadeesha Jayawardena", Role.NPO_OFFICER, "LK"),
    ("npo.in@apo.demo", "Rohan Mehta", Role.NPO_OFFICER, "IN"),
    ("npo.jp@apo.demo", "Kenji Sato", Role.NPO_OFFICER, "JP"),
    ("npo.ph@apo.demo", "Maria Santos", Role.NPO_OFFICER, "PH"),
    ("npo.tr@apo.demo", "Elif Yılmaz", Role.NPO_OFFICER, "TR"),
    ("npo.my@apo.demo", "Farah Ismail", Role.NPO_OFFICER, "MY"),
]
# Host-side implementer of the seed workshop: staff of Sri Lanka's National Productivity Secretariat.
IMPLEMENTER = ("implementer.lk@apo.demo", "Chamila Fernando")

SME = {
    "code": SME_CODE,
    "title": "Digital Transformation of SMEs",
    "modality": Modality.IN_PERSON,
    "implementing_organizations": "Malaysia Productivity Corporation\nAPO Secretariat",
    "venue": "Kuala Lumpur, Malaysia",
    "start_date": datetime.date(2027, 5, 18),
    "end_date": datetime.date(2027, 5, 21),
    "time_zone": "Asia/Kuala_Lumpur",
    "overseas_quota": 28,
    "local_quota": 6,
    "per_country_cap": 2,
    "qualifications": (
        "Managers of SME support agencies, consultants and owner-managers of SMEs leading digital projects, "
        "with at least five years of relevant experience."
    ),
    "objectives": (
        "a. Review the state of digital adoption among SMEs in APO members.\n\n"
        "b. Learn practical roadmaps for the digital transformation of SMEs through site visits.\n\n"
        "c. Draft action plans for SME digitalization programmes in each participating country."
    ),
    "background": (
        "Small and medium enterprises make up most firms in APO members but lag behind large firms in "
        "adopting digital tools. This workshop brings SME promoters together in Kuala Lumpur to learn from "
        "Malaysia's SME digitalization programmes."
    ),
    "scope_and_methodology": (
        "Four days of presentations by experts, site visits to digitalized SMEs, group work and presentation "
        "of action plans. Two participants from each country at most."
    ),
    "topics_by_day": [
        ["Digital adoption among SMEs: the state of play"],
        ["Roadmaps and readiness assessments", "Financing digital projects"],
        ["Site visits to digitalized SMEs"],
        ["Action plans and presentations"],
    ],
    "certificate_rule": "Participants who attend all sessions receive the APO certificate of attendance.",
    "financial_arrangements": (
        "a. The APO will meet the round-trip airfare and the daily allowance of overseas participants.\n\n"
        "b. The host country will meet the local implementation costs."
    ),
    "implementation_procedures": "Please refer to the implementation procedures for APO in-person projects.",
}
SME_CLOSING = datetime.date(2027, 4, 5)


def _seed_project(code, *, start, end, closing, edition_of=None, title_suffix=""):
    host = MemberCountry.objects.get(iso2="LK")
    fields = dict(SEED, host_country=host, edition_of=edition_of)
    fields.update(
        start_date=start,
        end_date=end,
        nomination_deadline=Project.deadline_for(closing, SEED["time_zone"]),
        title=SEED["title"] + title_suffix,
    )
    project, created = Project.objects.get_or_create(code=code, defaults=fields)
    if created:
        project.participating_countries.set(MemberCountry.objects.all())
        project.notification_issued_at = timezone.now()
        project.save(update_fields=["notification_issued_at"])
    return project


def _sme_project(admin):
    """Built and issued through the services, as a Secretariat admin would in the portal."""
    project = Project.objects.filter(code=SME_CODE).first()
    if project is None:
        fields = dict(SME, host_country=MemberCountry.objects.get(iso2="MY"))
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
    seed = _seed_project(
        SEED_CODE,
        start=datetime.date(2022, 8, 24),
        end=datetime.date(2022, 8, 26),
        closing=datetime.date(2022, 8, 3),
    )
    _seed_project(
        FUTURE_CODE,
        start=datetime.date(2027, 3, 23),
        end=datetime.date(2027, 3, 25),
        closing=datetime.date(2027, 3, 1),
        edition_of=seed,
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
    _implementer(seed)
    return seed


def logins():
    """(e-mail, what the account is) for the demo accounts of the core."""
    return [(email, f"{role.label}{f' ({iso2})' if iso2 else ''}") for email, _, role, iso2 in ACCOUNTS] + [
        (IMPLEMENTER[0], f"{Role.IMPLEMENTER.label} of {SEED_CODE}")
    ]
