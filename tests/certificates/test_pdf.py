"""The certificate PDF: layout, the static-only fetcher, and real glyphs for every member's script."""

import logging
import re
import subprocess
from pathlib import Path

import pytest
from celery.signals import worker_process_init

from apopms import pdf as pipeline
from certificates import codes, pdf, tasks  # noqa: F401 - tasks connects the worker hook

from .glyphs import drawn_glyphs, uncompressed

DATA = {
    "apo_name": "Asian Productivity Organization",
    "certificate_name": "Nguyễn Thị Hương",
    "native_name": "",
    "native_lang": "",
    "native_dir": "ltr",
    "country": "Vietnam",
    "project_title": "Productivity of the Public Sector",
    "project_code": "22-PSP-DMC",
    "start_date": "2022-08-24",
    "end_date": "2022-08-26",
    "date_range": "24–26 August 2022",
    "modality": "Digital multicountry",
    "host_country": "Sri Lanka",
    "implementing_organizations": ["National Productivity Secretariat, Sri Lanka", "APO Secretariat"],
    "signatory_name": "Dr. AKP Mochtan",
    "signatory_title": "Secretary-General",
    "number": "22-PSP-DMC-0001",
    "issued_date": "29 August 2022",
    "verification_url": "http://127.0.0.1:8000/v/abcdefghijklmnopqrstuv/",
}

needs_poppler = pytest.mark.poppler


@pytest.fixture
def fresh_renderer(monkeypatch):
    """A renderer as in a fresh worker process: only the fonts loaded that its documents need."""
    monkeypatch.setattr(pipeline, "_renderer_instance", None)
    yield
    if pipeline._renderer_instance is not None:
        pipeline._renderer_instance[1].close()


def _text(pdf_bytes, tmp_path):
    path = tmp_path / "doc.pdf"
    path.write_bytes(pdf_bytes)
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True).stdout


def _info(pdf_bytes, tmp_path):
    path = tmp_path / "doc.pdf"
    path.write_bytes(pdf_bytes)
    return subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout


@needs_poppler
def test_certificate_is_one_a4_landscape_page_with_everything_printed(tmp_path):
    content = pdf.render_certificate(DATA)
    info = _info(content, tmp_path)
    assert re.search(r"Pages:\s+1\n", info)
    assert re.search(r"Page size:\s+841\.89 x 595\.2\d* pts \(A4\)", info)
    # Letter-spaced headings come out of pdftotext as "A S I A N": compare without spaces.
    text = "".join(_text(content, tmp_path).split())
    for expected in (
        "ASIAN PRODUCTIVITY ORGANIZATION",
        "Certificate of Attendance",
        "Nguyễn Thị Hương",
        "Vietnam",
        "has attended the",
        "Productivity of the Public Sector",
        "24–26 August 2022",
        "Digital multicountry",
        "hosted by Sri Lanka",
        "National Productivity Secretariat, Sri Lanka and APO Secretariat",
        "Dr. AKP Mochtan",
        "Secretary-General",
        "22-PSP-DMC-0001",
        "29 August 2022",
        "Verify:",
        "http://127.0.0.1:8000/v/abcdefghijklmnopqrstuv/",  # a snapshot made before grouped codes
    ):
        assert expected.replace(" ", "") in text


def test_certificate_html_carries_the_qr_code_as_svg_data():
    html = pdf.certificate_html(DATA)
    assert f'src="{pdf.qr_svg_data_uri(DATA["verification_url"])}"' in html.replace("&#x27;", "'")


@needs_poppler
def test_name_containing_html_prints_as_text(tmp_path):
    data = dict(DATA, certificate_name='<b>Evil</b><img src="file:///etc/hostname">')
    text = _text(pdf.render_certificate(data), tmp_path)
    assert '<b>Evil</b><img src="file:///etc/hostname">' in " ".join(text.split())


def _fetcher():
    return pipeline._renderer().fetcher


@pytest.mark.parametrize(
    "url",
    [
        "file:///etc/hostname",
        "file:///etc/passwd",
        "http://127.0.0.1:9/secret",
        "https://example.org/x.png",
        "ftp://example.org/x",
    ],
)
def test_fetcher_refuses_anything_but_static_and_data(url):
    with pytest.raises(ValueError, match="Refused"):
        _fetcher().fetch(url)


def test_fetcher_refuses_paths_escaping_the_static_folder():
    root = pipeline.static_path("certificates/certificate.css").rsplit("/static/", 1)[0]
    with pytest.raises(ValueError, match="Refused"):
        _fetcher().fetch(f"file://{root}/static/../pyproject.toml")


def test_fetcher_allows_static_files_and_data_urls():
    response = _fetcher().fetch("file://" + pipeline.static_path("certificates/certificate.css"))
    assert b"@page" in response.read()
    response.close()
    assert _fetcher().fetch("data:text/plain,hello").read() == b"hello"


@pytest.mark.parametrize(
    "html",
    [
        '<img src="file:///etc/hostname">',
        '<a rel="attachment" href="file:///etc/hostname">attached</a>',
        '<link rel="attachment" href="file:///etc/hostname">',
        '<img src="http://127.0.0.1:9/tracker.png">',
        '<link rel="stylesheet" href="file:///etc/hostname">',
    ],
)
def test_rendering_never_embeds_files_outside_static(html):
    hostname = Path("/etc/hostname").read_bytes().strip()
    content = uncompressed(pdf.render_pdf(f"<html><body><p>x</p>{html}</body></html>"))
    assert b"/EmbeddedFile" not in content
    assert b"/Type /XObject" not in content or b"/Subtype /Image" not in content
    if len(hostname) > 3:
        assert hostname not in content


@pytest.mark.parametrize(
    ("lang", "text", "iso2"),
    [
        ("th", "สมชาย ใจดี", "TH"),
        ("fa", "محمد رضایی", "IR"),
        ("ur", "محمد علی خان", "PK"),
        ("zh-Hant", "陳美玲", "TW"),
        ("zh-Hans", "张伟", "SG"),
        ("ja", "山田太郎", "JP"),
        ("ja", "やまだ", "SG"),
        ("ko", "김민준", "KR"),
        ("ne", "राम बहादुर", "NP"),
        ("mn", "Батбаяр Өлзий", "MN"),
        ("", "Nguyễn", "VN"),
    ],
)
def test_native_lang_from_script_and_country(lang, text, iso2):
    assert pdf.native_lang(text, iso2) == lang


# ---------------------------------------------------------------- real glyphs in every member's script

# (language tag, a name in that script, the font that must draw it)
SCRIPTS = [
    ("vi", "Nguyễn Thị Hương Trần Đức", "Noto-Serif"),
    ("tr", "Ğülşen Çağlar İnönü Şahin", "Noto-Serif"),
    ("th", "สมชาย ใจดี", "Noto-Sans-Thai"),
    ("lo", "ສົມພອນ ແກ້ວມະນີ", "Noto-Sans-Lao"),
    ("km", "សុខ ចាន់ធី", "Noto-Sans-Khmer"),
    ("fa", "محمد رضایی", "Noto-Naskh-Arabic"),
    ("ur", "محمد علی خان", "Noto-Nastaliq-Urdu"),
    ("bn", "রহিম উদ্দিন", "Noto-Sans-Bengali"),
    ("ne", "राम बहादुर श्रेष्ठ", "Noto-Sans-Devanagari"),
    ("si", "සුනිල් පෙරේරා", "Noto-Sans-Sinhala"),
    ("ta", "முருகன் செல்வம்", "Noto-Sans-Tamil"),
    ("mn", "Батбаяр Өлзийбаяр", "Noto-Serif"),
    ("zh-Hant", "陳美玲 黃國榮", "Noto-Sans-TC"),
    ("zh-Hans", "张伟 刘晓东", "Noto-Sans-SC"),
    ("ja", "山田太郎 さとう", "Noto-Sans-JP"),
    ("ko", "김민준 박서연", "Noto-Sans-KR"),
]


def _name_pdf(lang, text):
    direction = ' dir="rtl"' if lang in pdf.RTL_LANGS else ""
    html = f'<html><body><p class="native" lang="{lang}"{direction}>{text}</p></body></html>'
    return pdf.render_pdf(html)


@pytest.mark.parametrize(("lang", "text", "font"), SCRIPTS, ids=[s[0] for s in SCRIPTS])
@pytest.mark.usefixtures("fresh_renderer")
def test_every_script_is_drawn_with_real_glyphs_of_its_font(lang, text, font, caplog):
    """One PDF per name (as per participant): no .notdef (glyph 0 or WeasyPrint's missing-glyph
    stand-in, which it logs), and every glyph comes from the font chosen for the script."""
    with caplog.at_level(logging.WARNING, logger="weasyprint"):
        drawn = drawn_glyphs(_name_pdf(lang, text))
    assert not [r.getMessage() for r in caplog.records if "notdef" in r.getMessage()]
    assert list(drawn) == [font]
    assert 0 not in drawn[font]
    assert len(drawn[font]) >= len(text.replace(" ", "")) // 2  # shaping may ligate, never drops the name


@pytest.mark.parametrize(("lang", "text", "font"), SCRIPTS, ids=[s[0] for s in SCRIPTS])
@pytest.mark.usefixtures("fresh_renderer")
def test_full_certificate_in_every_script_has_no_missing_glyph(lang, text, font, caplog):
    latin = lang in {"vi", "tr"}
    data = dict(
        DATA,
        certificate_name=text if latin else "Test Participant",
        native_name="" if latin else text,
        native_lang="" if latin else lang,
        native_dir="rtl" if lang in pdf.RTL_LANGS else "ltr",
    )
    with caplog.at_level(logging.WARNING, logger="weasyprint"):
        drawn = drawn_glyphs(pdf.render_certificate(data))
    assert not [r.getMessage() for r in caplog.records if "notdef" in r.getMessage()]
    assert font in drawn
    assert all(0 not in glyphs for glyphs in drawn.values())


def test_missing_glyph_detection_works(caplog):
    """The checks above would notice a box: a script no vendored font covers is reported."""
    with caplog.at_level(logging.WARNING, logger="weasyprint"):
        _name_pdf("", "Test \U00016a40\U00016a41")  # Mro: no vendored font has it
    assert [r for r in caplog.records if "notdef" in r.getMessage()]


@needs_poppler
def test_page_of_all_scripts_renders_to_png(tmp_path):
    """For a person to look at: pdftoppm turns a page of every script's name into PNG."""
    rows = "".join(
        f'<p class="native" lang="{lang}"{" dir=rtl" if lang in pdf.RTL_LANGS else ""}>{text}</p>'
        for lang, text, _font in SCRIPTS
    )
    path = tmp_path / "names.pdf"
    path.write_bytes(pdf.render_pdf(f"<html><body>{rows}</body></html>"))
    subprocess.run(["pdftoppm", "-r", "60", "-png", str(path), str(tmp_path / "names")], check=True)
    assert (tmp_path / "names-1.png").stat().st_size > 5000


# ---------------------------------------------------------------- Traditional Mongolian

MONGOLIAN = "ᠪᠠᠲᠤ ᠮᠣᠩᠭᠣᠯ"


def test_traditional_mongolian_is_tagged_apart_from_cyrillic():
    assert pdf.native_lang(MONGOLIAN, "MN") == "mn-Mong"
    assert pdf.native_lang("Батбаяр", "MN") == "mn"


def test_traditional_mongolian_name_is_drawn_with_real_glyphs(caplog):
    with caplog.at_level(logging.WARNING, logger="weasyprint"):
        drawn = drawn_glyphs(_name_pdf("mn-Mong", MONGOLIAN))
    assert not [r.getMessage() for r in caplog.records if "notdef" in r.getMessage()]
    assert list(drawn) == ["Noto-Sans-Mongolian"]
    assert 0 not in drawn["Noto-Sans-Mongolian"]
    assert len(drawn["Noto-Sans-Mongolian"]) >= len(MONGOLIAN.replace(" ", "")) // 2


@pytest.mark.usefixtures("fresh_renderer")
def test_full_certificate_with_a_traditional_mongolian_name_has_no_missing_glyph(caplog):
    data = dict(DATA, certificate_name="Batu Mongol", native_name=MONGOLIAN, native_lang="mn-Mong")
    with caplog.at_level(logging.WARNING, logger="weasyprint"):
        drawn = drawn_glyphs(pdf.render_certificate(data))
    assert not [r.getMessage() for r in caplog.records if "notdef" in r.getMessage()]
    assert "Noto-Sans-Mongolian" in drawn
    assert all(0 not in glyphs for glyphs in drawn.values())


@pytest.mark.usefixtures("fresh_renderer")
def test_traditional_mongolian_without_language_tag_falls_back_to_its_font(caplog):
    """Text of no known language (e.g. in a project title) still finds the font in the page's stack."""
    with caplog.at_level(logging.WARNING, logger="weasyprint"):
        drawn = drawn_glyphs(_name_pdf("", MONGOLIAN))
    assert not [r.getMessage() for r in caplog.records if "notdef" in r.getMessage()]
    assert "Noto-Sans-Mongolian" in drawn and all(0 not in glyphs for glyphs in drawn.values())


# ---------------------------------------------------------------- the printed verification link


@needs_poppler
@pytest.mark.parametrize("site", ["http://127.0.0.1:8000", "https://pms.apo-tokyo.org", "https://apo.example.org"])
def test_printed_verification_code_never_breaks_across_lines(tmp_path, site):
    code = codes.new_code()
    data = dict(
        DATA,
        verification_url=f"{site}/v/{code}/",
        verification_base=f"{site}/v/",
        verification_code_grouped=codes.group_code(code),
    )
    lines = _text(pdf.render_certificate(data), tmp_path).splitlines()
    grouped = codes.group_code(code)
    assert [line for line in lines if grouped in line], lines
    assert any(f"{site}/v/" in line for line in lines)


@needs_poppler
@pytest.mark.parametrize("site", ["http://127.0.0.1:8000", "https://pms.apo-tokyo.org", "https://apo.example.org"])
def test_printed_link_of_an_old_code_is_not_broken_inside_the_code(tmp_path, site):
    """Snapshots made before grouped codes: the code is unbreakable (it broke at its hyphen)."""
    data = dict(DATA, verification_url=f"{site}/v/BEniu7EEgY70xz-SuT8dYQ/")
    lines = _text(pdf.render_certificate(data), tmp_path).splitlines()
    assert [line for line in lines if "BEniu7EEgY70xz-SuT8dYQ" in line], lines


# ---------------------------------------------------------------- the exact name in the PDF's metadata

# Shaped scripts do not always come back out of the text layer as typed (pdftotext gave
# "মোহোম্মদ র ফিকুল ইসলোম" for the Bengali below): the metadata carries the exact name.
METADATA_NAMES = [
    *[(lang, text) for lang, text, _font in SCRIPTS if lang not in {"vi", "tr"}],
    ("bn", "মোহাম্মদ রফিকুল ইসলাম"),
    ("mn-Mong", MONGOLIAN),
]


def _pdfinfo_fields(pdf_bytes, tmp_path):
    fields = {}
    for line in _info(pdf_bytes, tmp_path).splitlines():
        key, _, value = line.partition(":")
        fields[key.strip()] = value.strip()
    return fields


@needs_poppler
@pytest.mark.parametrize(("lang", "text"), METADATA_NAMES, ids=[f"{n[0]}-{i}" for i, n in enumerate(METADATA_NAMES)])
def test_pdf_metadata_carries_the_exact_names(lang, text, tmp_path):
    data = dict(
        DATA,
        native_name=text,
        native_lang=lang,
        native_dir="rtl" if lang in pdf.RTL_LANGS else "ltr",
    )
    fields = _pdfinfo_fields(pdf.render_certificate(data), tmp_path)
    assert fields["Title"] == f"Certificate of Attendance 22-PSP-DMC-0001: Nguyễn Thị Hương ({text})"
    assert fields["Subject"] == (
        f"Certificate of Attendance of Nguyễn Thị Hương ({text}), Vietnam, "
        "Productivity of the Public Sector (22-PSP-DMC), 24–26 August 2022"
    )
    assert text in fields["Keywords"]
    assert fields["Author"] == "Asian Productivity Organization"


@needs_poppler
def test_pdf_metadata_without_a_native_name(tmp_path):
    fields = _pdfinfo_fields(pdf.render_certificate(DATA), tmp_path)
    assert fields["Title"] == "Certificate of Attendance 22-PSP-DMC-0001: Nguyễn Thị Hương"


# Measured with pdftotext: these scripts come back out of the text layer exactly as typed.
# Lao, Sinhala, Tamil (some names), Bengali, Devanagari (Hindi names with vowel signs before
# the consonant), Persian and Urdu do not always (split marks, spaces, reordered or lost
# vowel signs): for them the metadata above is the searchable copy.
TEXT_LAYER_EXACT = {"vi", "tr", "th", "km", "ne", "mn", "zh-Hant", "zh-Hans", "ja", "ko"}


@needs_poppler
@pytest.mark.parametrize(
    ("lang", "text"),
    [(lang, text) for lang, text, _font in SCRIPTS if lang in TEXT_LAYER_EXACT] + [("mn-Mong", MONGOLIAN)],
)
def test_text_layer_gives_back_the_name_in_these_scripts(lang, text, tmp_path):
    latin = lang in {"vi", "tr"}
    data = dict(
        DATA,
        certificate_name=text if latin else "Test Participant",
        native_name="" if latin else text,
        native_lang="" if latin else lang,
    )
    assert text in _text(pdf.render_certificate(data), tmp_path)


# ---------------------------------------------------------------- only the fonts a document needs


def test_a_latin_certificate_loads_only_the_serif(fresh_renderer):
    pdf.render_certificate(DATA)
    assert pipeline._renderer()._families == {"Noto Serif"}


@pytest.mark.parametrize(("lang", "text", "font"), SCRIPTS, ids=[s[0] for s in SCRIPTS])
def test_a_name_loads_the_font_of_its_script(lang, text, font):
    needed = pipeline.families_for(pdf.certificate_html(dict(DATA, native_name=text, native_lang=lang)))
    assert "Noto Serif" in needed and font.replace("-", " ") in needed
    if lang not in {"zh-Hant", "zh-Hans", "ja", "ko"}:
        assert not {"Noto Sans SC", "Noto Sans TC", "Noto Sans JP", "Noto Sans KR"} & needed


def test_a_character_no_vendored_font_draws_needs_no_font():
    assert pipeline.families_for("Mro \U00016a40") == {"Noto Serif"}


def test_a_new_worker_process_readies_the_renderer_before_its_first_task(fresh_renderer):
    """The warm-up sets a sample certificate with a Han and kana name: the CJK fonts (the slow ones)
    are loaded before any participant's certificate, the small ones of other scripts are not."""
    worker_process_init.send(sender=None)
    assert pipeline._renderer_instance is not None
    assert pipeline._renderer()._families == {
        "Noto Serif",
        "Noto Sans JP",
        "Noto Sans KR",
        "Noto Sans SC",
        "Noto Sans TC",
    }


@pytest.mark.usefixtures("fresh_renderer")
def test_fonts_are_decompressed_once_and_read_back_by_the_next_process(tmp_path, monkeypatch, caplog):
    monkeypatch.setattr(pipeline, "FONT_CACHE_DIR", tmp_path / "fonts")
    data = dict(DATA, native_name="山田太郎", native_lang="ja")
    first = drawn_glyphs(pdf.render_certificate(data))
    kept = sorted((tmp_path / "fonts").iterdir())
    assert len(kept) == 6  # Noto Serif (400 and 700) and the four CJK fonts a Han name may need
    assert all(path.read_bytes()[:4] in {b"OTTO", b"\x00\x01\x00\x00"} for path in kept)
    # The next process (a fresh renderer) reads them back and draws the same glyphs.
    pipeline._renderer_instance[1].close()
    monkeypatch.setattr(pipeline, "_renderer_instance", None)
    with caplog.at_level(logging.WARNING, logger="weasyprint"):
        again = drawn_glyphs(pdf.render_certificate(data))
    assert again == first and "Noto-Sans-JP" in again
    assert sorted((tmp_path / "fonts").iterdir()) == kept
    assert not [r.getMessage() for r in caplog.records if "notdef" in r.getMessage()]


@pytest.mark.usefixtures("fresh_renderer")
def test_fonts_render_when_the_cache_folder_cannot_be_written(tmp_path, monkeypatch):
    blocked = tmp_path / "file"
    blocked.write_text("not a folder")
    monkeypatch.setattr(pipeline, "FONT_CACHE_DIR", blocked / "fonts")
    drawn = drawn_glyphs(pdf.render_certificate(dict(DATA, native_name="สมชาย", native_lang="th")))
    assert "Noto-Sans-Thai" in drawn
