import datetime
import re
from unittest import mock

import pytest
import time_machine
from django.contrib.auth.tokens import default_token_generator
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone

from apopms import mail as outbox
from apopms import services
from apopms.enums import InvitationPurpose, OutboxStatus, Role
from apopms.exceptions import DomainError
from apopms.forms import InvitePersonForm
from apopms.models import AuditEntry, Invitation, Membership, OutboxMessage, User
from apopms.selectors import invitations_with_sent_at
from apopms.services import resend_invitation
from apopms.tasks import send_invitation_email
from tests import factories
from tests.mail_backends import RefusingBackend
from tests.permissions import LOGIN, assert_matrix, role_users

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "a long and unusual passphrase 42"


def _link(message):
    match = re.search(r"https?://\S+/accounts/invitation/(\w+)/", message.body)
    assert match, message.body
    return match.group(0), match.group(1)


def _invite(actor, email="kumari@npo.example", iso2="LK", **kwargs):
    return services.invite_user(
        actor=actor,
        email=email,
        full_name=kwargs.pop("full_name", "Kumari Perera"),
        purpose=kwargs.pop("purpose", InvitationPurpose.NPO_OFFICER),
        country=factories.country(iso2) if iso2 else None,
        **kwargs,
    )


def test_invite_npo_officer_creates_user_membership_invitation_and_email(
    secretariat, django_capture_on_commit_callbacks, settings
):
    settings.SITE_URL = "https://portal.apo.example"
    with django_capture_on_commit_callbacks(execute=True):
        invitation = _invite(secretariat, email="Kumari@NPO.example")
    user = User.objects.get(email="kumari@npo.example")
    assert not user.has_usable_password()
    assert user.full_name == "Kumari Perera"
    membership = Membership.objects.get(user=user)
    assert (membership.role, membership.country.iso2, membership.invited_by) == (Role.NPO_OFFICER, "LK", secretariat)
    assert invitation.invited_by == secretariat
    assert invitation.expires_at - invitation.created_at == datetime.timedelta(days=21)
    [message] = mail.outbox
    assert message.to == ["kumari@npo.example"]
    link, token = _link(message)
    assert link.startswith("https://portal.apo.example/accounts/invitation/")
    assert "National Productivity Secretariat" in message.body
    # Only a hash of the token is stored.
    assert token not in {invitation.nonce, invitation.token_hash}
    assert invitation.token_hash == services.hash_token(token)
    assert AuditEntry.objects.filter(action="apopms.invitation.created", object_id=str(invitation.pk)).exists()
    assert invitations_with_sent_at().get(pk=invitation.pk).sent_at is not None


def test_invite_existing_user_by_email_in_other_case_reuses_the_account(secretariat):
    existing = factories.UserFactory(email="kumari@npo.example", full_name="")
    invitation = _invite(secretariat, email="KUMARI@npo.example")
    assert invitation.user == existing
    assert User.objects.filter(email__iexact="kumari@npo.example").count() == 1
    existing.refresh_from_db()
    assert existing.full_name == "Kumari Perera"


def test_invite_twice_returns_the_pending_invitation_without_second_email(
    secretariat, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        first = _invite(secretariat)
        second = _invite(secretariat)
    assert first == second
    assert len(mail.outbox) == 1


def test_invite_participant_email_says_selected_and_my_workshop(
    secretariat, project, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        invitation = services.invite_user(
            actor=secretariat,
            email="nominee@ministry.example",
            full_name="Asha Silva",
            purpose=InvitationPurpose.PARTICIPANT,
            project=project,
        )
    assert invitation.project == project
    assert not Membership.objects.filter(user=invitation.user).exists()
    [message] = mail.outbox
    assert "selected" in message.subject
    assert project.title in message.body
    assert "My workshop" in message.body
    assert "programme" in message.body and "attendance" in message.body and "certificate" in message.body


def test_invite_implementer_grants_project_role(secretariat, project):
    invitation = services.invite_user(
        actor=secretariat,
        email="impl@nps.example",
        full_name="Chamila",
        purpose=InvitationPurpose.IMPLEMENTER,
        project=project,
    )
    user = User.objects.get(pk=invitation.user_id)
    assert user.is_implementer_of(project)
    assert not user.is_secretariat


def test_invite_needs_country_for_npo_and_project_for_implementer(secretariat):
    with pytest.raises(DomainError) as exc:
        _invite(secretariat, iso2=None)
    assert exc.value.field == "country"
    with pytest.raises(DomainError) as exc:
        services.invite_user(
            actor=secretariat, email="x@y.example", full_name="X", purpose=InvitationPurpose.IMPLEMENTER
        )
    assert exc.value.field == "project"


def test_npo_officer_may_invite_a_colleague_of_the_same_npo_only(npo_lk):
    invitation = _invite(npo_lk, email="colleague@nps.example", iso2="LK")
    assert invitation.user.npo_country.iso2 == "LK"
    with pytest.raises(PermissionDenied):
        _invite(npo_lk, email="someone@jp.example", iso2="JP")


def test_officer_of_another_country_cannot_be_invited_again_for_a_second_country(secretariat, npo_in):
    with pytest.raises(DomainError) as exc:
        _invite(secretariat, email=npo_in.email, iso2="LK")
    assert exc.value.field == "email"
    assert "India" in exc.value.message


def test_accept_sets_password_logs_in_and_redirects_home(client, secretariat, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        _invite(secretariat)
    _, token = _link(mail.outbox[0])
    url = reverse("invitation_accept", kwargs={"token": token})
    page = client.get(url)
    assert page.status_code == 200
    assert "kumari@npo.example" in page.content.decode()
    response = client.post(url, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == reverse("home")
    user = User.objects.get(email="kumari@npo.example")
    assert user.check_password(NEW_PASSWORD)
    assert int(client.session["_auth_user_id"]) == user.pk


def test_invitation_link_is_single_use(client, secretariat, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        _invite(secretariat)
    _, token = _link(mail.outbox[0])
    services.accept_invitation(token=token, password=NEW_PASSWORD)
    with pytest.raises(DomainError, match="already used"):
        services.accept_invitation(token=token, password="another long passphrase 77")
    html = client.get(reverse("invitation_accept", kwargs={"token": token})).content.decode()
    assert "This link was already used" in html
    assert reverse("password_reset") in html


def test_invitation_link_expires_after_21_days(client, secretariat, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        invitation = _invite(secretariat)
    _, token = _link(mail.outbox[0])
    almost = invitation.created_at + datetime.timedelta(days=21) - datetime.timedelta(minutes=1)
    assert invitation.is_usable(now=almost)
    Invitation.objects.filter(pk=invitation.pk).update(
        created_at=timezone.now() - datetime.timedelta(days=22), expires_at=timezone.now() - datetime.timedelta(days=1)
    )
    with pytest.raises(DomainError, match="expired"):
        services.accept_invitation(token=token, password=NEW_PASSWORD)
    html = client.get(reverse("invitation_accept", kwargs={"token": token})).content.decode()
    assert "This link has expired" in html
    assert "Send me a new link" in html


def test_expired_link_page_sends_a_new_link_and_tells_the_inviter(
    client, secretariat, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        invitation = _invite(secretariat)
    _, old_token = _link(mail.outbox[0])
    Invitation.objects.filter(pk=invitation.pk).update(
        created_at=timezone.now() - datetime.timedelta(days=22), expires_at=timezone.now() - datetime.timedelta(days=1)
    )
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("invitation_accept", kwargs={"token": old_token}), {"action": "renew"})
    assert "A new link is on its way" in response.content.decode()
    to_invitee = [m for m in mail.outbox if m.to == ["kumari@npo.example"]]
    to_inviter = [m for m in mail.outbox if m.to == [secretariat.email]]
    assert len(to_invitee) == 1 and len(to_inviter) == 1
    _, new_token = _link(to_invitee[0])
    assert new_token != old_token
    assert services.accept_invitation(token=new_token, password=NEW_PASSWORD).email == "kumari@npo.example"


def test_renewal_is_throttled(secretariat, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        invitation = _invite(secretariat)
    _, token = _link(mail.outbox[0])
    resent = services.resend_invitation(actor=secretariat, invitation=invitation)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        again = services.renew_invitation(token=token)
    assert again == resent
    assert mail.outbox == []


def test_resend_voids_the_old_link(secretariat, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        invitation = _invite(secretariat)
    with django_capture_on_commit_callbacks(execute=True):
        new = services.resend_invitation(actor=secretariat, invitation=invitation)
    assert len(mail.outbox) == 2
    _, old_token = _link(mail.outbox[0])
    _, new_token = _link(mail.outbox[1])
    assert old_token != new_token
    with pytest.raises(DomainError, match="replaced"):
        services.accept_invitation(token=old_token, password=NEW_PASSWORD)
    services.accept_invitation(token=new_token, password=NEW_PASSWORD)
    assert new.invited_by == secretariat


def test_resend_only_by_inviter_or_secretariat(npo_lk, secretariat):
    invitation = _invite(npo_lk, email="colleague@nps.example")
    other_lk = factories.npo_officer("LK")
    with pytest.raises(PermissionDenied):
        services.resend_invitation(actor=other_lk, invitation=invitation)
    assert services.resend_invitation(actor=npo_lk, invitation=invitation).invited_by == npo_lk
    latest = Invitation.objects.filter(user=invitation.user).order_by("-created_at").first()
    assert services.resend_invitation(actor=secretariat, invitation=latest).is_usable()


def test_resend_url_permission_matrix(client, project, secretariat):
    users = role_users(project)
    invitation = _invite(secretariat, email="new.in@npo.example", iso2="IN")

    def url():
        # Each successful resend voids the previous invitation: always resend the newest.
        latest = Invitation.objects.filter(user=invitation.user).order_by("-created_at").first()
        return reverse("invitation_resend", kwargs={"pk": latest.pk})

    for role, expected in {
        "anonymous": LOGIN,
        "own_npo": 403,
        "other_npo": 404,
        "implementer": 403,
        "participant": 403,
        "secretariat": 302,
    }.items():
        assert_matrix(client, url(), users, {role: expected}, method="post")


def test_invitation_accept_page_is_public_and_unknown_token_is_404(client):
    assert client.get(reverse("invitation_accept", kwargs={"token": "nonsense"})).status_code == 404


def test_invitation_email_is_retried_by_the_sweep_after_an_smtp_failure(
    secretariat, settings, django_capture_on_commit_callbacks
):
    settings.MAILERS = {"default": {"BACKEND": "tests.mail_backends.RefusingBackend"}}
    RefusingBackend.refusals = 1
    with time_machine.travel(datetime.datetime(2026, 3, 2, 9, 0, tzinfo=datetime.UTC), tick=False) as clock:
        with django_capture_on_commit_callbacks(execute=True):
            invitation = _invite(secretariat)
        assert (mail.outbox, invitations_with_sent_at().get(pk=invitation.pk).sent_at) == ([], None)
        clock.shift(datetime.timedelta(minutes=1))
        assert outbox.sweep() == 1
    assert len(mail.outbox) == 1
    assert invitations_with_sent_at().get(pk=invitation.pk).sent_at is not None
    assert invitation.token() in mail.outbox[0].body


def test_the_outbox_row_of_an_invitation_holds_no_link(secretariat, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        invitation = _invite(secretariat)
    row = OutboxMessage.objects.get(invitation=invitation)
    assert invitation.token() not in row.body_text + row.body_html
    assert outbox.LINK_PLACEHOLDER in row.body_text
    assert invitation.token() in mail.outbox[0].body


def test_a_replaced_invitation_still_in_the_outbox_is_not_sent(secretariat, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False):
        invitation = _invite(secretariat)
    with django_capture_on_commit_callbacks(execute=True):
        resend_invitation(actor=secretariat, invitation=invitation)
    outbox.send_now(OutboxMessage.objects.get(invitation=invitation).pk)
    assert OutboxMessage.objects.get(invitation=invitation).status == OutboxStatus.CANCELLED
    assert len(mail.outbox) == 1  # only the new link


def test_invitation_task_is_safe_to_run_twice(secretariat, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        invitation = _invite(secretariat)
    send_invitation_email.apply(kwargs={"invitation_pk": invitation.pk})
    send_invitation_email.apply(kwargs={"invitation_pk": 999_999})
    assert len(mail.outbox) == 1


def test_participant_lands_on_my_workshop(client, secretariat, project, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        services.invite_user(
            actor=secretariat,
            email="nominee@ministry.example",
            full_name="Asha Silva",
            purpose=InvitationPurpose.PARTICIPANT,
            project=project,
        )
    _, token = _link(mail.outbox[0])
    response = client.post(
        reverse("invitation_accept", kwargs={"token": token}), {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("agenda:my_workshop")


def test_weak_password_is_refused_on_the_form(client, secretariat, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        _invite(secretariat)
    _, token = _link(mail.outbox[0])
    response = client.post(
        reverse("invitation_accept", kwargs={"token": token}), {"password1": "123", "password2": "123"}
    )
    assert response.status_code == 200
    assert "too short" in response.content.decode()
    assert not User.objects.get(email="kumari@npo.example").has_usable_password()


def test_password_reset_links_last_21_days_too(settings):
    user = factories.UserFactory()
    token = default_token_generator.make_token(user)
    with mock.patch.object(default_token_generator, "_now") as now:
        now.return_value = datetime.datetime.now() + datetime.timedelta(days=20, hours=23)  # noqa: DTZ005 - Django's token generator counts in naive local time
        assert default_token_generator.check_token(user, token)
        now.return_value = datetime.datetime.now() + datetime.timedelta(days=21, hours=1)  # noqa: DTZ005 - as above
        assert not default_token_generator.check_token(user, token)
    assert settings.INVITATION_VALID_DAYS == 21


def test_the_invitation_form_cleans_the_invited_persons_name(db):
    form = InvitePersonForm(
        data={"full_name": "\u202eKumari Perera", "email": "kumari@npo.example"}, with_country=False
    )
    assert form.is_valid(), form.errors
    assert form.cleaned_data["full_name"] == "Kumari Perera"
    blank = InvitePersonForm(data={"full_name": "\ufeff\u200b", "email": "kumari@npo.example"}, with_country=False)
    assert not blank.is_valid()
    assert "no visible letters" in blank.errors["full_name"][0]
