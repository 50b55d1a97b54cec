"""The public "Personal data" page and the nomination form's notice."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_the_personal_data_page_is_public_and_linked_from_the_footer(client, settings):
    settings.PRIVACY_CV_RETENTION_DAYS = 60

    home = client.get(reverse("home")).content.decode()
    page = client.get(reverse("personal_data"))

    assert f'href="{reverse("personal_data")}">Personal data</a>' in home
    assert page.status_code == 200
    text = page.content.decode()
    assert "CVs are deleted 60 days after the selection is published" in text
    assert "12 months after the project ends" in text and "5 years after the project ends" in text
