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
import unicodedata

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


# What a visitor may type between the parts of a certificate number: "22-PSP-DMC-0007", "22 psp dmc 0007",
# "22–PSP–DMC–0007" (en dash) are the same number.
_NUMBER_SEPARATORS = re.compile(r"[\s\-\u2010-\u2015\u2212_.·/]+")
# Latin-script accents after canonical decomposition (é = e + U+0301): ignored when comparing names.
_LATIN_ACCENTS = re.compile(r"[\u0300-\u036f]")
_NOT_WORD = re.compile(r"[\W_]+")


def number_key(typed):
    """A certificate number as compared: upper case, without separators ('22psp dmc-0007' -> '22PSPDMC0007')."""
    return _NUMBER_SEPARATORS.sub("", (typed or "").strip()).upper()


def name_key(name):
    """A printed name as compared when a visitor verifies by number and name.

    Ignored: upper and lower case (Unicode case folding), accents of the Latin script (é, ü, ñ read as
    e, u, n, after NFKD decomposition), punctuation and spacing ('Ravi  Kumar', 'ravi-kumar.'). Letters
    of other scripts, and their vowel signs, are compared as they are (after NFKC), so no name of
    another script is taken for a different one.
    """
    decomposed = unicodedata.normalize("NFKD", name or "")
    plain = unicodedata.normalize("NFKC", _LATIN_ACCENTS.sub("", decomposed)).casefold()
    return " ".join(_NOT_WORD.sub(" ", plain).split())
