"""A person's data as a readable PDF: asked for in a web request, made by the worker, served from storage.

No web request renders a PDF (docs/architecture.md "PDFs"). Asking (the Secretariat for anyone,
a participant for themself) audits the export and queues `workspace.tasks.render_person_pdf` with
an opaque token. The e-mail stays in the token's cache entry: never in an address, a task's
arguments or a log line, and only until the worker has rendered the PDF (or failed to). The entry
holds the state the waiting page shows (queued, rendering, ready, failed), who asked (only they may
download it) and the stored file's name. The file is set
by the shared pipeline (`apopms.pdf`: only the fonts its characters need) from the same data as
the JSON export (`workspace.personal_data.person_data`), and deleted by the daily retention run
once a day old (`sweep`).
"""

import datetime
import json
import logging
import secrets
import textwrap

from django.apps import apps
from django.core.cache import cache
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.utils import timezone
from django.utils.text import capfirst

from apopms import pdf as pipeline

from . import personal_data

logger = logging.getLogger(__name__)

TEMPLATE = "workspace/person_data_pdf.html"
FOLDER = "private/personal-data"
KEEP = datetime.timedelta(days=1)
QUEUED, RENDERING, READY, FAILED = "queued", "rendering", "ready", "failed"
WIDTH = 80  # characters per line of a value


def _key(token):
    return f"workspace:person-pdf:{token}"


def request_pdf(*, email, actor, scope):
    """Audit the export and queue its PDF; the token of the waiting page (`workspace:person_data_pdf`)."""
    from .tasks import render_person_pdf  # noqa: PLC0415 - tasks imports this module

    email = (email or "").strip()
    token = secrets.token_urlsafe(18)
    cache.set(_key(token), {"email": email, "owner": actor.pk, "state": QUEUED, "file": ""}, KEEP.total_seconds())
    personal_data.record_export(email=email, actor=actor, scope=scope, fmt="pdf")
    transaction.on_commit(lambda: render_person_pdf.delay(token=token))
    return token


def status(token, user):
    """The token's entry if `user` asked for it, else None (another person learns nothing)."""
    entry = cache.get(_key(token)) if token else None
    if entry is None or user is None or entry["owner"] != user.pk:
        return None
    return entry


def _wrapped(text):
    """`text` in lines of at most WIDTH characters, long words cut: set as they are (white-space:
    pre-wrap), because asking the layout to find break points in a long unbroken value (a programme's
    snapshot, an e-mail's HTML) costs it a minute."""
    lines = []
    for line in text.splitlines() or [""]:
        lines += textwrap.wrap(line, WIDTH, break_on_hyphens=False, replace_whitespace=False) or [""]
    return "\n".join(lines)


def _text(value):
    if value in (None, "", [], {}):
        return "—"
    if isinstance(value, datetime.datetime):
        return value.isoformat(timespec="seconds")
    if isinstance(value, list | dict):
        return _wrapped(json.dumps(value, cls=DjangoJSONEncoder, ensure_ascii=False))
    return _wrapped(str(value))


def pdf_context(data):
    """Plain data for the template: each model's rows as (field, text) pairs, under the model's name."""
    sections = []
    for label, rows in data["records"].items():
        app_label, model_name = label.split(".")
        model = apps.get_model(app_label, model_name)
        fields = {f.name: capfirst(str(getattr(f, "verbose_name", f.name))) for f in model._meta.get_fields()}
        sections.append(
            {
                "title": capfirst(str(model._meta.verbose_name_plural)),
                "label": label,
                "rows": [[(fields.get(name, name), _text(value)) for name, value in row.items()] for row in rows],
            }
        )
    return {"email": data["email"], "generated_at": _text(data["generated_at"]), "sections": sections}


def render_person_pdf(email):
    """The PDF bytes of everything held about `email` (the pure part: data in, bytes out)."""
    return pipeline.render_pdf(TEMPLATE, pdf_context(personal_data.person_data(email)))


def render(token):
    """The worker's part: render the token's PDF, store it, and mark the entry ready (or failed)."""
    entry = cache.get(_key(token))
    if entry is None or entry["state"] == READY:
        return None
    cache.set(_key(token), {**entry, "state": RENDERING}, KEEP.total_seconds())
    try:
        content = render_person_pdf(entry["email"])
        name = default_storage.save(f"{FOLDER}/{token}.pdf", ContentFile(content))
    except Exception:
        logger.exception("The PDF of a person's data could not be made")
        cache.set(_key(token), {**_without_email(entry), "state": FAILED}, KEEP.total_seconds())
        raise
    cache.set(_key(token), {**_without_email(entry), "state": READY, "file": name}, KEEP.total_seconds())
    return len(content)


def _without_email(entry):
    """The entry once the e-mail has served: it is not kept for the day the entry lives."""
    return {key: value for key, value in entry.items() if key != "email"}


def sweep(now=None):
    """Delete the stored PDFs older than `KEEP`; how many went."""
    now = now or timezone.now()
    try:
        _dirs, files = default_storage.listdir(FOLDER)
    except FileNotFoundError:
        return 0
    gone = 0
    for name in files:
        path = f"{FOLDER}/{name}"
        if now - default_storage.get_modified_time(path) >= KEEP:
            default_storage.delete(path)
            gone += 1
    return gone
