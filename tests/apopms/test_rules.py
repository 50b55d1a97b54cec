"""Each rule of the core has one home, and every way in (services, back office) gives the same answer."""

import datetime
import zoneinfo
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.forms.models import model_to_dict

from apopms import services
from apopms.admin import ProjectAdminForm
from apopms.models import AuditEntry, Membership, Project
from tests import factories

pytestmark = pytest.mark.django_db

COLOMBO = zoneinfo.ZoneInfo("Asia/Colombo")


def _draft(**overrides):
    fields = {
        "start_date": datetime.date(2040, 6, 9),
        "end_date": datetime.date(2040, 6, 12),
        "nomination_deadline": Project.deadline_for(datetime.date(2040, 5, 1), "Asia/Colombo"),
        "notification_issued_at": None,
    }
    fields.update(overrides)
    return factories.ProjectFactory(**fields)


def test_back_office_says_end_before_start_in_the_portals_words():
    project = _draft()
    project.end_date = datetime.date(2040, 6, 1)
    with pytest.raises(ValidationError) as exc:
        project.clean()
    assert exc.value.message_dict == {
        "end_date": ["The end date (1 June 2040) is before the start date (9 June 2040)."]
    }


def test_database_refuses_end_before_start():
    project = _draft()
    with pytest.raises(IntegrityError), transaction.atomic():
        Project.objects.filter(pk=project.pk).update(end_date=datetime.date(2040, 6, 1))


def _admin_form(project, **changes):
    data = model_to_dict(project)
    data["participating_countries"] = [c.pk for c in project.participating_countries.all()]
    data["edition_of"] = ""
    data["per_country_cap"] = ""
    data.update(changes)
    return ProjectAdminForm(data=data, instance=project)


def test_back_office_applies_the_closing_date_rule_of_the_portal():
    project = _draft()
    form = _admin_form(project, nomination_deadline=datetime.datetime(2040, 6, 10, tzinfo=COLOMBO))
    assert not form.is_valid()
    assert form.errors["nomination_deadline"] == [
        "The closing date (9 June 2040) must be before the start date (9 June 2040)."
    ]
    assert _admin_form(project).is_valid(), _admin_form(project).errors


def _actor(kind, project):
    if kind == "npo_officer":
        return factories.npo_officer("IN", email="officer.in@npo.example")
    if kind == "implementer":
        return factories.implementer(project)
    return None


CALLS = {
    "create_project": lambda actor, project: services.create_project(
        actor=actor,
        participating_countries=[project.host_country],
        closing_date=datetime.date(2040, 5, 1),
        code="NEW-1",
        title="New",
        host_country=project.host_country,
        implementing_organizations="APO",
        start_date=datetime.date(2040, 6, 9),
        end_date=datetime.date(2040, 6, 10),
        time_zone="Asia/Colombo",
    ),
    "update_project": lambda actor, project: services.update_project(actor=actor, project=project, title="x"),
    "clone_project": lambda actor, project: services.clone_project(
        actor=actor, source=project, code="NEW-2", start_date=datetime.date(2041, 6, 9)
    ),
    "issue_notification": lambda actor, project: services.issue_notification(actor=actor, project=project),
    "set_nominations_open": lambda actor, project: services.set_nominations_open(
        actor=actor, project=project, is_open=False
    ),
    "extend_deadline": lambda actor, project: services.extend_deadline(
        actor=actor, project=project, closing_date=datetime.date(2040, 5, 20)
    ),
    "set_min_attendance_share": lambda actor, project: services.set_min_attendance_share(
        actor=actor, project=project, share=Decimal("0.5")
    ),
    "deactivate_membership": lambda actor, project: services.deactivate_membership(
        actor=actor, membership=factories.npo_officer("JP", email="jp@npo.example").memberships.get()
    ),
    "reactivate_membership": lambda actor, project: services.reactivate_membership(
        actor=actor, membership=factories.npo_officer("JP", email="jp@npo.example").memberships.get()
    ),
}


@pytest.mark.parametrize("kind", ["npo_officer", "implementer", "anonymous"])
@pytest.mark.parametrize("service", sorted(CALLS))
def test_core_services_refuse_an_actor_without_the_role_with_permission_denied(kind, service):
    project = _draft()
    actor = _actor(kind, project)
    before = model_to_dict(Project.objects.get(pk=project.pk))
    memberships = set(Membership.objects.values_list("pk", "active"))
    entries = AuditEntry.objects.count()
    with pytest.raises(PermissionDenied):
        CALLS[service](actor, project)
    assert model_to_dict(Project.objects.get(pk=project.pk)) == before
    assert set(Project.objects.values_list("code", flat=True)) == {project.code}
    assert {pk for pk, active in memberships} <= set(Membership.objects.values_list("pk", flat=True))
    assert AuditEntry.objects.count() == entries
