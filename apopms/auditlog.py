"""The audit trail read as sentences: "Aiko Tanaka issued certificate 22-PSP-DMC-0007 to Ravi Kumar."

Every kind of entry the portal records (`apopms.audit.record`) has a sentence here: the core's
below, each higher app's in its `audit_sentences.py`, registered from its AppConfig.ready (the
core names no higher app). `tests/apopms/test_auditlog.py` reads every `record(...)` call of the
portal's source and fails for a kind without one.

A sentence is a format string or a function of the entry's values: `actor` (the person's name, or
"The portal" for the system), `name` (what the entry is about, as it was called then), `project`
(its code) and every detail the entry recorded, a list read as "a, b, c" and a missing detail as "".
"""

import re

from .enums import Role

_SENTENCES = {}
SYSTEM = "The portal"


class Values(dict):
    """An entry's values for a sentence; a detail it did not record reads as ""."""

    def __missing__(self, key):
        return ""


def register(sentences):
    """`sentences`: {action: (label of the kind, sentence)}; the label names the kind in the filter."""
    for action, (label, sentence) in sentences.items():
        _SENTENCES[action] = (label, sentence)


def kinds():
    """[(action, label)] of every kind with a sentence, by label."""
    return sorted(((action, label) for action, (label, _) in _SENTENCES.items()), key=lambda kind: kind[1])


def has_sentence(action):
    return action in _SENTENCES


def label(action):
    return _SENTENCES.get(action, (action, None))[0]


def person(user):
    """How the trail names a person: their name, else their e-mail; the system when nobody."""
    if user is None:
        return SYSTEM
    return user.full_name or user.email


_TRAILING_REF = re.compile(r"\s+\([^()]*\)$")


def plain_name(object_repr):
    """The object's name without the ids `__str__` adds: 'Ravi Kumar (LK, 12)' -> 'Ravi Kumar'."""
    return _TRAILING_REF.sub("", object_repr or "")


def _text(value):
    if isinstance(value, (list, tuple)):
        return ", ".join(_text(v) for v in value)
    if value is None or value is False:
        return ""
    if value is True:
        return "yes"
    return str(value).replace("_", " ") if isinstance(value, str) and re.fullmatch(r"[a-z_]+", value) else str(value)


def values(entry):
    found = Values({key: _text(value) for key, value in (entry.details or {}).items()})
    found["raw"] = entry.details or {}
    found["actor"] = person(entry.actor)
    found["object"] = entry.object_repr
    found["name"] = plain_name(entry.object_repr)
    found["project"] = entry.project.code if entry.project_id and entry.project else ""
    return found


def describe(entry):
    """The entry as one sentence, ending with a full stop."""
    _, sentence = _SENTENCES.get(entry.action, (None, None))
    found = values(entry)
    if sentence is None:
        text = f"{found['actor']} did “{entry.action}” to {found['object'] or 'the project'}"
    elif callable(sentence):
        text = sentence(found)
    else:
        text = sentence.format_map(found)
    text = " ".join(text.split())
    return text if text.endswith((".", "!", "?")) else f"{text}."


def when(condition, text):
    """`text` if `condition`, else "" (for the optional parts of a sentence)."""
    return text if condition else ""


def role(value):
    """'npo_officer' -> 'NPO officer'."""
    try:
        return Role(value).label
    except ValueError:
        return str(value).replace("_", " ")


def _country(v):
    return f" for {v['country']}" if v["country"] else ""


def _deadline(v):
    reason = f" ({v['reason']})" if v["reason"] else ""
    return f"{v['actor']} extended the nomination deadline of {v['project']}{reason}"


register(
    {
        "apopms.project.created": ("Project created", "{actor} created project {code} as a draft"),
        "apopms.project.updated": ("Project edited", "{actor} changed {fields} of {project}"),
        "apopms.project.retention_set": (
            "Retention set",
            "{actor} set the retention of personal data of {project} (hold: {purge_hold_reason})",
        ),
        "apopms.project.cloned": ("Project cloned", "{actor} created {project} as a new edition of {source}"),
        "apopms.project.revised": (
            "Notification revised",
            "{actor} published revision {revision} of the notification of {project} ({clauses})",
        ),
        "apopms.project.notification_issued": (
            "Notification issued",
            "{actor} issued the notification of {project}: its public page went up and the NPOs were told",
        ),
        "apopms.project.nominations_opened": ("Nominations opened", "{actor} opened nominations for {project}"),
        "apopms.project.nominations_closed": ("Nominations closed", "{actor} closed nominations for {project}"),
        "apopms.project.deadline_extended": ("Deadline extended", _deadline),
        "apopms.project.attendance_share_set": (
            "Minimum attendance changed",
            lambda v: (
                f"{v['actor']} set the minimum attendance of {v['project']} to {v['share']} "
                f"(was {v['previous']}); {v['participants_changed'] or 0} participant(s) changed"
            ),
        ),
        "apopms.invitation.created": (
            "Invitation sent",
            lambda v: f"{v['actor']} invited {v['email']} as {role(v['raw'].get('role') or v['purpose'])}{_country(v)}",
        ),
        "apopms.invitation.resent": ("Invitation resent", "{actor} sent {email} a new invitation"),
        "apopms.invitation.renewed": (
            "Invitation renewed",
            "{actor} sent a fresh invitation link in place of an expired one",
        ),
        "apopms.invitation.accepted": ("Invitation accepted", "{actor} accepted the invitation and set a password"),
        "apopms.user.created": ("Account created", "{actor} created the account of {email}"),
        "apopms.membership.deactivated": (
            "Person deactivated",
            lambda v: (
                f"{v['actor']} deactivated {v['email']} as {role(v['raw'].get('role'))}"
                + when(v["account_closed"], "; the account was closed")
            ),
        ),
        "apopms.membership.reactivated": (
            "Person reactivated",
            lambda v: f"{v['actor']} reactivated {v['email']} as {role(v['raw'].get('role'))}",
        ),
        "apopms.outbox.resent": ("E-mail resent", "{actor} sent e-mail {original} to {recipient} again"),
        "apopms.outbox.audience_written": (
            "Message written",
            lambda v: f"{v['actor']} wrote “{v['subject']}” to {v['recipients'] or 0} {v['audience']}{_country(v)}",
        ),
        "apopms.outbox.audience_exported": (
            "Audience exported",
            lambda v: (
                f"{v['actor']} exported the {v['rows'] or 0} addresses of the audience “{v['audience']}” of "
                f"{v['project']}{_country(v)} as CSV"
            ),
        ),
        "apopms.audit.exported": (
            "Audit trail exported",
            lambda v: (
                f"{v['actor']} exported {v['rows'] or 0} entries of the audit trail of {v['project']} as CSV"
                + when(v["filters"], f" ({v['filters']})")
            ),
        ),
    }
)
