"""The development mailer: e-mails printed to the console as a person reads them.

Django's console backend prints the wire format, where non-ASCII text is quoted-printable
(`=E0=A4=86`) and headers RFC 2047-encoded. This one prints the decoded headers and each
part as UTF-8 text (8bit), so a developer reads "आशा राव" and "D'Souza & Co" as sent.
"""

import email
import email.policy

from django.core.mail.backends.console import EmailBackend as ConsoleBackend

HEADERS = ("From", "To", "Cc", "Reply-To", "Subject", "Date", "Message-ID")


class EmailBackend(ConsoleBackend):
    def write_message(self, message):
        parsed = email.message_from_bytes(message.message().as_bytes(), policy=email.policy.default)
        lines = [f"{name}: {parsed[name]}" for name in HEADERS if parsed[name]]
        for part in parsed.walk():
            if part.is_multipart():
                continue
            lines.append("")
            lines.append(f"[{part.get_content_type()}; charset=utf-8; 8bit]")
            lines.append(part.get_content().rstrip("\n"))
        self.stream.write("\n".join(lines) + "\n")
        self.stream.write("-" * 79 + "\n")
