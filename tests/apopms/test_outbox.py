"""The outbox: rows written with the change, sent after commit, swept when the task was lost."""

import datetime
import email
import email.policy

import pytest
import time_machine
from django.core import mail
from django.db import transaction
from django.urls import reverse

from apopms import mail as outbox
from apopms.enums import OutboxCause, OutboxStatus
from apopms.models import OutboxMessage
from tests import factories
from tests.mail_backends import RefusingBackend

pytestmark = pytest.mark.django_db

T0 = datetime.datetime(2026, 3, 2, 9, 0, tzinfo=datetime.UTC)
REFUSING = {"default": {"BACKEND": "tests.mail_backends.RefusingBackend"}}


def queue(project, *, recipient="anita@example.org", key=None, **extra):
    return outbox.queue_email(
        project=project,
        cause=OutboxCause.ACKNOWLEDGEMENT,
        recipient=recipient,
        subject=extra.pop("subject", "Nomination received: Anita D'Souza & Co"),
        text=extra.pop("text", "Dear Anita,\n\nSee https://portal.example/n/1/\n"),
        key=key,
        **extra,
    )


def test_a_row_is_written_with_the_change_and_sent_after_commit(django_capture_on_commit_callbacks):
    project = factories.ProjectFactory(contact_email="psp@apo-tokyo.org")
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        message = queue(project)
        assert mail.outbox == []
    message.refresh_from_db()
    assert (message.status, message.attempts, len(mail.outbox)) == (OutboxStatus.SENT, 1, 1)
    sent = mail.outbox[0]
    assert sent.subject == "Nomination received: Anita D'Souza & Co"
    assert sent.reply_to == ["psp@apo-tokyo.org"]
    assert sent.extra_headers["Message-ID"] == message.message_id


def test_a_rolled_back_change_leaves_no_row_and_sends_nothing(django_capture_on_commit_callbacks):
    project = factories.ProjectFactory()
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError), transaction.atomic():
        queue(project)
        raise RuntimeError
    assert (OutboxMessage.objects.count(), mail.outbox) == (0, [])


def test_the_message_is_multipart_with_rfc2047_headers_and_a_site_message_id(
    settings, django_capture_on_commit_callbacks
):
    settings.SITE_URL = "https://apopms.apo-tokyo.org"
    project = factories.ProjectFactory()
    with django_capture_on_commit_callbacks(execute=True):
        queue(
            project,
            recipient="ravi@example.org",
            recipient_name="रवि शर्मा, Jr.",
            subject="Sélection: श्रीलंका & Co",
            text="Dear Ravi\n",
        )
    raw = mail.outbox[0].message().as_bytes()
    parsed = email.message_from_bytes(raw, policy=email.policy.default)
    headers = raw.split(b"\n\n", 1)[0]
    assert b"=?utf-8?" in headers.lower() and "श्रीलंका".encode() not in headers and "रवि".encode() not in headers
    assert parsed["Subject"] == "Sélection: श्रीलंका & Co"
    assert parsed["To"].addresses[0].display_name == "रवि शर्मा, Jr."
    assert parsed["To"].addresses[0].addr_spec == "ravi@example.org"
    assert mail.outbox[0].recipients() == ["ravi@example.org"]
    assert parsed["Message-ID"].endswith("@apopms.apo-tokyo.org>")
    assert [p.get_content_type() for p in parsed.iter_parts()] == ["text/plain", "text/html"]
    assert "Dear Ravi" in parsed.get_body(("html",)).get_content()


def test_subjects_and_text_are_never_html_escaped(django_capture_on_commit_callbacks):
    project = factories.ProjectFactory(title="Anita D'Souza & Co")
    with django_capture_on_commit_callbacks(execute=True):
        outbox.queue_email(
            project=project,
            cause=OutboxCause.NOTIFICATION_ISSUED,
            recipient="a@example.org",
            template="apopms/email/notification_issued",
            context={"project": project, "revision": None, "project_url": "https://x.example/p/"},
        )
    assert "Anita D'Souza & Co" in mail.outbox[0].subject
    assert "&#x27;" not in mail.outbox[0].body and "&amp;" not in mail.outbox[0].body


def test_the_same_key_is_queued_once(django_capture_on_commit_callbacks):
    project = factories.ProjectFactory()
    with django_capture_on_commit_callbacks(execute=True):
        first = queue(project, key="ack:1")
        second = queue(project, key="ack:1")
    assert (first is not None, second, OutboxMessage.objects.count(), len(mail.outbox)) == (True, None, 1, 1)


def test_a_refused_message_is_retried_by_the_sweep_with_backoff_and_delivered_once(
    settings, django_capture_on_commit_callbacks
):
    settings.MAILERS = REFUSING
    RefusingBackend.refusals = 2
    project = factories.ProjectFactory()
    with time_machine.travel(T0, tick=False) as clock:
        with django_capture_on_commit_callbacks(execute=True):
            message = queue(project)
        message.refresh_from_db()
        assert (message.status, message.attempts, message.last_error) == (
            OutboxStatus.PENDING,
            1,
            "SMTPDataError: (451, b'Try again later')",
        )
        assert outbox.sweep() == 0  # not due yet: one minute of backoff
        clock.shift(datetime.timedelta(minutes=1))
        assert outbox.sweep() == 1  # refused again: two minutes now
        clock.shift(datetime.timedelta(minutes=1))
        assert outbox.sweep() == 0
        clock.shift(datetime.timedelta(minutes=1))
        assert outbox.sweep() == 1
        assert outbox.sweep() == 0
    message.refresh_from_db()
    assert (message.status, message.attempts, len(mail.outbox)) == (OutboxStatus.SENT, 3, 1)


def test_a_message_refused_at_every_attempt_is_marked_failed(settings, django_capture_on_commit_callbacks):
    settings.MAILERS = REFUSING
    RefusingBackend.refusals = 100
    project = factories.ProjectFactory()
    with time_machine.travel(T0, tick=False) as clock:
        with django_capture_on_commit_callbacks(execute=True):
            message = queue(project)
        for _ in range(outbox.max_attempts()):
            clock.shift(datetime.timedelta(hours=1))
            outbox.sweep()
    message.refresh_from_db()
    RefusingBackend.refusals = 0
    assert (message.status, message.attempts, mail.outbox) == (OutboxStatus.FAILED, outbox.max_attempts(), [])


def test_a_lost_task_is_sent_by_the_sweep_a_few_minutes_later():
    """No after-commit callback runs (the broker was down): the sweep sends the row once it is due."""
    project = factories.ProjectFactory()
    with time_machine.travel(T0, tick=False) as clock:
        message = queue(project)
        assert outbox.sweep() == 0
        clock.shift(outbox.sweep_after())
        assert outbox.sweep() == 1
    message.refresh_from_db()
    assert (message.status, len(mail.outbox)) == (OutboxStatus.SENT, 1)


def test_a_leased_row_is_left_to_its_sender_until_the_lease_ends():
    project = factories.ProjectFactory()
    with time_machine.travel(T0, tick=False) as clock:
        message = queue(project)
        clock.shift(outbox.sweep_after())
        assert outbox.claim(OutboxMessage.objects.all()) == [message.pk]  # a sender that then dies
        assert outbox.sweep() == 0
        clock.shift(outbox.lease() + datetime.timedelta(seconds=1))
        assert outbox.sweep() == 1
    message.refresh_from_db()
    assert (message.status, message.attempts, len(mail.outbox)) == (OutboxStatus.SENT, 2, 1)


def test_held_messages_stay_in_the_outbox_unsent(django_capture_on_commit_callbacks):
    project = factories.ProjectFactory()
    with django_capture_on_commit_callbacks(execute=True), outbox.held():
        message = queue(project)
    assert (message.status, mail.outbox, outbox.sweep()) == (OutboxStatus.HELD, [], 0)


def test_the_secretariat_sets_the_projects_contact_and_replies_reach_it(
    client, secretariat, django_capture_on_commit_callbacks
):
    project = factories.ProjectFactory()
    client.force_login(secretariat)
    form = client.get(reverse("project_edit", kwargs={"code": project.code})).context["form"]
    data = {
        name: value for name, value in form.initial.items() if value is not None and name != "participating_countries"
    }
    data |= {
        "participating_countries": [c.pk for c in project.participating_countries.all()],
        "contact_email": "psp@apo-tokyo.org",
        "topics": form.initial.get("topics", ""),
    }
    client.post(reverse("project_edit", kwargs={"code": project.code}), data)
    project.refresh_from_db()
    assert project.contact_email == "psp@apo-tokyo.org"
    with django_capture_on_commit_callbacks(execute=True):
        queue(project)
    assert mail.outbox[0].reply_to == ["psp@apo-tokyo.org"]
