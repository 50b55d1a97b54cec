"""What the frame of every page offers: "My workshop" to those taking part."""

import pytest
from django.urls import reverse

from tests import factories

pytestmark = pytest.mark.django_db


def test_my_workshop_is_offered_from_the_first_page_after_a_person_takes_part(client, project):
    person = factories.UserFactory()
    client.force_login(person)
    assert "My workshop" not in client.get(reverse("personal_data")).content.decode()
    factories.ParticipantFactory(nomination__project=project, user=person)
    # The same session: whether they take part is read with the user on each request.
    assert "My workshop</a>" in client.get(reverse("personal_data")).content.decode()
