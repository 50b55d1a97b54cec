"""What is deployed holds no test-only asset: `static/` is collected and served in production,
while the assets the browser journeys inject (axe-core) live in `tests/e2e/assets/`."""

import hashlib
from pathlib import Path

from django.conf import settings

from tests.e2e.helpers import AXE_JS

STATIC = Path(settings.BASE_DIR) / "static"
TEST_ASSETS = Path(__file__).parent / "e2e" / "assets"
TEST_ONLY_NAMES = ("axe",)  # a file or folder whose name starts so is a test tool


def _digest(path):
    return hashlib.sha256(path.read_bytes()).hexdigest()


def assets_for_tests_only_in(root, test_assets=TEST_ASSETS):
    """Files under `root` that are test-only assets: named like one, or a copy of one."""
    copies = {_digest(path) for path in test_assets.rglob("*") if path.is_file()}
    found = []
    for path in sorted(root.rglob("*")):
        if not path.is_file():
            continue
        relative = path.relative_to(root)
        named = any(part.lower().startswith(TEST_ONLY_NAMES) for part in relative.parts)
        if named or _digest(path) in copies:
            found.append(str(relative))
    return found


def test_static_holds_no_test_only_asset():
    assert assets_for_tests_only_in(STATIC) == []


def test_a_test_only_asset_in_static_is_named(tmp_path):
    (tmp_path / "vendor" / "axe-core").mkdir(parents=True)
    (tmp_path / "vendor" / "axe-core" / "LICENSE").write_text("MPL")
    (tmp_path / "js").mkdir()
    (tmp_path / "js" / "a11y.js").write_bytes(AXE_JS.read_bytes())  # a renamed copy
    (tmp_path / "js" / "apopms.js").write_text("document;")
    assert assets_for_tests_only_in(tmp_path) == ["js/a11y.js", "vendor/axe-core/LICENSE"]


def test_the_journeys_inject_axe_core_from_the_test_assets():
    assert AXE_JS.is_relative_to(TEST_ASSETS)
    assert AXE_JS.read_text(encoding="utf-8").startswith("/*! axe v4.14.1")
