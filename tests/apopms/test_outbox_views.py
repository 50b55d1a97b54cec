"""The Secretariat's outbox pages: filters, a message as sent, resending; permissions; query counts."""

import pytest
from django.core import mail
from django.urls import reverse

from apopms import mail as outbox
from apopms import services
from apopms.enums import InvitationPurpose, OutboxCause, OutboxStatus
from apopms.models import AuditEntry, OutboxMessage
from apopms.selectors import failed_count
from tests import factories
from tests.permissions import LOGIN, assert_matrix, role_users

pytestmark = pytest.mark.django_db


def write(project, *, recipient="anita@example.org", status=OutboxStatus.SENT, cause=OutboxCause.ACKNOWLEDGEMENT):
    message = outbox.queue_email(
        project=project,
        cause=cause,
        recipient=recipient,
        subject=f"Nomination received: D'Souza & Co for {recipient}",
        text="Dear Anita,\n\nhttps://portal.example/x/\n",
    )
    OutboxMessage.objects.filter(pk=message.pk).update(status=status, last_error="SMTPDataError: 451")
    return message


@pytest.mark.parametrize(
    "url_name",
    ["outbox", "project_outbox", "outbox_message", "outbox_message_html"],
)
def test_only_the_secretariat_sees_the_outbox(client, project, url_name):
    message = write(project)
    users = role_users(project)
    kwargs = {"outbox": {}, "project_outbox": {"code": project.code}}.get(url_name, {"pk": message.pk})
    expected = dict.fromkeys(users, 403) | {"anonymous": LOGIN, "secretariat": 200}
    assert_matrix(client, reverse(url_name, kwargs=kwargs), users, expected)


def test_only_the_secretariat_resends(client, project):
    message = write(project)
    users = role_users(project)
    expected = dict.fromkeys(users, 403) | {"anonymous": LOGIN, "secretariat": 302}
    assert_matrix(client, reverse("outbox_resend", kwargs={"pk": message.pk}), users, expected, method="post")


def test_the_outbox_filters_by_cause_status_and_recipient_and_failed_ones_stand_out(client, project, secretariat):
    write(project, recipient="anita@example.org")
    write(project, recipient="ravi@example.org", status=OutboxStatus.FAILED)
    write(project, recipient="yuki@example.org", cause=OutboxCause.SELECTION_RESULTS)
    write(factories.ProjectFactory(), recipient="elsewhere@example.org")
    client.force_login(secretariat)
    url = reverse("project_outbox", kwargs={"code": project.code})
    page = client.get(url).content.decode()
    assert "elsewhere@example.org" not in page and "yuki@example.org" in page
    assert "1 message failed" in page
    assert 'class="table-danger"' in page
    assert "Nomination received: D&#x27;Souza &amp; Co for ravi@example.org" in page
    assert "yuki@example.org" not in client.get(url, {"cause": "acknowledgement"}).content.decode()
    failed = client.get(url, {"status": "failed"}).content.decode()
    assert "ravi@example.org" in failed and "anita@example.org" not in failed
    assert "anita@" in client.get(url, {"recipient": "ANITA"}).content.decode()
    assert "elsewhere@example.org" in client.get(reverse("outbox")).content.decode()
    assert failed_count(project) == 1


def test_a_message_is_shown_as_sent_its_html_in_a_sandboxed_frame_with_a_strict_policy(client, project, secretariat):
    message = write(project)
    client.force_login(secretariat)
    page = client.get(reverse("outbox_message", kwargs={"pk": message.pk})).content.decode()
    assert f'sandbox src="{reverse("outbox_message_html", kwargs={"pk": message.pk})}"' in page
    assert "Dear Anita," in page
    # The project's tabs, as on its outbox list.
    assert 'class="project-nav' in page
    html = client.get(reverse("outbox_message_html", kwargs={"pk": message.pk}))
    assert html["Content-Security-Policy"] == (
        "default-src 'none'; style-src 'unsafe-inline'; img-src data:; frame-ancestors 'self'; "
        "form-action 'none'; base-uri 'none'"
    )
    assert html["X-Frame-Options"] == "SAMEORIGIN"
    assert "Dear Anita," in html.content.decode()


def test_an_invitations_link_is_masked_and_resending_issues_a_new_link(
    client, secretariat, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        invitation = services.invite_user(
            actor=secretariat,
            email="kumari@npo.example",
            full_name="Kumari Perera",
            purpose=InvitationPurpose.NPO_OFFICER,
            country=factories.country("LK"),
        )
    message = OutboxMessage.objects.get(invitation=invitation)
    client.force_login(secretariat)
    page = client.get(reverse("outbox_message", kwargs={"pk": message.pk})).content.decode()
    assert invitation.token() not in page and outbox.LINK_PLACEHOLDER in page
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("outbox_resend", kwargs={"pk": message.pk}))
    invitation.refresh_from_db()
    assert invitation.voided_at is not None
    new = OutboxMessage.objects.exclude(pk=message.pk).get()
    assert response.url == reverse("outbox_message", kwargs={"pk": new.pk})
    assert (new.status, new.invitation.replaced_by, len(mail.outbox)) == (OutboxStatus.SENT, None, 2)
    assert new.invitation.token() in mail.outbox[1].body


def test_resending_a_failed_message_writes_a_new_row_and_is_audited(
    client, project, secretariat, django_capture_on_commit_callbacks
):
    message = write(project, status=OutboxStatus.FAILED)
    client.force_login(secretariat)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("outbox_resend", kwargs={"pk": message.pk}))
    new = OutboxMessage.objects.exclude(pk=message.pk).get()
    assert (new.status, new.subject, new.message_id != message.message_id) == (
        OutboxStatus.SENT,
        message.subject,
        True,
    )
    assert OutboxMessage.objects.get(pk=message.pk).status == OutboxStatus.FAILED
    assert AuditEntry.objects.filter(action="apopms.outbox.resent").count() == 1
    assert [m.to for m in mail.outbox] == [["anita@example.org"]]


def test_a_pending_message_is_not_resent(client, project, secretariat):
    message = write(project, status=OutboxStatus.PENDING)
    client.force_login(secretariat)
    response = client.post(reverse("outbox_resend", kwargs={"pk": message.pk}), follow=True)
    assert "still being sent" in response.content.decode()
    assert OutboxMessage.objects.count() == 1


@pytest.mark.parametrize("size", [1, 3])
def test_the_outbox_page_costs_the_same_queries_at_any_size(
    client, project, secretariat, size, django_assert_num_queries
):
    for i in range(size):
        write(project, recipient=f"p{i}@example.org", status=OutboxStatus.FAILED)
        write(factories.ProjectFactory(), recipient=f"o{i}@example.org")
    client.force_login(secretariat)
    # The request's own (session, user, the nav's roles), then the project, the page's count and
    # rows, the failed count; overall the same without the project.
    with django_assert_num_queries(7):
        client.get(reverse("project_outbox", kwargs={"code": project.code}))
    with django_assert_num_queries(6):
        client.get(reverse("outbox"))


def test_the_admin_lists_the_outbox_read_only_with_links_masked(client, django_capture_on_commit_callbacks):
    admin_user = factories.secretariat_user(is_staff=True, is_superuser=True)
    with django_capture_on_commit_callbacks(execute=True):
        invitation = services.invite_user(
            actor=admin_user,
            email="kumari@npo.example",
            full_name="Kumari Perera",
            purpose=InvitationPurpose.NPO_OFFICER,
            country=factories.country("LK"),
        )
    message = OutboxMessage.objects.get(invitation=invitation)
    client.force_login(admin_user)
    changelist = reverse("admin:apopms_outboxmessage_changelist")
    listed = client.get(changelist, {"q": "kumari", "status__exact": message.status, "cause__exact": message.cause})
    assert listed.status_code == 200 and list(listed.context["cl"].result_list) == [message]
    assert list(client.get(changelist, {"q": "nobody@else"}).context["cl"].result_list) == []
    page = client.get(reverse("admin:apopms_outboxmessage_change", args=[message.pk])).content.decode()
    assert invitation.token() not in page and outbox.LINK_PLACEHOLDER in page
    assert 'name="body_text"' not in page and 'name="subject"' not in page  # nothing to edit
    assert client.get(reverse("admin:apopms_outboxmessage_add")).status_code == 403
    assert (
        client.post(reverse("admin:apopms_outboxmessage_delete", args=[message.pk]), {"post": "yes"}).status_code == 403
    )
    assert OutboxMessage.objects.filter(pk=message.pk).exists()


def test_the_invitation_admin_reads_sent_from_the_outbox(client, django_capture_on_commit_callbacks):
    admin_user = factories.secretariat_user(is_staff=True, is_superuser=True)
    invite = {"actor": admin_user, "purpose": InvitationPurpose.NPO_OFFICER, "country": factories.country("LK")}
    with django_capture_on_commit_callbacks(execute=True):
        services.invite_user(email="sent@npo.example", full_name="Sent Person", **invite)
    services.invite_user(email="waiting@npo.example", full_name="Waiting Person", **invite)  # not sent yet
    client.force_login(admin_user)
    listed = client.get(reverse("admin:apopms_invitation_changelist"))
    sent = {i.user.email: i.sent_at for i in listed.context["cl"].result_list}
    row = OutboxMessage.objects.get(recipient="sent@npo.example")
    assert sent == {"sent@npo.example": row.sent_at, "waiting@npo.example": None}
    assert "E-mail sent" in listed.content.decode()
