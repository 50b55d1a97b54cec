"""Least exposure of personal data: no participant names for anonymous visitors, every export of
personal data audited (who, when, which filter) and limited to what the role already sees, and
CV downloads listed on the nomination."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from apopms.models import AuditEntry
from sessions import services as programme_services
from tests import factories
from tests.permissions import LOGIN, assert_matrix, role_users
from tests.sessions.programme_helpers import build_programme

pytestmark = pytest.mark.django_db

NAMES = ("Anjali Sharma", "Kenji Sato")


@pytest.fixture
def workshop():
    """A workshop whose selection is published (one participant from India, one from Japan) and whose
    programme was announced with the participants, with one session of attendance."""
    project = factories.ProjectFactory(selection_published_at=timezone.now() - datetime.timedelta(days=1))
    secretariat = factories.secretariat_user(email="secretariat@apo.example")
    build_programme(project, secretariat, days=1, items_per_session=1, speakers=1)
    participants = [
        factories.ParticipantFactory(
            nomination__project=project,
            nomination__country=factories.country(iso2),
            nomination__certificate_name=name,
            nomination__email=f"{name.split()[0].lower()}@example.org",
        )
        for iso2, name in (("IN", NAMES[0]), ("JP", NAMES[1]))
    ]
    session = project.sessions.get()
    for participant in participants:
        factories.AttendanceFactory(participant=participant, session=session, present=True)
    programme_services.announce_programme(project=project, actor=secretariat, notify=False)
    return project, participants, secretariat


# ---------------------------------------------------------------- (a) no names for anonymous visitors


def test_the_public_project_page_and_programme_show_the_count_of_participants_not_their_names(client, workshop):
    project, participants, _ = workshop
    pages = {
        "home": reverse("home"),
        "project page": reverse("project_detail", kwargs={"code": project.code}),
        "programme": reverse("agenda:programme", kwargs={"code": project.code}),
        "calendar": reverse("agenda:programme_ics", kwargs={"code": project.code}),
    }

    shown = {what: client.get(url).content.decode() for what, url in pages.items()}

    for what, text in shown.items():
        for name in NAMES:
            assert name not in text, f"{name} on the public {what}"
    assert "2 selected participants from 2 countries" in shown["programme"]
    # Those taking part see who else does.
    client.force_login(participants[0].user)
    assert NAMES[1] in client.get(pages["programme"]).content.decode()


# ---------------------------------------------------------------- (b) every export audited


def _audience_csv(project):
    return reverse("outbox_audience_csv", kwargs={"code": project.code}) + "?audience=selected&country="


EXPORTS = {
    # kind: (url for the project, the audited details that must be there)
    "nominations.nomination.exported": (
        lambda p: (
            reverse("nominations:export", kwargs={"code": p.code, "fmt": "csv"})
            + f"?country={factories.country('IN').pk}"
        ),
        {"format": "csv", "rows": 1, "country": "India"},
    ),
    "nominations.participant.exported": (
        lambda p: reverse("nominations:participant_export", kwargs={"code": p.code, "fmt": "xlsx"}),
        {"format": "xlsx", "rows": 2},
    ),
    "agenda.attendance.exported": (
        lambda p: reverse("agenda:attendance_export", kwargs={"code": p.code, "fmt": "csv"}),
        {"format": "csv", "rows": 2, "country": ""},
    ),
    "apopms.outbox.audience_exported": (_audience_csv, {"audience": "selected", "rows": 2, "country": ""}),
    "certificates.certificate.zip_downloaded": (
        lambda p: reverse("certificates:zip", kwargs={"code": p.code}),
        {"rows": 0},
    ),
    "apopms.audit.exported": (
        lambda p: reverse("audit_log_csv", kwargs={"code": p.code}) + "?kind=agenda.programme.announced",
        {"rows": 1},
    ),
}


@pytest.mark.parametrize("kind", sorted(EXPORTS))
def test_every_export_of_personal_data_is_audited_with_who_when_and_which_filter(client, workshop, kind):
    project, _, secretariat = workshop
    url, details = EXPORTS[kind]
    client.force_login(secretariat)

    response = client.get(url(project))

    assert response.status_code == 200 and response["Content-Disposition"].startswith("attachment")
    entry = AuditEntry.objects.get(action=kind)
    assert (entry.actor, entry.project) == (secretariat, project)
    assert entry.created_at > timezone.now() - datetime.timedelta(minutes=1)
    assert {key: entry.details.get(key) for key in details} == details
    trail = client.get(reverse("audit_log", kwargs={"code": project.code})).content.decode()
    assert "exported" in trail


def test_an_npo_officers_export_holds_only_their_country_and_is_audited_with_it(client, workshop):
    project, _, _ = workshop
    officer = factories.npo_officer("IN")
    client.force_login(officer)

    own = client.get(reverse("agenda:attendance_country_export", args=[project.code, "in", "csv"]))
    other = client.get(reverse("agenda:attendance_country_export", args=[project.code, "jp", "csv"]))

    text = own.content.decode()
    assert NAMES[0] in text and NAMES[1] not in text and "Japan" not in text
    assert other.status_code == 404  # another country's: nothing says it exists
    entry = AuditEntry.objects.get(action="agenda.attendance.exported")
    assert (entry.actor, entry.details["country"], entry.details["rows"]) == (officer, "India", 1)


def test_each_export_is_limited_to_the_roles_that_already_see_its_rows(client, workshop):
    project, _, _ = workshop
    users = role_users(project)
    others = {"anonymous": LOGIN, "own_npo": 403, "other_npo": 403, "host_npo": 403, "participant": 403}
    secretariat_only = others | {"implementer": 403, "secretariat": 200}
    for kind in (
        "nominations.nomination.exported",
        "nominations.participant.exported",
        "apopms.audit.exported",
        "certificates.certificate.zip_downloaded",
    ):
        assert_matrix(client, EXPORTS[kind][0](project), users, secretariat_only)
    assert_matrix(client, _audience_csv(project), users, secretariat_only)
    # The attendance grid: the Secretariat and the project's implementers (another project's get nothing).
    grid = EXPORTS["agenda.attendance.exported"][0](project)
    assert_matrix(client, grid, users, others | {"implementer": 200, "secretariat": 200})
    stranger = factories.implementer(factories.ProjectFactory(code="27-WS-ELSE"))
    client.force_login(stranger)
    assert client.get(grid).status_code in (403, 404)
    # A country's attendance: its own NPO officers only among the NPOs.
    country = reverse("agenda:attendance_country_export", args=[project.code, "in", "csv"])
    assert_matrix(client, country, users, {"anonymous": LOGIN, "own_npo": 200, "other_npo": 404, "participant": 403})


# ---------------------------------------------------------------- (c) CV downloads on the nomination


def test_cv_downloads_are_listed_on_the_nomination_and_in_the_audit_trail(client):
    project = factories.ProjectFactory()
    nomination = factories.NominationFactory(
        project=project,
        country=factories.country("IN"),
        cv=SimpleUploadedFile("cv.pdf", b"%PDF-1.4 cv", content_type="application/pdf"),
    )
    officer = factories.npo_officer("IN", full_name="Priya Menon")
    secretariat = factories.secretariat_user(full_name="Tomoko Ito")
    for user in (officer, secretariat):
        client.force_login(user)
        assert client.get(reverse("nominations:cv", args=[nomination.pk])).status_code == 200

    page = client.get(reverse("nominations:detail", args=[nomination.pk])).content.decode()
    trail = client.get(
        reverse("audit_log", kwargs={"code": project.code}) + "?kind=nominations.nomination.cv_downloaded"
    )

    assert "CV downloaded by Priya Menon" in page and "CV downloaded by Tomoko Ito" in page
    assert "Tomoko Ito downloaded the CV of" in trail.content.decode()
