"""Writes of the resource persons (speakers) of a project's programme.

Keyword-only, take the acting user (checked by `permissions`), one transaction under the
project's lock, an audit entry each. At most HONORARIUM_CAP local speakers get an APO honorarium.
"""

from django.db import transaction

from apopms.audit import record
from apopms.enums import Category
from apopms.exceptions import DomainError
from apopms.models import MemberCountry, Project

from ..models import ResourcePerson
from ..permissions import require_manage_programme
from .programme import check_known_fields, touch

HONORARIUM_CAP = 2
PERSON_FIELDS = ("name", "title", "organization", "country", "email", "category", "biography", "local_honorarium")


# ---------------------------------------------------------------- resource persons


def _check_honorarium(project, person_pk, category, local_honorarium):
    """At most HONORARIUM_CAP local resource persons with an APO honorarium; call under the project lock."""
    if not local_honorarium:
        return
    if category != Category.LOCAL:
        raise DomainError(
            "Only local resource persons receive an APO honorarium (overseas ones are paid an assignment).",
            field="local_honorarium",
        )
    others = list(
        ResourcePerson.objects.filter(project=project, local_honorarium=True)
        .exclude(pk=person_pk)
        .order_by("name")
        .values_list("name", flat=True)
    )
    if len(others) >= HONORARIUM_CAP:
        raise DomainError(
            f"The APO pays an honorarium for at most {HONORARIUM_CAP} local resource persons per project, "
            f"and {' and '.join(others)} already have one. Remove the flag from one of them first.",
            field="local_honorarium",
        )


OTHER_COUNTRY = "Other"


def country_choices():
    """A resource person's country: a member country's name, or "Other" (an expert from elsewhere)."""
    return [*MemberCountry.objects.order_by("name").values_list("name", flat=True), OTHER_COUNTRY]


def _check_country(country, previous=None):
    """The country is chosen from the list; a value kept from before the list existed may stay."""
    if not country or country == previous or country in country_choices():
        return
    raise DomainError(
        f"“{country}” is not a member country: choose one from the list, or “{OTHER_COUNTRY}”.", field="country"
    )


def _check_unique_name(project, person_pk, name):
    if ResourcePerson.objects.filter(project=project, name__iexact=name).exclude(pk=person_pk).exists():
        raise DomainError(f"{name} is already a resource person of this project.", field="name")


def create_resource_person(*, project, actor, name, **fields):
    """A new resource person. Refuses a third local honorarium (checked under the project's row lock)."""
    check_known_fields(fields, PERSON_FIELDS, "resource person")
    with transaction.atomic():
        project = Project.objects.lock(project.pk)
        require_manage_programme(actor, project)
        name = name.strip()
        _check_unique_name(project, None, name)
        _check_country(fields.get("country", ""))
        _check_honorarium(
            project, None, fields.get("category", Category.OVERSEAS), fields.get("local_honorarium", False)
        )
        person = ResourcePerson.objects.create(project=project, name=name, **fields)
        record("agenda.resource_person.created", actor=actor, target=person, project=project, name=person.name)
        return person


def update_resource_person(*, person, actor, **changes):
    check_known_fields(changes, PERSON_FIELDS, "resource person")
    with transaction.atomic():
        project = Project.objects.lock(person.project_id)
        require_manage_programme(actor, project)
        person = ResourcePerson.objects.select_for_update().get(pk=person.pk)
        previous_country = person.country
        for field, value in changes.items():
            setattr(person, field, value.strip() if isinstance(value, str) else value)
        _check_unique_name(project, person.pk, person.name)
        _check_country(person.country, previous_country)
        _check_honorarium(project, person.pk, person.category, person.local_honorarium)
        person.save()
        for session_id in set(person.agenda_items.values_list("session_id", flat=True)):
            touch(session_id)
        record("agenda.resource_person.updated", actor=actor, target=person, project=project, fields=sorted(changes))
        return person


def delete_resource_person(*, person, actor):
    """Remove a resource person (and them from the agenda items they spoke at)."""
    with transaction.atomic():
        project = Project.objects.lock(person.project_id)
        require_manage_programme(actor, project)
        for session_id in set(person.agenda_items.values_list("session_id", flat=True)):
            touch(session_id)
        record("agenda.resource_person.deleted", actor=actor, target=person, project=project, name=person.name)
        person.delete()
