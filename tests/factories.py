"""factory_boy factories shared by every app's tests."""

import datetime

import factory
from django.utils import timezone

from apopms.enums import Category, Modality, Role
from apopms.models import MemberCountry, Membership, Project, User
from nominations.enums import Gender, NominationStatus, OrganizationType
from nominations.models import Nomination, Participant
from sessions.enums import AttendanceSource
from sessions.models import Attendance, Session


def country(iso2):
    """One of the 21 member countries loaded by the data migration."""
    return MemberCountry.objects.get(iso2=iso2)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.org")
    full_name = factory.Faker("name")
    password = factory.django.Password("correct horse battery staple")


class ProjectFactory(factory.django.DjangoModelFactory):
    """A published project whose nominations are open (deadline 30 days ahead)."""

    class Meta:
        model = Project
        skip_postgeneration_save = True

    code = factory.Sequence(lambda n: f"T-{n:04d}")
    title = factory.Sequence(lambda n: f"Test workshop {n}")
    modality = Modality.DIGITAL_MULTICOUNTRY
    host_country = factory.LazyFunction(lambda: country("LK"))
    implementing_organizations = "National Productivity Secretariat, Sri Lanka\nAPO Secretariat"
    start_date = factory.LazyFunction(lambda: timezone.localdate() + datetime.timedelta(days=60))
    end_date = factory.LazyAttribute(lambda o: o.start_date + datetime.timedelta(days=2))
    time_zone = "Asia/Colombo"
    nomination_deadline = factory.LazyAttribute(
        lambda o: Project.deadline_for(o.start_date - datetime.timedelta(days=30), o.time_zone)
    )
    overseas_quota = 38
    local_quota = 12
    notification_issued_at = factory.LazyFunction(timezone.now)

    @factory.post_generation
    def participating_countries(self, create, extracted, **kwargs):
        if create:
            self.participating_countries.set(extracted if extracted is not None else MemberCountry.objects.all())


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    role = Role.NPO_OFFICER


def secretariat_user(**kwargs):
    user = UserFactory(**kwargs)
    Membership.objects.create(user=user, role=Role.SECRETARIAT)
    return user


def npo_officer(iso2="IN", **kwargs):
    user = UserFactory(**kwargs)
    Membership.objects.create(user=user, role=Role.NPO_OFFICER, country=country(iso2))
    return user


def candidate(project, iso2="IN", **kwargs):
    """A candidate's account with their own draft nomination of `project` (as `invite_candidate` makes it)."""
    user = UserFactory(**kwargs)
    nomination = NominationFactory(project=project, country=country(iso2), email=user.email, candidate=user)
    return user, nomination


def implementer(project, **kwargs):
    user = UserFactory(**kwargs)
    Membership.objects.create(user=user, role=Role.IMPLEMENTER, project=project, country=project.host_country)
    return user


class NominationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Nomination

    project = factory.SubFactory(ProjectFactory)
    country = factory.LazyFunction(lambda: country("IN"))
    category = factory.LazyAttribute(lambda o: o.project.category_for(o.country))
    status = NominationStatus.DRAFT
    certificate_name = factory.Faker("name")
    gender = Gender.FEMALE
    email = factory.Sequence(lambda n: f"nominee{n}@example.org")
    organization = "Ministry of Public Administration"
    organization_type = OrganizationType.MINISTRY
    position = "Deputy Director"

    class Params:
        submitted = factory.Trait(
            status=NominationStatus.SUBMITTED,
            submitted_at=factory.LazyFunction(timezone.now),
            priority=factory.Sequence(lambda n: n + 1),
        )


class ParticipantFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Participant

    nomination = factory.SubFactory(NominationFactory, submitted=True, decision="selected")
    project = factory.SelfAttribute("nomination.project")
    country = factory.SelfAttribute("nomination.country")
    category = factory.SelfAttribute("nomination.category")
    certificate_name = factory.SelfAttribute("nomination.certificate_name")
    user = factory.LazyAttribute(lambda o: UserFactory(email=o.nomination.email, full_name=o.certificate_name))


class SessionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Session

    project = factory.SubFactory(ProjectFactory)
    title = factory.Sequence(lambda n: f"Day {n + 1}")
    start_at = factory.LazyAttribute(
        lambda o: datetime.datetime.combine(o.project.start_date, datetime.time(10, 0), tzinfo=o.project.zone)
    )
    end_at = factory.LazyAttribute(lambda o: o.start_at + datetime.timedelta(hours=3))


class AttendanceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Attendance

    participant = factory.SubFactory(ParticipantFactory)
    session = factory.SubFactory(SessionFactory)
    present = True
    seconds = factory.LazyAttribute(lambda o: o.session.duration_seconds)
    source = AttendanceSource.MANUAL


__all__ = ["Category"]
