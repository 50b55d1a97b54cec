import pytest
from django.urls import reverse

from sessions import services
from sessions.models import ResourcePerson, Session

from .programme_helpers import at, build_programme

pytestmark = pytest.mark.django_db


def test_the_admin_refuses_a_third_honorarium_through_the_service(admin_client, project, secretariat):
    for name in ("A", "B"):
        services.create_resource_person(
            project=project, actor=secretariat, name=name, category="local", local_honorarium=True
        )
    response = admin_client.post(
        reverse("admin:agenda_resourceperson_add"),
        {"project": project.pk, "name": "C", "category": "local", "local_honorarium": "on"},
        follow=True,
    )
    assert "at most 2 local resource persons" in response.content.decode()
    assert not ResourcePerson.objects.filter(name="C").exists()


def test_a_session_changed_in_the_admin_goes_through_the_service(admin_client, project, secretariat):
    (session, *_), _ = build_programme(project, secretariat, days=1, items_per_session=1)
    start, end = at(project, 2, "10:00"), at(project, 2, "13:00")
    response = admin_client.post(
        reverse("admin:agenda_session_change", args=[session.pk]),
        {
            "title": "Moved",
            "start_at_0": start.astimezone(project.zone).strftime("%Y-%m-%d"),
            "start_at_1": "04:30:00",
            "end_at_0": end.strftime("%Y-%m-%d"),
            "end_at_1": "07:30:00",
            "join_url": "",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    session = Session.objects.get(pk=session.pk)
    assert session.title == "Moved" and session.start_at == start
    assert session.agenda_items.get().start_at == start  # moved along, as the service does
    assert session.revision >= 2
