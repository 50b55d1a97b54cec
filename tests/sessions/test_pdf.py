import logging

import pytest
from django.urls import reverse

from apopms import pdf as pipeline
from sessions import services
from sessions.pdf import programme_html, render_programme_pdf
from sessions.selectors import programme_snapshot
from tests.certificates.glyphs import drawn_glyphs
from tests.permissions import LOGIN, assert_matrix, role_users

from .programme_helpers import build_programme, publish_selection

pytestmark = pytest.mark.django_db


def test_the_printable_programme_is_a_pdf(client, project, secretariat):
    build_programme(project, secretariat, days=1)
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
