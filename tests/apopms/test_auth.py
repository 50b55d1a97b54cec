import pytest
from django.core import mail
from django.urls import reverse

from tests import factories

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery staple"


def _login(client, email, password=PASSWORD, ip="10.0.0.1"):
    return client.post(reverse("login"), {"username": email, "password": password}, REMOTE_ADDR=ip)


def test_login_with_email_in_any_case_then_logout(client):
    factories.UserFactory(email="kumari@npo.example")
    response = _login(client, "Kumari@NPO.example")
    assert response.status_code == 302
    assert response["Location"] == reverse("home")
    assert "_auth_user_id" in client.session
    client.post(reverse("logout"))
    assert "_auth_user_id" not in client.session


def test_login_with_wrong_password_says_so(client):
    factories.UserFactory(email="kumari@npo.example")
    response = _login(client, "kumari@npo.example", "wrong")
    assert response.status_code == 200
    assert "Please enter a correct" in response.content.decode()


def test_emails_are_unique_whatever_the_case():
    from django.db import IntegrityError, transaction

    factories.UserFactory(email="a.b@npo.example")
    with pytest.raises(IntegrityError), transaction.atomic():
        factories.UserFactory(email="A.B@npo.example")


def test_throttle_locks_the_account_from_that_address_only(client, settings):
    settings.AXES_FAILURE_LIMIT = 3
    factories.UserFactory(email="kumari@npo.example")
    factories.UserFactory(email="colleague@npo.example")
    for _ in range(3):
        _login(client, "kumari@npo.example", "wrong", ip="10.0.0.1")
    # Locked: even the right password is refused from that address.
    locked = _login(client, "kumari@npo.example", ip="10.0.0.1")
    assert locked.status_code == 429
    assert "Too many failed log-ins" in locked.content.decode()
    # A colleague behind the same address still logs in,
    assert _login(client, "colleague@npo.example", ip="10.0.0.1").status_code == 302
    client.post(reverse("logout"))
    # and so does the same person from another address.
    assert _login(client, "kumari@npo.example", ip="10.0.0.2").status_code == 302


def test_password_reset_by_email_sets_a_new_password(client):
    user = factories.UserFactory(email="kumari@npo.example")
    client.post(reverse("password_reset"), {"email": "kumari@npo.example"})
    assert len(mail.outbox) == 1
    link = next(line for line in mail.outbox[0].body.splitlines() if "/accounts/reset/" in line).strip()
    path = link.split("://", 1)[1].split("/", 1)[1]
    response = client.get("/" + path, follow=True)
    assert response.status_code == 200
    form_url = response.redirect_chain[-1][0]
    response = client.post(
        form_url, {"new_password1": "A new long passphrase 42", "new_password2": "A new long passphrase 42"}
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password("A new long passphrase 42")
    # The link is single use.
    again = client.get("/" + path, follow=True)
    assert "This link no longer works" in again.content.decode()
