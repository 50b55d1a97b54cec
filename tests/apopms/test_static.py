"""Static files hold up in the production configuration: every file they name is there, and
`collectstatic` with the production storage (the Dockerfile's step) succeeds and serves pages."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command

STATIC = Path(settings.BASE_DIR) / "static"
# The storage production uses (settings.py with DEBUG=0); the tests otherwise use the plain one.
PRODUCTION_STORAGE = "whitenoise.storage.CompressedManifestStaticFilesStorage"

CSS_REFERENCES = [
    re.compile(r"""url\(\s*(['"]?)(?P<ref>[^'")]+)\1\s*\)"""),
    re.compile(r"""@import\s+(['"])(?P<ref>[^'"]+)\1"""),
    re.compile(r"""/\*[#@]\s*sourceMappingURL=(?P<ref>[^\s*]+)"""),
]
JS_REFERENCES = [re.compile(r"""^//[#@]\s*sourceMappingURL=(?P<ref>\S+)""", re.MULTILINE)]


def _references(path):
    text = path.read_text(encoding="utf-8", errors="replace")
    patterns = CSS_REFERENCES if path.suffix == ".css" else JS_REFERENCES
    for pattern in patterns:
        for match in pattern.finditer(text):
            ref = match.group("ref").strip()
            if re.match(r"^(data:|[a-z][a-z0-9+.-]*:|//|#)", ref, re.IGNORECASE):
                continue  # inline data, another site, or a fragment: nothing to find here
            yield ref


def missing_references(root=STATIC):
    """(file, reference) for every reference in a CSS or JS file under `root` to a file not there."""
    missing = []
    for path in sorted(root.rglob("*")):
        if path.suffix not in {".css", ".js"}:
            continue
        for ref in _references(path):
            target = ref.split("#", 1)[0].split("?", 1)[0]
            if target.startswith("/"):
                resolved = root / target.removeprefix("/" + settings.STATIC_URL.strip("/") + "/")
            else:
                resolved = path.parent / target
            if not resolved.resolve().is_file():
                missing.append((str(path.relative_to(root)), ref))
    return missing


def test_every_static_file_names_only_files_that_are_there():
    assert missing_references() == []


def test_missing_reference_is_named(tmp_path):
    (tmp_path / "vendor").mkdir()
    (tmp_path / "vendor" / "lib.min.js").write_text("x();\n//# sourceMappingURL=lib.min.js.map\n")
    (tmp_path / "vendor" / "lib.min.css").write_text(
        '@import "base.css";\na{background:url("data:image/svg+xml,%3csvg%3e")}'
        "b{background:url(../img/there.png)}\n/*# sourceMappingURL=lib.min.css.map */"
    )
    (tmp_path / "img").mkdir()
    (tmp_path / "img" / "there.png").write_bytes(b"")
    assert missing_references(tmp_path) == [
        ("vendor/lib.min.css", "base.css"),
        ("vendor/lib.min.css", "lib.min.css.map"),
        ("vendor/lib.min.js", "lib.min.js.map"),
    ]


@pytest.mark.slow
@pytest.mark.django_db
def test_collectstatic_with_the_production_storage_serves_pages(tmp_path, settings, client):
    settings.STATIC_ROOT = tmp_path / "staticfiles"
    settings.STORAGES = {**settings.STORAGES, "staticfiles": {"BACKEND": PRODUCTION_STORAGE}}
    call_command("collectstatic", interactive=False, verbosity=0)
    assert (settings.STATIC_ROOT / "staticfiles.json").is_file()

    settings.DEBUG = False
    for url in ("/", "/accounts/login/"):
        response = client.get(url)
        assert response.status_code == 200, url
        assert b"/static/vendor/bootstrap/bootstrap.min." in response.content  # hashed name from the manifest
