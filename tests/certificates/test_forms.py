import pytest
from django.urls import reverse

from tests import factories

from .conftest import attendee

pytestmark = pytest.mark.django_db


def _correct(client, project, participant, **data):
    client.force_login(factories.secretariat_user())
    url = reverse("certificates:correct_name", args=[project.code, participant.pk])
    return client.post(url, data)


def test_name_correction_removes_direction_changing_characters(client, done_project):
    participant = attendee(done_project)
    response = _correct(
        client, done_project, participant, certificate_name="\u202eJohn Smith", native_name="ශ්\u200dරී\u200b"
    )
    assert response.status_code == 302
    participant.refresh_from_db()
    assert participant.certificate_name == "John Smith"
    assert participant.native_name.encode() == "ශ්\u200dරී".encode()


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("certificate_name", "\u200b\u200b", "no visible letters"),
        ("native_name", "\ufeff", "no visible letters"),
        ("certificate_name", "J\u0336\u0336\u0336\u0336ohn", "stacked on one letter"),
    ],
)
def test_name_correction_refuses_blank_and_stacked_names(client, done_project, field, value, message):
    participant = attendee(done_project)
    before = participant.certificate_name
    data = {"certificate_name": "John Smith", **{field: value}}
    response = _correct(client, done_project, participant, **data)
    assert response.status_code == 200
    assert message in response.context["form"].errors[field][0]
    participant.refresh_from_db()
    assert participant.certificate_name == before
