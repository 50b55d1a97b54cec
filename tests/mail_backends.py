"""Mail backends for tests: SMTP is outside the machine, so its refusals are simulated here."""

import smtplib

from django.core import mail
from django.core.mail.backends.locmem import EmailBackend as LocmemBackend


class RefusingBackend(LocmemBackend):
    """Refuses the next `refusals` messages (a 451 from the server), then delivers to mail.outbox."""

    refusals = 0

    def send_messages(self, messages):
        if RefusingBackend.refusals > 0:
            RefusingBackend.refusals -= 1
            raise smtplib.SMTPDataError(451, b"Try again later")
        return super().send_messages(messages)


def delivered():
    return list(mail.outbox)
