"""Verifying a certificate from the home page: by its code, or by its number and the full printed name."""

import pytest
from django.urls import reverse

from certificates import codes, services, views
from certificates.models import Certificate
from tests import factories
from tests.permissions import role_users

from .conftest import attendee

pytestmark = pytest.mark.django_db


@pytest.fixture
def certificate(done_project):
    participant = attendee(done_project, iso2="IN")
    participant.certificate_name = "Renée Ngô Sunita-Das"
    participant.native_name = "सुनीता दास"
    participant.save()
    return services.issue_certificate(participant=participant, actor=factories.secretariat_user())


def _by_name(client, number, name, **extra):
    return client.post(reverse("certificates:verify_lookup"), {"number": number, "name": name}, **extra)


def _main(response):
    return response.content.decode().split("<main", 1)[1].split("</main>", 1)[0]


def test_home_page_offers_both_ways(client, db):
    html = client.get(reverse("home")).content.decode()
    assert "Verify a certificate" in html
    assert 'name="code"' in html and 'name="number"' in html and 'name="name"' in html


@pytest.mark.parametrize(
    "typed",
    [
        "Renée Ngô Sunita-Das",
        "renee ngo sunita das",
        "  RENÉE   NGÔ  SUNITA DAS ",
        "Renee Ngo Sunita-Das.",
        "सुनीता दास",
    ],
)
def test_number_and_name_find_the_certificate(client, certificate, typed):
    number = certificate.number.lower().replace("-", " ")
    response = _by_name(client, number, typed)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Valid." in html and certificate.number in html


@pytest.mark.parametrize("typed", ["Renée Ngô", "Renée Ngô Sunita-Dass", "सुनता दास", "Ngô Renée Sunita-Das"])
def test_a_wrong_or_partial_name_says_what_an_unknown_number_says(client, certificate, typed):
    wrong_name = _by_name(client, certificate.number, typed)
    unknown_number = _by_name(client, certificate.number + "9", "Renée Ngô Sunita-Das")
    assert wrong_name.status_code == unknown_number.status_code == 404
    assert _main(wrong_name) == _main(unknown_number)  # the page outside <main> carries a fresh CSRF mask
    assert "No certificate has this number with this name." in wrong_name.content.decode()
    assert "Sunita" not in wrong_name.content.decode()


def test_revoked_certificate_found_by_number_and_name_says_revoked(client, certificate):
    services.revoke_certificate(certificate=certificate, actor=factories.secretariat_user(), reason="Name misspelt")
    response = _by_name(client, certificate.number, "Renée Ngô Sunita-Das")
    assert response.status_code == 200
    assert "Revoked." in response.content.decode()


def test_empty_fields_are_named(client, db):
    response = _by_name(client, "", "")
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="verify-number-error"' in html and 'id="verify-name-error"' in html


def test_code_typed_with_separators_and_any_case_is_found(client, certificate):
    code = certificate.verification_code
    typed = "-".join(code[i : i + 4] for i in range(0, len(code), 4)).lower()
    response = client.get(reverse("certificates:verify_lookup"), {"code": typed}, follow=True)
    assert response.status_code == 200 and certificate.number in response.content.decode()


def test_number_and_name_share_the_verification_pages_rate_limit(client, certificate, monkeypatch):
    monkeypatch.setattr(views, "VERIFY_RATE", (3, 600))
    for _ in range(2):
        assert _by_name(client, "NOPE-0001", "Anyone", REMOTE_ADDR="10.0.0.9").status_code == 404
    assert client.get("/v/guess/", REMOTE_ADDR="10.0.0.9").status_code == 404
    response = _by_name(client, certificate.number, "Renée Ngô Sunita-Das", REMOTE_ADDR="10.0.0.9")
    assert response.status_code == 429
    assert "Too many verification requests" in response.content.decode()
    assert _by_name(client, certificate.number, "Renée Ngô Sunita-Das", REMOTE_ADDR="10.0.0.10").status_code == 200


def test_name_key_policy():
    assert codes.name_key("  Renée  NGÔ-sunita ") == codes.name_key("renee ngo sunita")
    assert codes.name_key("Straße") == codes.name_key("STRASSE")
    assert codes.name_key("सुनीता") != codes.name_key("सुनता")  # a vowel sign is part of the name
    assert codes.number_key("22 psp–dmc 0007") == "22PSPDMC0007"


def test_lookup_needs_no_account_and_reveals_no_code(client, certificate):
    role_users(certificate.project)
    response = _by_name(client, certificate.number, "renee ngo sunita das")
    assert certificate.verification_code not in response.content.decode()
    assert Certificate.objects.count() == 1
