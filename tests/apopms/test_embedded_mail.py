"""The embedded default (no broker, console e-mail): quiet and readable."""

import io
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.mail import EmailMultiAlternatives

from apopms.console_mail import EmailBackend as ConsoleBackend

ROOT = Path(__file__).resolve().parents[2]
PROBE = (
    "import django; django.setup(); from apopms.celery import app; from django.conf import settings; "
    "c = app.connection_for_write(); c._info(); c.release(); print(settings.MAILERS['default']['BACKEND'])"
)


def test_the_embedded_broker_does_not_warn_about_localhost_and_the_console_prints_utf8():
    out = subprocess.run(
        [sys.executable, "-c", PROBE],
        cwd=ROOT,
        env={"DJANGO_SETTINGS_MODULE": "apopms.settings", "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        check=True,
    )
    assert "No hostname was supplied" not in out.stderr + out.stdout
    assert out.stdout.strip().splitlines()[-1] == "apopms.console_mail.EmailBackend"


@pytest.mark.django_db
def test_the_console_shows_decoded_headers_and_utf8_text_not_quoted_printable():
    stream = io.StringIO()
    message = EmailMultiAlternatives(
        "Nomination received: Anita D'Souza & Co, आशा राव",
        "Dear आशा राव,\nwelcome.\n",
        "APO <no-reply@apo.example>",
        ["asha@example.org"],
    )
    message.attach_alternative("<p>Dear आशा राव</p>", "text/html")
    ConsoleBackend(stream=stream).send_messages([message])
    printed = stream.getvalue()
    assert "Subject: Nomination received: Anita D'Souza & Co, आशा राव" in printed
    assert "Dear आशा राव,\nwelcome." in printed
    assert "<p>Dear आशा राव</p>" in printed
    assert "=E0" not in printed and "=?utf-8?" not in printed
