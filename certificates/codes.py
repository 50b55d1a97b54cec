"""Verification codes: made to be printed, read aloud and typed back.

New codes use Crockford's base32 (digits and capitals without I, L, O, U): no `-` or `_`
that could read as a line-break hyphen, no letters confused with digits. 26 symbols carry
130 random bits; printed in groups of four. What a visitor types is read leniently: case,
spaces and separators are ignored, and I/L are read as 1, O as 0.

Codes printed before (16 bytes base64url, 22 symbols, case-sensitive, may contain `-` and
`_`) are stored as they are and found by exact match.
"""

import re
import secrets

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
LENGTH = 26
GROUP = 4
_LOOK_ALIKES = str.maketrans({"I": "1", "L": "1", "O": "0"})
_SEPARATORS = re.compile(r"[\s\-_.·/]+")


def new_code():
    return "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))


def group_code(code):
    """'ABCD EFGH …' for print; the old format is returned as it is."""
    if len(code) != LENGTH or not set(code) <= set(ALPHABET):
        return code
    return " ".join(code[i : i + GROUP] for i in range(0, len(code), GROUP))


def candidates(typed):
    """The stored codes `typed` may stand for: itself (old codes are exact) and its canonical form."""
    typed = (typed or "").strip()
    found = [typed] if typed else []
    canonical = _SEPARATORS.sub("", typed).upper().translate(_LOOK_ALIKES)
    if len(canonical) == LENGTH and set(canonical) <= set(ALPHABET) and canonical not in found:
        found.append(canonical)
    return found
