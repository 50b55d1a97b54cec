"""Single use under concurrency: row locks make two simultaneous acceptances or invitations safe."""

import pytest

from apopms import services
from apopms.enums import InvitationPurpose
from apopms.exceptions import DomainError
from apopms.models import AuditEntry, Invitation, User
from tests import factories
from tests.concurrency import run_together


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_an_invitation_link_is_accepted_once_even_at_the_same_instant():
    secretariat = factories.secretariat_user()
    invitation = services.invite_user(
        actor=secretariat,
        email="kumari@npo.example",
        full_name="Kumari",
        purpose=InvitationPurpose.NPO_OFFICER,
        country=factories.country("LK"),
    )
    token = services.invitation_token(invitation)
    passwords = [f"a long passphrase number {i}" for i in range(4)]
    jobs = [lambda p=p: services.accept_invitation(token=token, password=p) for p in passwords]
    results, errors = run_together(jobs)
    assert len(results) == 1
    assert len(errors) == 3 and all(isinstance(e, DomainError) and "already used" in e.message for e in errors)
    assert AuditEntry.objects.filter(action="apopms.invitation.accepted").count() == 1
    user = User.objects.get(email="kumari@npo.example")
    assert sum(user.check_password(p) for p in passwords) == 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_simultaneous_invitations_of_one_address_make_one_account():
    secretariat = factories.secretariat_user()
    officer = factories.npo_officer("LK")

    def invite(actor_pk):
        def job():
            actor = User.objects.get(pk=actor_pk)
            return services.invite_user(
                actor=actor,
                email="New.Colleague@nps.example",
                full_name="New colleague",
                purpose=InvitationPurpose.NPO_OFFICER,
                country=factories.country("LK"),
            )

        return job

    results, errors = run_together([invite(secretariat.pk), invite(officer.pk), invite(secretariat.pk)])
    assert errors == []
    assert User.objects.filter(email__iexact="new.colleague@nps.example").count() == 1
    # Whoever lost the race got the winner's pending invitation: one account, one link, one e-mail.
    assert len({invitation.pk for invitation in results}) == 1
    assert Invitation.objects.filter(user__email="new.colleague@nps.example").count() == 1
