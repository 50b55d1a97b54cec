"""Every script on screen: names in 16 scripts render with real glyphs in a Chromium that has no
system font for any of them (its only font is a Latin subset of DejaVu Sans, through its own
fontconfig), from the web fonts' unicode-range slices; and a page of Latin names downloads none.

The screenshot is kept at tests/e2e/screenshots/scripts/names-in-16-scripts.png."""

import datetime
import io
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from fontTools import subset

from apopms.demo import SEED_CODE
from apopms.models import Project
from tests import factories

from .conftest import CHROMIUM, CHROMIUM_ARGS, SCREENSHOTS
from .helpers import DESKTOP, PASSWORD, PHONE, Journey

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

DEJAVU = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")
# ASCII, Latin-1 and general punctuation: nothing of any other script, not even Vietnamese.
LATIN_ONLY = "U+0020-007E,U+00A0-00FF,U+2000-206F"

# (country, name in its own script, the web font that must draw it)
NAMES = [
    ("VN", "Nguyễn Thị Hương", "Noto Sans Web"),  # 1 Latin with Vietnamese letters
    ("MN", "Батбаярын Оюунчимэг", "Noto Sans Web"),  # 2 Cyrillic
    ("MN", "ᠪᠠᠲᠤᠪᠠᠶᠠᠷ", "Noto Sans Mongolian Web"),  # 3 Traditional Mongolian
    ("TH", "สมชาย ใจดี", "Noto Sans Thai Web"),  # 4 Thai
    ("LA", "ສົມພອນ ພົມມະວົງ", "Noto Sans Lao Web"),  # 5 Lao
    ("KH", "សុខ វណ្ណា", "Noto Sans Khmer Web"),  # 6 Khmer
    ("BD", "মোঃ রফিকুল ইসলাম", "Noto Sans Bengali Web"),  # 7 Bengali
    ("NP", "सीता शर्मा", "Noto Sans Devanagari Web"),  # 8 Devanagari
    ("LK", "හසිනි අබේසේකර", "Noto Sans Sinhala Web"),  # 9 Sinhala
    ("LK", "பிரியங்கா நவரட்ணம்", "Noto Sans Tamil Web"),  # 10 Tamil
    ("IR", "مریم احمدی", "Noto Naskh Arabic Web"),  # 11 Arabic (Persian)
    ("PK", "عائشہ خان", "Noto Nastaliq Urdu Web"),  # Arabic in Nastaliq (Urdu)
    ("SG", "陈丽华", "Noto Sans SC Web"),  # 12 Han, simplified
    ("TW", "林志豪", "Noto Sans TC Web"),  # 13 Han, traditional
    ("JP", "さとう はなこ", "Noto Sans JP Web"),  # 14 Hiragana
    ("JP", "タナカ タロウ", "Noto Sans JP Web"),  # 15 Katakana
    ("KR", "김민준", "Noto Sans KR Web"),  # 16 Hangul
]


@pytest.fixture(scope="module")
def bare_chromium(playwright, tmp_path_factory):
    """A Chromium whose fontconfig knows one font: DejaVu Sans cut down to Latin-1."""
    root = tmp_path_factory.mktemp("fontconfig")
    (root / "fonts").mkdir()
    options = subset.Options()
    with subset.load_font(str(DEJAVU), options) as font:
        subsetter = subset.Subsetter(options)
        subsetter.populate(unicodes=subset.parse_unicodes(LATIN_ONLY))
        subsetter.subset(font)
        font.save(root / "fonts" / "LatinOnly.ttf")
    conf = root / "fonts.conf"
    conf.write_text(
        '<?xml version="1.0"?><!DOCTYPE fontconfig SYSTEM "fonts.dtd"><fontconfig>'
        f"<dir>{root / 'fonts'}</dir><cachedir>{root / 'cache'}</cachedir></fontconfig>"
    )
    env = dict(os.environ, FONTCONFIG_FILE=str(conf))
    # What that fontconfig offers: only the Latin subset, whatever a page asks for.
    listed = subprocess.run(["fc-list"], env=env, capture_output=True, text=True, check=True).stdout
    assert listed.strip().count("\n") == 0 and "LatinOnly.ttf" in listed, listed
    chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, env=env)
    yield chromium
    chromium.close()


def _journey(chromium, live_server, name, *, block_fonts=False):
    folder = SCREENSHOTS / name
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    context = chromium.new_context(bypass_csp=True, base_url=live_server.url, viewport=DESKTOP, reduced_motion="reduce")
    fonts = []
    if block_fonts:
        context.route("**/*.woff2", lambda route: route.abort())
    context.on("requestfinished", lambda r: r.url.endswith(".woff2") and fonts.append(r))
    return Journey(context=context, base_url=live_server.url, folder=folder), fonts


def _font_bytes(requests):
    return sum(r.sizes()["responseBodySize"] for r in requests)


def _name_widths(page):
    return page.eval_on_selector_all(
        "main td [lang]", "els => els.map(e => [e.textContent, e.getBoundingClientRect().width])"
    )


def _project_with_names():
    project = factories.ProjectFactory(
        code="22-SCRIPTS",
        selection_published_at=timezone.now(),
        nomination_deadline=timezone.now() - datetime.timedelta(days=3),
    )
    for iso2, native, _family in NAMES:
        factories.ParticipantFactory(
            nomination__project=project,
            nomination__country=factories.country(iso2),
            nomination__native_name=native,
            native_name=native,
        )
    return project


def test_names_in_16_scripts_render_without_system_fonts(bare_chromium, live_server, settings):
    settings.SITE_URL = live_server.url
    project = _project_with_names()
    factories.secretariat_user(email="secretariat@apo.example", password=PASSWORD)
    url = reverse("nominations:participant_list", kwargs={"code": project.code})

    j, fonts = _journey(bare_chromium, live_server, "scripts")
    page = j.new_page()
    j.login(page, "secretariat@apo.example")
    page.goto(url)
    page.evaluate("document.fonts.ready")
    page.wait_for_load_state("networkidle")
    page.evaluate("document.fonts.ready")
    shot = j.folder / "names-in-16-scripts.png"
    page.screenshot(path=str(shot), full_page=True)
    loaded = set(
        page.evaluate("[...document.fonts].filter(f => f.status === 'loaded').map(f => f.family.replaceAll('\"', ''))")
    )
    for _iso2, native, family in NAMES:
        assert family in loaded, f"{native}: no {family} slice was loaded ({sorted(loaded)})"
    with_fonts = dict(_name_widths(page))
    budget = _font_bytes(fonts)
    j.check(page, "participants-16-scripts")
    j.context.close()

    # The same page with the web fonts refused: each name falls back to the .notdef box of the
    # only system font, so its width changes; had a name been boxes before, it would not.
    k, _ = _journey(bare_chromium, live_server, "scripts-blocked", block_fonts=True)
    page = k.new_page()
    k.login(page, "secretariat@apo.example")
    page.goto(url)
    page.wait_for_load_state("networkidle")
    page.screenshot(path=str(k.folder / "names-as-boxes.png"), full_page=True)
    boxes = dict(_name_widths(page))
    k.context.close()
    assert set(with_fonts) == {native for _i, native, _f in NAMES}
    same = [name for name in with_fonts if abs(with_fonts[name] - boxes[name]) < 0.5]
    assert not same, f"drawn the same with and without the web fonts (boxes): {same}"
    print(f"fonts downloaded for the 17 names in 16 scripts: {budget} bytes in {len(fonts)} files")


def test_a_page_of_latin_names_downloads_no_font_and_the_seed_only_its_scripts(bare_chromium, live_server, settings):
    settings.SITE_URL = live_server.url
    call_command("demo", stdout=io.StringIO())
    project = Project.objects.get(code=SEED_CODE)
    factories.secretariat_user(email="budget@apo.example", password=PASSWORD)
    j, fonts = _journey(bare_chromium, live_server, "scripts-budget")
    page = j.new_page()
    j.login(page, "budget@apo.example")
    page.goto(reverse("project_list"))
    page.wait_for_load_state("networkidle")
    assert fonts == [], [r.url for r in fonts]  # Latin only: no font at all

    page.goto(reverse("nominations:participant_list", kwargs={"code": project.code}))
    page.wait_for_load_state("networkidle")
    page.set_viewport_size(PHONE)
    seed = _font_bytes(fonts)
    print(
        f"seed participants page: {seed} bytes of fonts in {len(fonts)} files: {[r.url.rsplit('/', 1)[1] for r in fonts]}"
    )
    # 21 countries' names: each script's slice once, and for the Han names the few slices of
    # their characters (about 0.9 MB), not the 11 MB of every font.
    assert seed < 1_000_000
    assert not [r.url for r in fonts if "mongolian" in r.url]  # no name of the seed is in that script
    j.context.close()
