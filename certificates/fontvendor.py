"""Vendor the Noto fonts of the PDFs (certificates, programme) from @fontsource npm packages.

The PDFs must look the same on every machine, so the fonts live in the repository
(``static/fonts/noto/``, SIL Open Font License) and ``static/pdf/fonts.css``
declares them with the unicode ranges of each subset file. Re-run after unpacking the
packages (``npm pack @fontsource/<name>`` then ``tar xzf``) into one folder::

    python -m certificates.fontvendor /tmp/fonts

Only weight 400 is kept for the scripts (names are upright and regular); the Latin
serif also keeps 700 for headings. WeasyPrint loads every @font-face when the CSS is
parsed (once per process, see apopms/pdf.py), and each face costs a
Fontconfig reload plus a WOFF2 decode in Python, so:

- the unicode-range slices of one font and weight are merged back into one font: the
  ~100 slices of each CJK font, and Noto Serif's Latin/Vietnamese/Cyrillic slices.
  (Several files under one family name also confuse WeasyPrint 70's PDF font
  embedding: a Vietnamese or Mongolian name came out with glyphs of another slice.)
- every file is stored as WOFF2 *without* the glyf/loca transform, which decodes in
  milliseconds instead of seconds (a little larger on disk).

That brings the load from about 60 s to about 2 s per worker.

``static/pdf/coverage.json`` lists the code points each family draws (as ranges), so that a
process loads only the fonts a document needs (``apopms.pdf.families_for``): a Latin
certificate never decodes the CJK fonts. Rewritten with fonts.css; alone with::

    python -m certificates.fontvendor --coverage
"""

import json
import re
import shutil
import sys
import tempfile
from pathlib import Path

from fontTools.merge import Merger, Options
from fontTools.ttLib import TTFont, woff2

BASE = Path(__file__).resolve().parent.parent
FONT_DIR = BASE / "static" / "fonts" / "noto"
CSS_PATH = BASE / "static" / "pdf" / "fonts.css"
COVERAGE_PATH = BASE / "static" / "pdf" / "coverage.json"

# package -> (weights, subsets kept and merged per weight; None keeps the numbered CJK subsets)
PACKAGES = {
    "noto-serif": (("400", "700"), {"latin", "latin-ext", "vietnamese", "cyrillic", "cyrillic-ext"}),
    "noto-sans-thai": (("400",), {"thai"}),
    "noto-sans-lao": (("400",), {"lao"}),
    "noto-sans-khmer": (("400",), {"khmer"}),
    "noto-sans-bengali": (("400",), {"bengali"}),
    "noto-sans-devanagari": (("400",), {"devanagari"}),
    "noto-sans-sinhala": (("400",), {"sinhala"}),
    "noto-sans-tamil": (("400",), {"tamil"}),
    "noto-sans-mongolian": (("400",), {"mongolian"}),
    "noto-naskh-arabic": (("400",), {"arabic"}),
    "noto-nastaliq-urdu": (("400",), {"arabic"}),
    "noto-sans-sc": (("400",), None),
    "noto-sans-tc": (("400",), None),
    "noto-sans-jp": (("400",), None),
    "noto-sans-kr": (("400",), None),
}


def _store(source_file, target):
    """Copy a font as WOFF2 without table transforms (fast to decode)."""
    font = TTFont(str(source_file))
    font.flavor = None
    with tempfile.NamedTemporaryFile(suffix=".ttf") as tmp:
        font.save(tmp.name)
        woff2.compress(tmp.name, str(target), transform_tables=())


def _merge(files, target):
    """Merge the unicode-range slices of one CJK font back into one font."""
    with tempfile.TemporaryDirectory() as tmp:
        plain = []
        for file in files:
            font = TTFont(str(file))
            font.flavor = None
            path = Path(tmp) / (file.stem + ".ttf")
            font.save(path)
            plain.append(str(path))
        merged = Merger(options=Options(drop_tables=["vhea", "vmtx", "VORG"])).merge(plain)
        merged.save(Path(tmp) / "merged.ttf")
        woff2.compress(str(Path(tmp) / "merged.ttf"), str(target), transform_tables=())


FACE_RE = re.compile(r"/\* (?P<label>[^*]+) \*/\s*@font-face\s*{(?P<body>[^}]*)}", re.S)


def main(source, only=()):
    """Vendor every package (or those named in `only`), then rewrite fonts.css from what is on disk."""
    source = Path(source)
    FONT_DIR.mkdir(parents=True, exist_ok=True)
    for name, (weights, subsets) in PACKAGES.items():
        if only and name not in only:
            continue
        package = next(source.glob(f"fontsource-{name}-*/package"))
        version = package.parent.name.rsplit("-", 1)[-1]
        shutil.rmtree(FONT_DIR / name, ignore_errors=True)
        (FONT_DIR / name).mkdir()
        count = 0
        for weight in weights:
            slices = []
            text = (package / f"{weight}.css").read_text()
            for match in FACE_RE.finditer(text):
                body = match["body"]
                file = re.search(r"url\(\./files/([^)]+\.woff2)\)", body)[1]
                subset = file.removeprefix(f"{name}-").rsplit(f"-{weight}-", 1)[0]
                numbered = subset.startswith("[") or subset.isdigit()
                if subsets is None and not numbered:
                    continue
                if subsets is not None and subset not in subsets:
                    continue
                slices.append(package / "files" / file)
            file = f"{name}-{weight}-normal.woff2"
            if len(slices) == 1:
                _store(slices[0], FONT_DIR / name / file)
            else:
                _merge(slices, FONT_DIR / name / file)
            count += 1
        shutil.copy(package / "LICENSE", FONT_DIR / name / "OFL.txt")
        print(f"{name} {version}: {count} faces", flush=True)
    shutil.copy(next(source.glob("fontsource-noto-serif-*/package/LICENSE")), FONT_DIR / "OFL.txt")
    write_css()
    write_coverage()


def _family(name):
    return " ".join(part.upper() if len(part) == 2 else part.capitalize() for part in name.split("-"))


def _ranges(code_points):
    ranges = []
    for point in sorted(code_points):
        if ranges and ranges[-1][1] == point - 1:
            ranges[-1][1] = point
        else:
            ranges.append([point, point])
    return ranges


def write_coverage():
    """Write, per family, the ranges of code points its vendored faces draw (every weight together)."""
    coverage = {}
    for name in PACKAGES:
        points = set()
        for path in sorted((FONT_DIR / name).glob("*.woff2")):
            points.update(TTFont(str(path)).getBestCmap())
        coverage[_family(name)] = _ranges(points)
    COVERAGE_PATH.write_text(json.dumps(coverage, separators=(",", ":")) + "\n")


def write_css():
    css = [
        "/* Generated by `python -m certificates.fontvendor`: Noto fonts (SIL OFL 1.1, see",
        "   static/fonts/noto/OFL.txt) from the @fontsource npm packages. Do not edit by hand. */",
    ]
    for name in PACKAGES:
        family = _family(name)
        for path in sorted((FONT_DIR / name).glob("*.woff2")):
            weight = path.stem.rsplit("-", 2)[-2]
            css.append(
                f"@font-face {{ font-family: '{family}'; font-style: normal; font-weight: {weight};\n"
                f"  src: url(../fonts/noto/{name}/{path.name}) format('woff2'); }}"
            )
    CSS_PATH.parent.mkdir(parents=True, exist_ok=True)
    CSS_PATH.write_text("\n".join(css) + "\n")


if __name__ == "__main__":
    if sys.argv[1:] == ["--coverage"]:
        write_coverage()
    else:
        main(sys.argv[1], only=sys.argv[2:])
