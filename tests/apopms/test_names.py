import unicodedata

import pytest
from django.core.exceptions import ValidationError

from apopms.names import clean_person_name

ZWJ, ZWNJ = "\u200d", "\u200c"


@pytest.mark.parametrize(
    ("raw", "stored"),
    [
        ("\u202eJohn Smith", "John Smith"),
        ("John\u202c Smith\u200f", "John Smith"),
        ("\u2066John\u2069 \u200eSmith", "John Smith"),
        ("\ufeffJo\u200bhn  Smith", "John Smith"),
        ("Jo\u200dhn Sm\u200cith", "John Smith"),  # joiners mean nothing between Latin letters
        ("  John\t Smith \n", "John Smith"),
        ("\u0645\u0631\u06cc\u0645 " + ZWJ, "\u0645\u0631\u06cc\u0645"),  # a joiner at the end joins nothing
    ],
)
def test_invisible_and_direction_characters_are_removed(raw, stored):
    assert clean_person_name(raw) == stored


@pytest.mark.parametrize(
    "name",
    [
        "ශ්" + ZWJ + "රී ලංකා",  # Sinhala: the ZWJ makes the rakaaranshaya
        "র" + ZWJ + "্যাব",  # Bengali ya-phala after ra
        "মোহাম্মদ রফিকুল ইসলাম",
        "क्" + ZWJ + "ष",  # Devanagari half form
        "क्" + ZWNJ + "ष",
        "می" + ZWNJ + "خواهم",  # Persian
        "عبداللہ" + ZWNJ + "زادہ",  # Urdu
        "ស្ត្រី",  # Khmer
        "ᠪᠠᠲᠤ",  # Traditional Mongolian
        "ᠭ\u180bᠠ",  # with a free variation selector
        "ᠬᠠᠳ\u180eᠠ",  # with the vowel separator
        "Nguyễn Thị Ánh",
        "สมชาย ใจดี",
        "山田 太郎",
    ],
)
def test_names_in_their_scripts_are_kept_byte_for_byte(name):
    assert clean_person_name(name).encode() == name.encode()


def test_mongolian_format_characters_go_outside_mongolian():
    assert clean_person_name("Ba\u180etu\u180b") == "Batu"


def test_decomposed_input_is_stored_composed():
    decomposed = unicodedata.normalize("NFD", "Nguyễn Thị Ánh Đặng")
    assert decomposed != unicodedata.normalize("NFC", decomposed)
    assert clean_person_name(decomposed) == unicodedata.normalize("NFC", decomposed)


@pytest.mark.parametrize(
    "raw", ["\u200b\u200b", "\u202e", ZWJ + ZWNJ, "\ufeff \u2066\u2069", "\u3164", "\u200b-\u200b"]
)
def test_a_name_blank_after_cleaning_is_refused(raw):
    with pytest.raises(ValidationError, match="no visible letters"):
        clean_person_name(raw)


@pytest.mark.parametrize(
    "raw",
    [
        "J\u0336\u0337\u0338\u0334ohn",  # four strokes through one letter
        "Z\u0301\u0302\u0303\u0304algo",  # a precomposed Ź counts its own accent
        "H̸̡̪̯ͨ͊̽̅̾̎Ȩ̬̩̾͛ͪ̈́̀́͘ ̶̧̨̱̹̭̯ͧ̾ͬC̷̙̲̝͖ͭ̏ͥͮ͟Oͮ͏̮̪̝͍",
    ],
)
def test_stacked_marks_are_refused(raw):
    with pytest.raises(ValidationError, match="accents or marks stacked on one letter"):
        clean_person_name(raw)


def test_three_marks_on_a_letter_are_accepted():
    assert clean_person_name("Jo\u0301\u0302\u0303hn") == "Jo\u0301\u0302\u0303hn".replace("o\u0301", "ó")


@pytest.mark.parametrize("raw", ["\u0301John", "John \u0301Smith"])
def test_a_mark_without_a_letter_is_refused(raw):
    with pytest.raises(ValidationError, match="without a letter"):
        clean_person_name(raw)


def test_private_use_characters_are_refused():
    with pytest.raises(ValidationError, match="U\\+E000"):
        clean_person_name("John \ue000")


def test_empty_stays_empty():
    assert clean_person_name("") == "" and clean_person_name("   ") == "" and clean_person_name(None) == ""
