"""A tiny SMTP server for tests (the standard library's socketserver; no aiosmtpd needed).

It speaks enough SMTP for Django's SMTP backend (EHLO/HELO, MAIL, RCPT, DATA, RSET, NOOP, QUIT),
keeps every accepted message's bytes in `messages`, and refuses the next `refusals` messages
with a temporary error (451) at the end of DATA, as a busy server does.

`stall_next` holds the next connection, so a test can kill the sender while it waits:
"greeting" before the server's 220 (nothing is sent yet), "reply" after the message is stored
and before its final 250 (the server has it; the sender does not know). `stalled` is set when a
connection is held; `release` lets it go on.
"""

import contextlib
import email
import email.policy
import socketserver
import threading


class _Handler(socketserver.StreamRequestHandler):
    def reply(self, line):
        self.wfile.write(line.encode() + b"\r\n")

    def handle(self):
        with contextlib.suppress(OSError):  # the sender went away (a killed worker)
            self.converse()

    def hold(self, stage):
        sink = self.server.sink
        with sink.lock:
            if sink.stall_next != stage:
                return
            sink.stall_next = None
        sink.stalled.set()
        sink.release.wait(timeout=120)

    def converse(self):
        sink = self.server.sink
        self.hold("greeting")
        self.reply("220 sink.test ESMTP")
        while True:
            line = self.rfile.readline()
            if not line:
                return
            command = line.decode("utf-8", "replace").strip().upper()
            if command.startswith("EHLO"):
                self.wfile.write(b"250-sink.test\r\n250-8BITMIME\r\n250 SMTPUTF8\r\n")
            elif command.startswith(("HELO", "MAIL", "RCPT", "RSET", "NOOP")):
                self.reply("250 OK")
            elif command == "DATA":
                self.reply("354 End data with <CR><LF>.<CR><LF>")
                data = []
                while (chunk := self.rfile.readline()) not in (b".\r\n", b""):
                    data.append(chunk[1:] if chunk.startswith(b"..") else chunk)
                with sink.lock:
                    refuse = sink.refusals > 0
                    if refuse:
                        sink.refusals -= 1
                        sink.refused += 1
                    else:
                        sink.messages.append(b"".join(data))
                if refuse:
                    self.reply("451 Try again later")
                    continue
                self.hold("reply")
                self.reply("250 Queued")
            elif command == "QUIT":
                self.reply("221 Bye")
                return
            else:
                self.reply("502 Not implemented")


class _Server(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True


class SmtpSink:
    def __init__(self):
        self.lock = threading.Lock()
        self.messages = []
        self.refusals = 0
        self.refused = 0
        self.stall_next = None
        self.stalled = threading.Event()
        self.release = threading.Event()
        self._server = _Server(("127.0.0.1", 0), _Handler)
        self._server.sink = self
        self.port = self._server.server_address[1]
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self.release.set()
        self._server.shutdown()
        self._server.server_close()

    def parsed(self):
        with self.lock:
            return [email.message_from_bytes(m, policy=email.policy.default) for m in self.messages]

    def mailers(self):
        """The MAILERS setting that sends here."""
        return {
            "default": {
                "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
                "OPTIONS": {"host": "127.0.0.1", "port": self.port, "timeout": 5},
            }
        }
