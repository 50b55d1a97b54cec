import pytest
from django.urls import reverse

from apopms import services
from apopms.enums import InvitationPurpose, Role
from apopms.models import AuditEntry, Invitation, Membership, User
from tests import factories
from tests.confirm import confirmed
from tests.permissions import LOGIN, SECRETARIAT_ONLY, assert_matrix, role_users

pytestmark = pytest.mark.django_db

MODEL_BACKEND = "apopms.backends.PortalBackend"


@pytest.mark.parametrize("backend", [None, MODEL_BACKEND])
def test_deactivated_officer_is_logged_out_at_once(client, secretariat, npo_in, backend):
    client.force_login(npo_in, backend=backend)
    assert client.get(reverse("people")).status_code == 200
    membership = Membership.objects.get(user=npo_in)
    services.deactivate_membership(actor=secretariat, membership=membership)
    response = client.get(reverse("people"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
    npo_in.refresh_from_db()
    assert not npo_in.is_active
    assert AuditEntry.objects.filter(action="apopms.membership.deactivated", actor=secretariat).exists()
    # And they cannot log in again.
    response = client.post(
        reverse("login"), {"username": npo_in.email, "password": "correct horse battery staple"}, REMOTE_ADDR="10.9.9.9"
    )
    assert response.status_code == 200  # the login form again, not a redirect
    assert client.get(reverse("people")).status_code == 302


def test_reactivated_officer_may_log_in_again(client, secretariat, npo_in):
    membership = Membership.objects.get(user=npo_in)
    services.deactivate_membership(actor=secretariat, membership=membership)
    services.reactivate_membership(actor=secretariat, membership=membership)
    npo_in.refresh_from_db()
    assert npo_in.is_active and Membership.objects.get(pk=membership.pk).active
    client.force_login(npo_in)
    assert client.get(reverse("people")).status_code == 200


def test_deactivating_one_role_keeps_the_account_of_someone_with_another(secretariat, project):
    user = factories.implementer(project)
    Membership.objects.create(user=user, role=Role.NPO_OFFICER, country=factories.country("LK"))
    npo = Membership.objects.get(user=user, role=Role.NPO_OFFICER)
    services.deactivate_membership(actor=secretariat, membership=npo)
    user = User.objects.get(pk=user.pk)
    assert user.is_active
    assert user.npo_country is None
    assert user.is_implementer_of(project)


def test_deactivation_voids_pending_invitations(secretariat):
    invitation = services.invite_user(
        actor=secretariat,
        email="new@npo.example",
        full_name="New",
        purpose=InvitationPurpose.NPO_OFFICER,
        country=factories.country("PH"),
    )
    services.deactivate_membership(actor=secretariat, membership=invitation.membership)
    assert Invitation.objects.get(pk=invitation.pk).state() == "void"


def test_secretariat_sees_officers_per_country_and_invites(client, secretariat, django_capture_on_commit_callbacks):
    factories.npo_officer("IN", email="one.in@npo.example", full_name="One India")
    factories.npo_officer("IN", email="two.in@npo.example", full_name="Two India")
    factories.npo_officer("JP", email="one.jp@npo.example", full_name="One Japan")
    client.force_login(secretariat)
    html = client.get(reverse("people")).content.decode()
    india = html.index('id="country-IN"')
    japan = html.index('id="country-JP"')
    assert india < html.index("one.in@npo.example") < html.index("two.in@npo.example") < japan
    assert japan < html.index("one.jp@npo.example")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("people"),
            {"full_name": "Three India", "email": "three.in@npo.example", "country": factories.country("IN").pk},
        )
    assert response.status_code == 302
    assert User.objects.get(email="three.in@npo.example").npo_country.iso2 == "IN"


def test_npo_officer_sees_and_invites_only_own_colleagues(client, npo_lk, django_capture_on_commit_callbacks):
    factories.npo_officer("JP", email="one.jp@npo.example")
    client.force_login(npo_lk)
    page = client.get(reverse("people"))
    html = page.content.decode()
    assert npo_lk.email in html
    assert "one.jp@npo.example" not in html
    assert "country" not in page.context["form"].fields
    assert "Deactivate" not in html
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("people"), {"full_name": "Colleague", "email": "colleague@nps.example"})
    assert response.status_code == 302
    colleague = User.objects.get(email="colleague@nps.example")
    assert colleague.npo_country.iso2 == "LK"
    assert Invitation.objects.get(user=colleague).invited_by == npo_lk


def test_people_page_takes_8_queries_for_2_or_22_officers(client, secretariat, django_assert_num_queries):
    client.force_login(secretariat)

    def officers(n):
        for i in range(n):
            user = factories.npo_officer(["IN", "JP", "PH", "TH"][i % 4], email=f"o{n}-{i}@npo.example")
            Invitation.objects.create(
                user=user,
                purpose=InvitationPurpose.NPO_OFFICER,
                membership=user.memberships.get(),
                nonce=f"n{n}-{i}",
                token_hash=f"h{n}-{i}",
                invited_by=secretariat,
                expires_at="2099-01-01T00:00:00Z",
            )

    # The session, its user (with whether they take part, for the menu), their roles; the officers'
    # count (pages), the officers, their invitations; the countries listed; the invite form's countries.
    officers(2)
    with django_assert_num_queries(8):
        response = client.get(reverse("people"))
    assert response.context["officer_count"] == 2
    officers(20)
    with django_assert_num_queries(8):
        response = client.get(reverse("people"))
    assert response.context["officer_count"] == 22
    # A search: the countries listed are those of the officers found, so one query fewer.
    with django_assert_num_queries(7):
        response = client.get(reverse("people"), {"q": "o20-"})
    assert response.context["officer_count"] == 20


@pytest.mark.parametrize("size", [1, 10])
def test_implementers_page_takes_6_queries_at_any_size(client, secretariat, project, size, django_assert_num_queries):
    for i in range(size):
        factories.implementer(project, email=f"impl{i}@nps.example")
    client.force_login(secretariat)
    # The session, its user (with whether they take part, for the menu), their roles; the project; the
    # implementers, their invitations.
    with django_assert_num_queries(6):
        response = client.get(reverse("project_team", kwargs={"code": project.code}))
    assert len(response.context["team"]) == size


def test_implementers_page_invites_and_lists(client, secretariat, project, django_capture_on_commit_callbacks):
    client.force_login(secretariat)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("project_team", kwargs={"code": project.code}),
            {"full_name": "Chamila Fernando", "email": "implementer.lk@nps.example"},
        )
    assert response.status_code == 302
    user = User.objects.get(email="implementer.lk@nps.example")
    assert user.is_implementer_of(project) and not user.is_secretariat
    html = client.get(reverse("project_team", kwargs={"code": project.code})).content.decode()
    assert "implementer.lk@nps.example" in html


def test_implementer_limits(client, project):
    """An implementer manages that project's programme only, and has no Secretariat rights."""
    implementer = factories.implementer(project)
    other = factories.ProjectFactory()
    assert implementer.can_manage_programme(project)
    assert not implementer.can_manage_programme(other)
    assert not implementer.is_secretariat and implementer.npo_country is None
    client.force_login(implementer)
    for url in [
        reverse("people"),
        reverse("project_create"),
        reverse("project_manage", kwargs={"code": project.code}),
        reverse("project_edit", kwargs={"code": project.code}),
        reverse("project_team", kwargs={"code": project.code}),
        reverse("audit_log", kwargs={"code": project.code}),
    ]:
        assert client.get(url).status_code == 403, url
    html = client.get(reverse("project_list")).content.decode()
    assert project.title in html and other.title not in html


# --- Permission matrix of every new URL ----------------------------------------------------


@pytest.mark.parametrize(
    "name", ["project_manage", "project_edit", "project_clone", "project_deadline", "project_team"]
)
def test_project_pages_are_for_the_secretariat(client, project, name):
    assert_matrix(client, reverse(name, kwargs={"code": project.code}), role_users(project), SECRETARIAT_ONLY)


def test_project_create_is_for_the_secretariat(client, project):
    assert_matrix(client, reverse("project_create"), role_users(project), SECRETARIAT_ONLY)


@pytest.mark.parametrize("name", ["project_issue", "project_nominations"])
def test_project_posts_are_for_the_secretariat(client, project, name):
    assert_matrix(
        client,
        reverse(name, kwargs={"code": project.code}),
        role_users(project),
        {**SECRETARIAT_ONLY, "secretariat": 302},
        method="post",
        data={"open": "1"},
    )


def test_project_list_permission_matrix(client, project):
    assert_matrix(
        client,
        reverse("project_list"),
        role_users(project),
        {
            "anonymous": LOGIN,
            "own_npo": 200,
            "other_npo": 200,
            "host_npo": 200,
            "implementer": 200,
            "participant": 403,
            "secretariat": 200,
        },
    )


def test_people_permission_matrix(client, project):
    assert_matrix(
        client,
        reverse("people"),
        role_users(project),
        {
            "anonymous": LOGIN,
            "own_npo": 200,
            "other_npo": 200,
            "host_npo": 200,
            "implementer": 403,
            "participant": 403,
            "secretariat": 200,
        },
    )


@pytest.mark.parametrize("name", ["membership_deactivate", "membership_reactivate"])
def test_membership_actions_are_for_the_secretariat(client, project, name):
    users = role_users(project)
    target = factories.npo_officer("PH")
    membership = Membership.objects.get(user=target)
    assert_matrix(
        client,
        reverse(name, kwargs={"pk": membership.pk}),
        users,
        # Deactivating asks first (the confirmation page); reactivating acts at once.
        {**SECRETARIAT_ONLY, "secretariat": 200 if name == "membership_deactivate" else 302},
        method="post",
    )


def test_deactivate_button_asks_and_only_the_confirmation_acts(client, secretariat):
    officer = factories.npo_officer("PH")
    membership = Membership.objects.get(user=officer)
    client.force_login(secretariat)
    url = reverse("membership_deactivate", kwargs={"pk": membership.pk})
    page = client.post(url).content.decode()
    assert "is closed and they are logged out at once" in page
    assert officer.email in page
    client.post(url, {"confirm": "yes"})
    membership.refresh_from_db()
    assert membership.active
    assert client.post(url, confirmed(secretariat, url)).status_code == 302
    membership.refresh_from_db()
    assert not membership.active
    assert AuditEntry.objects.filter(action="apopms.membership.deactivated", actor=secretariat).count() == 1


# --- Navigation shows what the person may do ----------------------------------------------


def _nav(client, user):
    client.logout()
    if user is not None:
        client.force_login(user)
    html = client.get(reverse("home")).content.decode()
    return html[html.index('aria-label="Main"') : html.index("</nav>")]


def test_navigation_shows_what_each_role_may_do(client, project):
    users = role_users(project)
    projects, people, admin = reverse("project_list"), reverse("people"), reverse("admin:index")
    nav = _nav(client, users["secretariat"])
    assert projects in nav and people in nav and "NPO officers" in nav and admin in nav
    nav = _nav(client, users["own_npo"])
    assert projects in nav and people in nav and "Colleagues" in nav and admin not in nav
    nav = _nav(client, users["implementer"])
    assert projects in nav and people not in nav and admin not in nav
    nav = _nav(client, users["participant"])
    assert projects not in nav and people not in nav and admin not in nav
    nav = _nav(client, None)
    assert projects not in nav and "Log in" in nav


def test_project_page_links_the_audit_trail_for_the_secretariat_only(client, project):
    users = role_users(project)
    audit = reverse("audit_log", kwargs={"code": project.code})
    client.force_login(users["secretariat"])
    assert audit in client.get(project.get_absolute_url()).content.decode()
    client.force_login(users["own_npo"])
    assert audit not in client.get(project.get_absolute_url()).content.decode()
