import datetime

import pytest
import time_machine
from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.sessions.models import Session
from django.core import mail
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from apopms.models import OutboxMessage
from tests import factories

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery staple"


def _login(client, email, password=PASSWORD, ip="10.0.0.1"):
    return client.post(reverse("login"), {"username": email, "password": password}, REMOTE_ADDR=ip)


def test_login_with_email_in_any_case_then_logout(client):
    factories.UserFactory(email="kumari@npo.example")
    response = _login(client, "Kumari@NPO.example")
    assert response.status_code == 302
    assert response["Location"] == reverse("workspace:landing")
    assert "_auth_user_id" in client.session
    client.post(reverse("logout"))
    assert "_auth_user_id" not in client.session


@time_machine.travel(datetime.datetime(2022, 8, 24, 9, tzinfo=datetime.UTC), tick=False)
def test_a_session_ends_when_it_expires_or_is_deleted(client):
    factories.UserFactory(email="kumari@npo.example")
    landing = reverse("workspace:landing")
    assert _login(client, "kumari@npo.example").status_code == 302
    assert client.get(landing).status_code == 200
    with time_machine.travel(timezone.now() + datetime.timedelta(seconds=settings.SESSION_COOKIE_AGE - 60)):
        assert client.get(landing).status_code == 200
    with time_machine.travel(timezone.now() + datetime.timedelta(seconds=settings.SESSION_COOKIE_AGE + 60)):
        assert client.get(landing)["Location"].startswith(reverse("login"))
    assert _login(client, "kumari@npo.example").status_code == 302
    Session.objects.all().delete()  # e.g. a logout in another tab, served by another process
    assert client.get(landing)["Location"].startswith(reverse("login"))


def test_login_with_wrong_password_says_so(client):
    factories.UserFactory(email="kumari@npo.example")
    response = _login(client, "kumari@npo.example", "wrong")
    assert response.status_code == 200
    assert "Please enter a correct" in response.content.decode()


def test_emails_are_unique_whatever_the_case():
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


def test_password_reset_by_email_sets_a_new_password(client, settings):
    settings.SITE_URL = "https://portal.apo.example"
    user = factories.UserFactory(email="kumari@npo.example")
    client.post(reverse("password_reset"), {"email": "kumari@npo.example"}, headers={"host": "localhost"})
    assert len(mail.outbox) == 1
    link = next(line for line in mail.outbox[0].body.splitlines() if "/accounts/reset/" in line).strip()
    assert link.startswith("https://portal.apo.example/accounts/reset/")  # SITE_URL, whatever the Host
    assert not OutboxMessage.objects.exists()  # sent during the request; its link is never stored
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


def test_throttle_counts_every_spelling_of_the_address_as_one(client, settings):
    """Login ignores case and surrounding spaces, so the failures are counted the same way."""
    settings.AXES_FAILURE_LIMIT = 5
    factories.UserFactory(email="kumari@npo.example")
    spellings = [
        "kumari@npo.example",
        "Kumari@npo.example",
        "KUMARI@NPO.EXAMPLE",
        "kumari@NPO.example",
        "KuMaRi@Npo.Example",
    ]
    for spelling in spellings:
        _login(client, spelling, "wrong")

    assert list(AccessAttempt.objects.values_list("username", "failures_since_start")) == [("kumari@npo.example", 5)]
    for spelling in spellings:
        locked = _login(client, spelling)
        assert locked.status_code == 429, spelling
        assert "_auth_user_id" not in client.session


def _login_via_proxy(client, email, password=PASSWORD, visitor="203.0.113.5", proxy="172.18.0.2"):
    """A request as the TLS proxy forwards it: the proxy appends the visitor's address to X-Forwarded-For."""
    return client.post(
        reverse("login"),
        {"username": email, "password": password},
        REMOTE_ADDR=proxy,
        HTTP_X_FORWARDED_FOR=f"198.51.100.66, {visitor}",  # the first entry is whatever the visitor sent
    )


def test_throttle_behind_one_proxy_counts_visitors_apart(client, settings):
    settings.PROXY_COUNT = 1
    settings.AXES_FAILURE_LIMIT = 3
    factories.UserFactory(email="kumari@npo.example")
    for _ in range(3):
        _login_via_proxy(client, "kumari@npo.example", "wrong", visitor="203.0.113.5")
    assert _login_via_proxy(client, "kumari@npo.example", visitor="203.0.113.5").status_code == 429
    # The officer, elsewhere, reaches the portal through the same proxy and is not locked out.
    assert _login_via_proxy(client, "kumari@npo.example", visitor="192.0.2.44").status_code == 302

    assert list(AccessAttempt.objects.values_list("ip_address", flat=True)) == ["203.0.113.5"]


def test_throttle_without_proxy_uses_the_connection_address(client, settings):
    """PROXY_COUNT=0 (direct connections): a forged X-Forwarded-For changes nothing."""
    settings.PROXY_COUNT = 0
    settings.AXES_FAILURE_LIMIT = 3
    factories.UserFactory(email="kumari@npo.example")
    for n in range(3):
        client.post(
            reverse("login"),
            {"username": "kumari@npo.example", "password": "wrong"},
            REMOTE_ADDR="10.0.0.1",
            HTTP_X_FORWARDED_FOR=f"192.0.2.{n}",
        )
    assert _login(client, "kumari@npo.example", ip="10.0.0.1").status_code == 429
    assert _login(client, "kumari@npo.example", ip="10.0.0.2").status_code == 302
