"""The certificates' audit entries as sentences (apopms.auditlog); registered by CertificatesConfig.ready."""

from apopms.auditlog import register, when


def _holder(v):
    """A certificate's entry names it 'NUMBER Name': the name after the number."""
    number = v["number"] or v["object"].split(" ", 1)[0]
    rest = v["object"][len(number) :].strip() if v["object"].startswith(number) else ""
    return number, rest


def _issued(v):
    number, holder = _holder(v)
    text = f"{v['actor']} issued certificate {number}" + when(holder, f" to {holder}")
    return text + when(v["replaces"], f", in place of {v['replaces']}")


def _revoked(v):
    number, holder = _holder(v)
    return f"{v['actor']} revoked certificate {number}" + when(holder, f" of {holder}") + f" ({v['reason']})"


def _corrected(v):
    old, new = v["raw"].get("old") or {}, v["raw"].get("new") or {}
    before, after = old.get("certificate_name", "") if isinstance(old, dict) else old, new.get("certificate_name", "")
    text = f"{v['actor']} corrected the name on the certificate of {v['name']}"
    if before and after and before != after:
        text += f" from “{before}” to “{after}”"
    return text + when(v["reason"], f" ({v['reason']})")


register(
    {
        "certificates.certificate.zip_downloaded": (
            "Certificates downloaded",
            "{actor} downloaded the {rows} live certificates of {project} as one ZIP",
        ),
        "certificates.batch.started": ("Issuing started", "{actor} started issuing the certificates of {project}"),
        "certificates.batch.resumed": (
            "Issuing resumed",
            "{actor} queued again {count} certificate(s) of {project} whose issuing had stalled",
        ),
        "certificates.batch.retried": (
            "Issuing retried",
            "{actor} queued {count} failed certificate(s) of {project} again",
        ),
        "certificates.certificate.queued": (
            "Certificate queued",
            "{actor} queued the certificate of one participant of {project}",
        ),
        "certificates.certificate.issued": ("Certificate issued", _issued),
        "certificates.certificate.revoked": ("Certificate revoked", _revoked),
        "certificates.name.corrected": ("Name corrected", _corrected),
    }
)
