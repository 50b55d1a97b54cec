"""What must hold after the round: certificates, PDFs, e-mails, log lines."""

import email
import email.policy
import re
import subprocess

from django.db.models import Count

from apopms.enums import OutboxStatus
from apopms.models import OutboxMessage
from certificates.models import Certificate
from sessions.selectors import participants_attended_every_session

LINE = r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z (DEBUG|INFO|WARNING|ERROR|CRITICAL) %s \S+: "


def one_live_certificate_each(project):
    eligible = set(participants_attended_every_session(project).values_list("pk", flat=True))
    live = Certificate.objects.live().filter(project=project)
    per_participant = dict(live.values("participant_id").annotate(n=Count("pk")).values_list("participant_id", "n"))
    problems = [
        f"participant {pk} holds {per_participant.get(pk, 0)}" for pk in eligible if per_participant.get(pk) != 1
    ]
    problems += [f"participant {pk} is not eligible" for pk in per_participant if pk not in eligible]
    return len(eligible), live.count(), problems


def pdf_opens(path):
    out = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=False)
    return out.returncode == 0 and re.search(r"^Pages:\s+1$", out.stdout, re.M) is not None


def outbox_done():
    return not OutboxMessage.objects.exclude(status=OutboxStatus.SENT).exists()


def mail_delivered(sink):
    """(outbox rows, deliveries, distinct Message-IDs, problems)."""
    rows = dict(OutboxMessage.objects.values_list("message_id", "recipient"))
    received = []
    for raw in list(sink.messages):
        message = email.message_from_bytes(raw, policy=email.policy.default)
        ids = message.get_all("Message-ID") or []
        received.append((ids[0].strip() if len(ids) == 1 else None, message["To"]))
    problems = [f"a message with {len(m)} Message-ID headers" for m, _ in received if m is None]
    seen = {m for m, _ in received if m}
    problems += [f"{rows[m]} never got {m}" for m in rows if m not in seen]
    problems += [f"{m} is not in the outbox" for m in seen if m not in rows]
    bad_status = OutboxMessage.objects.exclude(status=OutboxStatus.SENT).count()
    if bad_status:
        problems.append(f"{bad_status} outbox rows not sent")
    return len(rows), len(received), len(seen), problems


def log_lines(text, kind):
    """How many lines of a process's output are events in the one-line format, naming `kind`."""
    return len(re.findall(LINE % re.escape(kind), text, re.M))


def tasks_succeeded(text, task="certificates.tasks.issue_one"):
    return len(re.findall(rf"Task {re.escape(task)}\[[^\]]+\] succeeded", text))
