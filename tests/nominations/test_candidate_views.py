"""The candidate's pages and the NPO's, and the candidate's account against every page of the portal."""

import uuid

import pytest
from django.core.files.base import ContentFile
from django.urls import NoReverseMatch, URLResolver, get_resolver, reverse

from apopms.enums import OutboxCause
from apopms.models import Invitation, OutboxMessage
from apopms.views import auth as auth_views
from nominations.enums import Decision, NominationStatus
from nominations.models import Nomination
from tests import factories
from tests.e2e.helpers import tiny_pdf
from tests.permissions import LOGIN, REFUSED, assert_matrix, role_users, status_for, with_candidate

pytestmark = pytest.mark.django_db


def _with_cv(nomination, name="ravi-cv.pdf"):
    nomination.cv.save(name, ContentFile(tiny_pdf()), save=False)
    nomination.cv_original_name = name
    nomination.save()
    return nomination


@pytest.fixture
def setting(project):
    users = role_users(project)
    users, own = with_candidate(users, project)
    _with_cv(own)
    other_user, other = factories.candidate(project, "IN")
    _with_cv(other, "other-cv.pdf")
    users["other_candidate"] = other_user
    return users, own, other


def test_the_candidates_own_pages_are_theirs_alone(client, setting):
    users, own, _ = setting
    nobody_else = {role: 404 for role in users if role not in ("anonymous", "candidate")}
    for name in ("nominations:candidate", "nominations:candidate_cv"):
        url = reverse(name, kwargs={"pk": own.pk})
        assert_matrix(client, url, users, {"anonymous": LOGIN, **nobody_else, "candidate": 200})
    # Where the link leads: their nomination; nobody else has one to fill in.
    url = reverse("nominations:candidate_home")
    assert_matrix(client, url, users, {"anonymous": LOGIN, "candidate": 302, "own_npo": 404, "secretariat": 404})


def test_the_npo_pages_of_candidates_are_their_countrys_officers(client, setting, project):
    users, own, _ = setting
    url = reverse("nominations:ask_change", kwargs={"pk": own.pk})
    expected = {
        "anonymous": LOGIN,
        "own_npo": 200,
        "other_npo": 404,
        "host_npo": 404,
        "implementer": 403,
        "participant": 403,
        "candidate": 403,
        "other_candidate": 403,
        "secretariat": 200,
    }
    assert_matrix(client, url, users, expected)
    url = reverse("nominations:candidate_invite", kwargs={"code": project.code})
    expected = {
        "anonymous": LOGIN,
        "own_npo": 200,
        "other_npo": 200,  # for their own country
        "implementer": 403,
        "participant": 403,
        "candidate": 403,
        "secretariat": 403,  # a candidate is invited by their NPO
    }
    assert_matrix(client, url, users, expected)


# The candidate's account against every named page of the portal. Theirs: their nomination's pages;
# their account's (changing their password, logging out, their own data, the landing page listing
# their nomination). Every other page answers them as it answers an anonymous visitor, or refuses.
OWN_PAGES = {"nominations:candidate_home", "nominations:candidate", "nominations:candidate_cv"}
ACCOUNT_PAGES = {
    "login": "a signed-in person is sent on to the landing page",
    "logout": "ends their own session",
    "password_change": "their own password",
    "password_change_done": "their own password",
    "workspace:landing": "lists their own nomination (tests/workspace)",
    "workspace:my_data": "their own personal data, as the participant's (workspace/personal_data.py)",
}


# Pages that list, for any signed-in person, what their roles give them: the candidate's lists nothing.
ROLE_INDEXES = {"agenda:attendance_index", "agenda:my_workshop"}


def _patterns(resolver=None, namespace=""):
    for pattern in (resolver or get_resolver()).url_patterns:
        if isinstance(pattern, URLResolver):
            inner = ":".join(part for part in (namespace, pattern.namespace) if part)
            yield from _patterns(pattern, inner)
        elif pattern.name:
            yield (f"{namespace}:{pattern.name}" if namespace else pattern.name), pattern


def _urls(project, nomination, participant, session):
    values = {
        "code": project.code,
        "pk": nomination.pk,
        "fmt": "csv",
        "job": str(uuid.uuid4()),
        "token": "0" * 64,
        "iso2": "IN",
        "participant_id": participant.pk,
        "session_id": session.pk,
        "session_pk": session.pk,
        "number": "22-X-0001",
        "uidb64": "MQ",
    }
    for name, pattern in _patterns():
        if name.startswith("admin:"):
            continue
        kwargs = {key: values[key] for key in pattern.pattern.regex.groupindex}
        try:
            yield name, reverse(name, kwargs=kwargs)
        except NoReverseMatch:  # a numbered version (the report's), not a certificate's number
            yield name, reverse(name, kwargs={**kwargs, "number": 1})


@pytest.mark.parametrize("whose", ["own", "another"])
def test_the_candidates_account_gets_nothing_beyond_an_anonymous_visitor(client, setting, project, whose):
    """GET and POST every named pattern, its object ids those of a candidate's nomination (their own, or
    another candidate's of the same country), as the candidate and as an anonymous visitor."""
    users, own, other = setting
    nomination = own if whose == "own" else other
    participant = factories.ParticipantFactory(nomination__project=project)
    session = factories.SessionFactory(project=project)
    candidate = users["candidate"]
    # What no page may show the candidate unless it shows it to anyone: the project's nominees and participants.
    secrets = [other.email, other.certificate_name, participant.certificate_name, participant.nomination.email]
    wrong = {}
    for name, url in _urls(project, nomination, participant, session):
        # Their own nomination's pages; with another's ids, those must refuse like any other.
        if name in ACCOUNT_PAGES or name == "nominations:candidate_home" or (name in OWN_PAGES and whose == "own"):
            continue
        for method in ("get", "post"):
            anonymous = status_for(client, url, None, method)
            got = status_for(client, url, candidate, method)
            if got in REFUSED or got == anonymous:
                continue
            if got == 200 and name in ROLE_INDEXES:
                client.force_login(candidate)
                body = getattr(client, method)(url).content.decode()
                client.logout()
                if not any(secret in body for secret in secrets):
                    continue
            wrong[f"{method.upper()} {url} ({name})"] = (anonymous, got)
    assert wrong == {}, "the candidate's account got more than an anonymous visitor: (anonymous, candidate)"
    # Nothing changed by all those POSTs.
    nomination.refresh_from_db()
    assert nomination.status == NominationStatus.DRAFT and not nomination.decision


def test_the_candidate_fills_in_sends_and_sees_the_state(client, project):
    officer = factories.npo_officer("IN")
    user, nomination = factories.candidate(project, "IN")
    client.force_login(user)
    url = reverse("nominations:candidate", kwargs={"pk": nomination.pk})
    page = client.get(url).content.decode()
    assert "Personal data: what happens to what you fill in" in page
    assert 'id="candidate-state">Draft<' in page
    # Save part of it, come back.
    response = client.post(url, {"certificate_name": "Ravi Kumara", "native_name": "රවී කුමාර", "save": ""})
    assert response.status_code == 302
    page = client.get(url).content.decode()
    assert '<span lang="si">රවී කුමාර</span>' in page  # the preview, in the Sinhala web font
    # Send it incomplete: the missing field is named, nothing changes.
    response = client.post(url, {"certificate_name": "Ravi Kumara", "send": ""})
    assert response.status_code == 200 and "Fill in gender, organization" in response.content.decode()
    assert Nomination.objects.get(pk=nomination.pk).status == NominationStatus.DRAFT
    data = {
        "certificate_name": "Ravi Kumara",
        "native_name": "රවී කුමාර",
        "gender": "male",
        "organization": "National Productivity Secretariat",
        "organization_type": "productivity_organization",
        "position": "Productivity Officer",
        "cv": ContentFile(tiny_pdf(), name="ravi-cv.pdf"),
        "send": "",
    }
    assert client.post(url, data).status_code == 302
    assert 'id="candidate-state">With the NPO<' in client.get(url).content.decode()
    assert OutboxMessage.objects.filter(cause=OutboxCause.CANDIDATE_READY, recipient=officer.email).exists()
    # The officer endorses it: the candidate sees it submitted, and the form only on asking.
    client.force_login(officer)
    assert client.post(reverse("nominations:submit", kwargs={"pk": nomination.pk})).status_code == 302
    client.force_login(user)
    page = client.get(url).content.decode()
    assert 'id="candidate-state">Submitted by the NPO<' in page and "Change my biodata" in page
    assert 'name="send"' not in page and 'name="send"' in client.get(url + "?change=1").content.decode()
    # Selected, and published.
    Nomination.objects.filter(pk=nomination.pk).update(decision=Decision.SELECTED)
    assert 'id="candidate-state">Submitted by the NPO<' in client.get(url).content.decode()
    project.selection_published_at = project.nomination_deadline
    project.save()
    assert 'id="candidate-state">Selected<' in client.get(url).content.decode()


def test_the_officer_invites_and_asks_for_a_change(client, project):
    officer = factories.npo_officer("IN")
    client.force_login(officer)
    url = reverse("nominations:candidate_invite", kwargs={"code": project.code})
    response = client.post(url, {"full_name": "Asha Rao", "email": "asha@example.in"})
    nomination = Nomination.objects.get(email="asha@example.in")
    assert response["Location"] == reverse("nominations:detail", kwargs={"pk": nomination.pk})
    assert Invitation.objects.filter(user=nomination.candidate).count() == 1
    Nomination.objects.filter(pk=nomination.pk).update(
        status=NominationStatus.WITH_NPO, handed_in_at=project.notification_issued_at
    )
    detail = client.get(reverse("nominations:detail", kwargs={"pk": nomination.pk})).content.decode()
    assert "Endorse and submit" in detail and "Ask for a change" in detail
    change = reverse("nominations:ask_change", kwargs={"pk": nomination.pk})
    assert client.post(change, {"message": "Please upload your CV."}).status_code == 302
    nomination.refresh_from_db()
    assert nomination.status == NominationStatus.DRAFT and nomination.change_request == "Please upload your CV."
    client.force_login(nomination.candidate)
    page = client.get(reverse("nominations:candidate", kwargs={"pk": nomination.pk})).content.decode()
    assert "Please upload your CV." in page


def test_invalid_invitation_links_are_rate_limited_per_address(client, db, monkeypatch):
    monkeypatch.setattr(auth_views, "INVITATION_MISSES", (3, 600))
    for n in range(3):
        assert client.get(reverse("invitation_accept", kwargs={"token": f"{n:064x}"})).status_code == 404
    response = client.get(reverse("invitation_accept", kwargs={"token": "f" * 64}))
    assert response.status_code == 429 and response["Retry-After"] == "600"
    # Another address is not held up.
    other = client.get(reverse("invitation_accept", kwargs={"token": "e" * 64}), REMOTE_ADDR="192.0.2.7")
    assert other.status_code == 404


def test_the_landing_page_lists_the_candidates_nomination_and_nothing_else(client, project):
    user, nomination = factories.candidate(project, "IN")
    client.force_login(user)
    page = client.get(reverse("workspace:landing")).content.decode()
    assert 'id="role-candidate"' in page and reverse("nominations:candidate", kwargs={"pk": nomination.pk}) in page
    assert 'id="role-npo"' not in page and 'id="role-participant"' not in page


@pytest.mark.parametrize("count", [2, 4])
def test_the_list_of_a_candidates_nominations_takes_constant_queries(client, django_assert_max_num_queries, count):
    user = factories.UserFactory()
    for _ in range(count):
        project = factories.ProjectFactory()
        factories.NominationFactory(project=project, email=user.email, candidate=user)
    client.force_login(user)
    with django_assert_max_num_queries(6):
        response = client.get(reverse("nominations:candidate_home"))
    assert response.status_code == 200 and response.content.decode().count("/my-nomination/") >= count
