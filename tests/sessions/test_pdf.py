import importlib
import logging

import pytest
from django.urls import reverse

from apopms import pdf as pipeline
from sessions import pdf as pdf_module
from sessions import services
from sessions.pdf import programme_html, render_programme_pdf
from sessions.selectors import programme_snapshot
from sessions.services import programme_pdf as programme_pdf_service
from tests.certificates.glyphs import drawn_glyphs
from tests.permissions import LOGIN, assert_matrix, role_users

from .programme_helpers import build_programme, publish_selection

pytestmark = pytest.mark.django_db

# The module (the package re-exports its view function under the same name).
programme_views = importlib.import_module("sessions.views.programme")


def test_the_printable_programme_is_a_pdf(client, project, secretariat, django_capture_on_commit_callbacks):
    build_programme(project, secretariat, days=1)
    with django_capture_on_commit_callbacks(execute=True):
        services.announce_programme(project=project, actor=secretariat, without_participants=True, notify=False)
    response = client.get(reverse("agenda:programme_pdf", kwargs={"code": project.code}))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")


def test_the_programme_html_has_days_times_and_speakers(project, secretariat):
    build_programme(project, secretariat, days=2)
    html = programme_html(project, programme_snapshot(project), draft=True)
    assert "Day 2 ·" in html and "10:00–13:00" in html and "Speaker 0" in html
    assert "Colombo (UTC+05:30)" in html
    assert "DRAFT" in html
    assert "zoom.example" not in html  # no links to join on paper


def test_participant_names_are_printed_only_when_asked(project, secretariat):
    build_programme(project, secretariat, days=1)
    (participant,) = publish_selection(project)
    snapshot = programme_snapshot(project)
    assert participant.certificate_name not in programme_html(project, snapshot)
    assert participant.certificate_name in programme_html(project, snapshot, show_participants=True)


@pytest.mark.parametrize("url", ["file:///etc/passwd", "http://169.254.169.254/latest/", "https://example.org/a.css"])
def test_the_pdf_fetches_nothing_but_data_urls(url):
    fetcher = pipeline._renderer().fetcher  # the one fetcher of every PDF
    with pytest.raises(ValueError, match="fetches nothing"):
        fetcher.fetch(url)
    response = fetcher.fetch("data:text/plain;base64,aGVsbG8=")
    assert response.read() == b"hello"


def test_the_draft_pdf_is_for_those_who_manage_the_programme(client, project, secretariat):
    build_programme(project, secretariat, days=1)
    users = role_users(project)
    assert_matrix(
        client,
        reverse("agenda:programme_pdf", kwargs={"code": project.code}),
        users,
        {"anonymous": LOGIN, "own_npo": 404, "participant": 404, "implementer": 200, "secretariat": 200},
    )


def test_the_vendored_font_is_embedded_so_the_pdf_looks_the_same_everywhere(project, secretariat):
    build_programme(project, secretariat, days=1)
    drawn = drawn_glyphs(render_programme_pdf(project, programme_snapshot(project), draft=True))
    assert "Noto-Serif" in drawn
    assert all(0 not in glyphs for glyphs in drawn.values())


# Names of resource persons in their own scripts, as an NPO might type them: the programme is set
# with the same fonts as the certificates, so each is drawn with real glyphs of its script's font.
NAMES = [
    ("রহিম উদ্দিন", "Noto-Sans-Bengali"),
    ("张伟 刘晓东", "Noto-Sans-SC"),
    ("สมชาย ใจดี", "Noto-Sans-Thai"),
    ("محمد رضایی", "Noto-Naskh-Arabic"),
    ("김민준", "Noto-Sans-KR"),
]


def test_resource_persons_named_in_any_script_print_without_missing_glyphs(project, secretariat, caplog):
    for name, _font in NAMES:
        services.create_resource_person(project=project, actor=secretariat, name=name, country="Singapore")
    with caplog.at_level(logging.WARNING, logger="weasyprint"):
        drawn = drawn_glyphs(render_programme_pdf(project, programme_snapshot(project), draft=True))
    assert not [r.getMessage() for r in caplog.records if "notdef" in r.getMessage()]
    for _name, font in NAMES:  # names are bold: synthesised from the regular face ("Noto-Sans-Bengali-Bold")
        assert [used for used in drawn if used.startswith(font)], (font, list(drawn))
    assert all(0 not in glyphs for glyphs in drawn.values())


class _CountingRenderer:
    """Wraps the programme renderer wherever it is called from, counting the calls."""

    def __init__(self, monkeypatch):
        self.real = pdf_module.render_programme_pdf
        self.calls = 0
        monkeypatch.setattr(pdf_module, "render_programme_pdf", self)
        monkeypatch.setattr(programme_pdf_service, "render_programme_pdf", self)
        monkeypatch.setattr(programme_views, "render_programme_pdf", self)

    def __call__(self, *args, **kwargs):
        self.calls += 1
        return self.real(*args, **kwargs)


def test_a_published_version_is_rendered_once_by_the_worker_and_served_from_storage(
    client, project, secretariat, monkeypatch, django_capture_on_commit_callbacks
):
    build_programme(project, secretariat, days=1)
    renderer = _CountingRenderer(monkeypatch)
    with django_capture_on_commit_callbacks(execute=True):
        version = services.announce_programme(
            project=project, actor=secretariat, without_participants=True, notify=False
        )
    assert renderer.calls == 1  # the worker, after commit
    version.refresh_from_db()
    with version.pdf.open("rb") as handle:
        stored = handle.read()
    url = reverse("agenda:programme_pdf", kwargs={"code": project.code})
    for _ in range(2):
        response = client.get(url)
        assert (response.status_code, response.content) == (200, stored)
    assert renderer.calls == 1  # no request rendered it


def test_a_new_version_gets_its_own_pdf(client, project, secretariat, django_capture_on_commit_callbacks):
    build_programme(project, secretariat, days=1)
    with django_capture_on_commit_callbacks(execute=True):
        first = services.announce_programme(project=project, actor=secretariat, without_participants=True, notify=False)
    session = project.sessions.get()
    session.title = "Opening, moved"
    session.save()
    with django_capture_on_commit_callbacks(execute=True):
        second, created = services.publish_programme_update(
            project=project, actor=secretariat, change_note="Title", notify=False
        )
    first.refresh_from_db()
    second.refresh_from_db()
    assert created and second.pdf and second.pdf.name != first.pdf.name
    with second.pdf.open("rb") as handle:
        assert client.get(reverse("agenda:programme_pdf", kwargs={"code": project.code})).content == handle.read()


def test_a_pdf_not_made_yet_is_queued_and_the_visitor_asked_to_wait(
    client, project, secretariat, monkeypatch, django_capture_on_commit_callbacks
):
    build_programme(project, secretariat, days=1)
    version = services.announce_programme(project=project, actor=secretariat, without_participants=True, notify=False)
    renderer = _CountingRenderer(monkeypatch)
    url = reverse("agenda:programme_pdf", kwargs={"code": project.code})
    with django_capture_on_commit_callbacks(execute=False) as queued:
        response = client.get(url)
    assert response.status_code == 503 and response["Retry-After"] == "10"
    assert "The printable programme is being prepared" in response.content.decode()
    assert renderer.calls == 0
    for callback in queued:  # the worker's turn
        callback()
    version.refresh_from_db()
    assert renderer.calls == 1 and version.pdf
    assert client.get(url).content.startswith(b"%PDF")


def test_participants_names_are_in_the_stored_pdf_only_for_those_taking_part(
    client, project, secretariat, django_capture_on_commit_callbacks
):
    build_programme(project, secretariat, days=1)
    (participant,) = publish_selection(project)
    with django_capture_on_commit_callbacks(execute=True):
        version = services.announce_programme(project=project, actor=secretariat, notify=False)
    version.refresh_from_db()
    assert version.with_participants and version.pdf and version.pdf_with_participants
    url = reverse("agenda:programme_pdf", kwargs={"code": project.code})
    with version.pdf.open("rb") as handle:
        assert client.get(url).content == handle.read()  # anonymous: no names
    client.force_login(participant.user)
    with version.pdf_with_participants.open("rb") as handle:
        assert client.get(url).content == handle.read()
