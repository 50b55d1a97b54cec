"""What the frame of every page offers: "My workshop" to those taking part, the portal's icon."""

import pytest
from django.templatetags.static import static
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


def test_every_page_names_the_portal_icon_and_favicon_ico_leads_to_it(client, npo_in):
    icon = static("img/favicon.svg")
    assert f'<link rel="icon" href="{icon}" type="image/svg+xml">' in client.get(reverse("home")).content.decode()
    client.force_login(npo_in)
    assert f'<link rel="icon" href="{icon}"' in client.get(reverse("personal_data")).content.decode()
    response = client.get("/favicon.ico")
    assert response.status_code == 302
    assert response["Location"] == icon
    served = client.get(icon)
    served.close()
    assert served.status_code == 200
