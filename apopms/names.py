"""People's names as they will be printed: one cleaning rule for every form and import that takes one.

A name reaches a certificate, so nothing invisible may change how it reads:

- it is normalised to NFC, and runs of white space become one space;
- invisible and direction-changing characters are removed: zero-width space, byte-order mark,
  the bidi embeddings, overrides, isolates and marks (U+202A-U+202E, U+2066-U+2069, U+200E,
  U+200F, U+061C), and every other format or control character, the Hangul fillers and the
  combining grapheme joiner;
- the zero-width joiner and non-joiner (U+200D, U+200C) are kept only between letters (or vowel
  signs and viramas) of one script that needs them to spell a name: Arabic script (Persian, Urdu),
  the Indic scripts, Sinhala, Khmer and Mongolian; elsewhere they are removed;
- Mongolian's own format characters (the free variation selectors U+180B-U+180D, U+180F and the
  vowel separator U+180E) are kept after Mongolian letters (U+1807 and U+180A are punctuation and
  are kept as they are);
- refused: a name left blank (no letter left), an accent or vowel sign without a letter, more
  than MAX_MARKS_PER_LETTER non-spacing marks stacked on one letter ("Zalgo" text), private-use
  or unassigned code points (printed as boxes).
"""

import unicodedata

from django.core.exceptions import ValidationError

MAX_MARKS_PER_LETTER = 3

ZWNJ, ZWJ = "\u200c", "\u200d"
MONGOLIAN_FORMAT = frozenset("\u180b\u180c\u180d\u180e\u180f")
# Default-ignorable characters that are letters or marks by category, so the category test misses them.
INVISIBLE = frozenset("\u034f\u115f\u1160\u17b4\u17b5\u3164\uffa0")

# The scripts that spell words with ZWJ/ZWNJ, by code point range; a joiner stays only between two
# letters or marks of the same one.
JOINING_SCRIPTS = {
    "Arabic": [(0x0600, 0x06FF), (0x0750, 0x077F), (0x0870, 0x08FF), (0xFB50, 0xFDFF), (0xFE70, 0xFEFE)],
    "Devanagari": [(0x0900, 0x097F), (0xA8E0, 0xA8FF)],
    "Bengali": [(0x0980, 0x09FF)],
    "Gurmukhi": [(0x0A00, 0x0A7F)],
    "Gujarati": [(0x0A80, 0x0AFF)],
    "Oriya": [(0x0B00, 0x0B7F)],
    "Tamil": [(0x0B80, 0x0BFF)],
    "Telugu": [(0x0C00, 0x0C7F)],
    "Kannada": [(0x0C80, 0x0CFF)],
    "Malayalam": [(0x0D00, 0x0D7F)],
    "Sinhala": [(0x0D80, 0x0DFF), (0x111E0, 0x111FF)],
    "Khmer": [(0x1780, 0x17FF), (0x19E0, 0x19FF)],
    "Mongolian": [(0x1800, 0x18AF), (0x11660, 0x1167F)],
}


def _script(char):
    """The joining script of a letter or mark, or None."""
    if char is None or unicodedata.category(char)[0] not in "LM":
        return None
    point = ord(char)
    for script, ranges in JOINING_SCRIPTS.items():
        if any(low <= point <= high for low, high in ranges):
            return script
    return None


def _removed(value):
    """`value` without the characters that must not reach a certificate (see the module docstring)."""
    kept = []
    for i, char in enumerate(value):
        category = unicodedata.category(char)
        if char in (ZWJ, ZWNJ):
            before = kept[-1] if kept else None
            after = next((c for c in value[i + 1 :] if c not in (ZWJ, ZWNJ)), None)
            script = _script(before)
            if script is not None and script == _script(after):
                kept.append(char)
            continue
        if char in MONGOLIAN_FORMAT:
            if kept and _script(kept[-1]) == "Mongolian":
                kept.append(char)
            continue
        if char in INVISIBLE or category == "Cf":
            continue
        if category == "Cc":
            # Tabs and line breaks are white space between words; other control characters go.
            if char.isspace():
                kept.append(" ")
            continue
        kept.append(char)
    return "".join(kept)


def clean_person_name(value):
    """`value` as the portal stores a person's name; raises ValidationError if it cannot be one.

    Empty input stays empty (whether a name is required is the form's business); input that is
    not empty but has nothing visible left is refused.
    """
    value = "" if value is None else str(value)
    if not value.strip():
        return ""
    cleaned = unicodedata.normalize("NFC", _removed(unicodedata.normalize("NFC", value)))
    cleaned = " ".join(cleaned.split())
    if not any(unicodedata.category(c).startswith("L") for c in cleaned):
        raise ValidationError(
            "This name has no visible letters: it holds only spaces, invisible or formatting characters.",
            code="blank_name",
        )
    marks = 0
    has_letter = False  # a letter (or other base) precedes, within this word
    # Counted decomposed, so a precomposed letter's accents count too ("Ź" is Z and one mark).
    # Spacing marks (Indic vowel signs, category Mc) take their own room and do not stack.
    for char in unicodedata.normalize("NFD", cleaned):
        category = unicodedata.category(char)
        if category in ("Co", "Cn", "Cs"):
            raise ValidationError(
                "This name holds a character that cannot be printed (U+%(point)04X); please retype it.",
                code="unprintable_name",
                params={"point": ord(char)},
            )
        if category.startswith("M"):
            if not has_letter:
                raise ValidationError(
                    "An accent or vowel sign in this name stands without a letter; please retype the name.",
                    code="mark_without_letter",
                )
            marks += category != "Mc"
            if marks > MAX_MARKS_PER_LETTER:
                raise ValidationError(
                    "This name has more than %(max)d accents or marks stacked on one letter.",
                    code="too_many_marks",
                    params={"max": MAX_MARKS_PER_LETTER},
                )
        else:
            marks = 0
            if char == " ":
                has_letter = False
            elif char not in (ZWJ, ZWNJ):
                has_letter = True
    return cleaned


def validate_person_name(value):
    """A model/form validator: refuses what `clean_person_name` refuses (it does not change the value)."""
    clean_person_name(value)


__all__ = ["MAX_MARKS_PER_LETTER", "clean_person_name", "validate_person_name"]


# The script of a name in its own script decides its language tag, and the stylesheets (the
# certificates' and the pages') pick the font per language (:lang), so Han characters get the
# right regional forms.
_SCRIPT_LANG = {
    "THAI": "th",
    "LAO": "lo",
    "KHMER": "km",
    "BENGALI": "bn",
    "DEVANAGARI": "hi",
    "SINHALA": "si",
    "TAMIL": "ta",
    "HANGUL": "ko",
    "HIRAGANA": "ja",
    "KATAKANA": "ja",
    "CYRILLIC": "mn",
    "MONGOLIAN": "mn-Mong",  # Traditional Mongolian script (set horizontally on the certificate)
}
_COUNTRY_OVERRIDES = {
    ("DEVANAGARI", "NP"): "ne",
    ("ARABIC", "PK"): "ur",
    ("ARABIC", "IR"): "fa",
    ("CJK", "TW"): "zh-Hant",
    ("CJK", "HK"): "zh-Hant",
    ("CJK", "JP"): "ja",
    ("CJK", "KR"): "ko",
}
RTL_LANGS = {"fa", "ur", "ar"}


def _script_of(char):
    name = unicodedata.name(char, "")
    if name.startswith("CJK"):
        return "CJK"
    return name.split(" ", 1)[0]


def native_lang(text, country_iso2=""):
    """The BCP 47 tag for a name in its own script: 'th', 'fa', 'zh-Hant', … ('' for Latin)."""
    scripts = [_script_of(c) for c in text if c.isalpha()]
    if not scripts:
        return ""
    if "HIRAGANA" in scripts or "KATAKANA" in scripts:
        return "ja"
    script = max(set(scripts), key=scripts.count)
    if (script, country_iso2) in _COUNTRY_OVERRIDES:
        return _COUNTRY_OVERRIDES[(script, country_iso2)]
    if script == "ARABIC":
        return "fa"
    if script == "CJK":
        return "zh-Hans"
    return _SCRIPT_LANG.get(script, "")
