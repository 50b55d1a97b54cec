import datetime
import io
import zoneinfo

import pytest
from django.core import mail
from django.core.management import call_command

from apopms.demo import FUTURE_CODE, IMPLEMENTER, SEED_CODE, SME_CODE
from apopms.enums import OutboxCause, OutboxStatus, Role
from apopms.models import AuditEntry, MemberCountry, Membership, OutboxMessage, Project, User

pytestmark = pytest.mark.django_db


def test_member_countries_are_the_21_members_of_2022():
    assert MemberCountry.objects.count() == 21
    lk = MemberCountry.objects.get(iso2="LK")
    assert (lk.name, lk.npo_name, lk.time_zone) == ("Sri Lanka", "National Productivity Secretariat", "Asia/Colombo")
    assert MemberCountry.objects.get(iso2="TR").name == "Türkiye"


def test_demo_loads_the_seed_workshop_as_notified():
    call_command("demo", stdout=io.StringIO())
    project = Project.objects.get(code=SEED_CODE)
    assert project.title == "Productivity of the Public Sector"
    assert (project.start_date, project.end_date, project.days) == (
        datetime.date(2022, 8, 24),
        datetime.date(2022, 8, 26),
        3,
    )
    assert (project.overseas_quota, project.local_quota) == (38, 12)
    assert project.host_country.iso2 == "LK"
    assert project.get_modality_display() == "Digital multicountry"
    assert project.participating_countries.count() == 21
    assert project.closing_date == datetime.date(2022, 8, 3)
    # The end of 3 Aug in Colombo is 00:00 on 4 Aug there, 18:30 UTC on 3 Aug.
    assert project.nomination_deadline == datetime.datetime(2022, 8, 4, tzinfo=zoneinfo.ZoneInfo("Asia/Colombo"))
    assert project.nomination_deadline.astimezone(datetime.UTC) == datetime.datetime(
        2022, 8, 3, 18, 30, tzinfo=datetime.UTC
    )
    assert len(project.topics_by_day) == 3


def test_demo_is_idempotent_and_has_an_open_future_edition():
    out = io.StringIO()
    call_command("demo", stdout=out)
    call_command("demo", stdout=out)
    assert Project.objects.filter(code=SEED_CODE).count() == 1
    future = Project.objects.get(code=FUTURE_CODE)
    assert future.accepts_nominations()
    assert future.edition_of.code == SEED_CODE
    assert Membership.objects.filter(role=Role.SECRETARIAT).count() == 1
    npo_countries = set(Membership.objects.filter(role=Role.NPO_OFFICER).values_list("country__iso2", flat=True))
    assert "LK" in npo_countries and len(npo_countries) >= 4
    assert "admin@apo.demo" in out.getvalue()


def test_demo_has_another_project_built_through_the_services_and_an_implementer():
    out = io.StringIO()
    call_command("demo", stdout=out)
    call_command("demo", stdout=out)
    sme = Project.objects.get(code=SME_CODE)
    assert (sme.host_country.iso2, sme.get_modality_display(), sme.per_country_cap) == ("MY", "In person", 2)
    assert sme.notification_issued_at is not None and sme.accepts_nominations()
    assert sme.closing_date == datetime.date(2027, 4, 5)
    assert AuditEntry.objects.filter(action="apopms.project.created", project=sme).count() == 1
    assert AuditEntry.objects.filter(action="apopms.project.notification_issued", project=sme).count() == 1
    implementer = User.objects.get(email=IMPLEMENTER[0])
    seed = Project.objects.get(code=SEED_CODE)
    assert implementer.is_implementer_of(seed) and not implementer.is_secretariat
    assert not implementer.can_manage_programme(sme)
    assert IMPLEMENTER[0] in out.getvalue()


def test_the_demos_emails_are_in_the_outbox_marked_as_not_sent(django_capture_on_commit_callbacks):
    out = io.StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("demo", stdout=out)
    held = OutboxMessage.objects.filter(status=OutboxStatus.HELD)
    assert mail.outbox == []
    assert held.count() > 0 and not OutboxMessage.objects.exclude(status=OutboxStatus.HELD).exists()
    assert f"{held.count()} e-mails the demo caused are in the outbox, marked as not sent" in out.getvalue()
    assert set(held.values_list("cause", flat=True)) >= {OutboxCause.NOTIFICATION_ISSUED, OutboxCause.CERTIFICATE_READY}
