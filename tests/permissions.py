"""The permission matrix every app's view tests extend (in the style of pretix's test_permissions).

For a URL and each role, the expected answer:
- ``LOGIN``: anonymous people are redirected to the login page;
- ``404``: another country's NPO (or another participant) learns nothing of the object;
- ``403``: a role without the right;
- ``200`` (or a redirect code) for the role that may.

Usage::

    users = role_users(project)              # one user per role, relative to `project` and India
    assert_matrix(client, url, users, {"anonymous": LOGIN, "other_npo": 404, "own_npo": 200, ...})

A candidate's account (`with_candidate`) holds no role: every page of the portal answers it as it
answers an anonymous visitor, or refuses (`REFUSED`), except its own nomination's pages
(`tests/nominations/test_candidate_views.py` walks the whole urlconf).
"""

from urllib.parse import urlparse

from django.conf import settings
from django.shortcuts import resolve_url

from . import factories

LOGIN = "login"
ROLES = ("anonymous", "own_npo", "other_npo", "host_npo", "implementer", "participant", "candidate", "secretariat")
# What a refusal looks like: nothing of the object (a 404), no right (403), not this method (405).
REFUSED = {403, 404, 405}
# A page of the Secretariat alone: anyone else signed in is refused, a visitor is sent to log in.
SECRETARIAT_ONLY = {
    "anonymous": LOGIN,
    "own_npo": 403,
    "other_npo": 403,
    "host_npo": 403,
    "implementer": 403,
    "participant": 403,
    "secretariat": 200,
}


def role_users(project, own_iso2="IN", other_iso2="JP"):
    """One user per role. `own_npo` is the NPO of `own_iso2`; `participant` is a participant of `project`
    from `own_iso2`."""
    participant = factories.ParticipantFactory(
        nomination__project=project, nomination__country=factories.country(own_iso2)
    )
    return {
        "anonymous": None,
        "own_npo": factories.npo_officer(own_iso2),
        "other_npo": factories.npo_officer(other_iso2),
        "host_npo": factories.npo_officer(project.host_country.iso2),
        "implementer": factories.implementer(project),
        "participant": participant.user,
        "secretariat": factories.secretariat_user(),
    }


def with_candidate(users, project, own_iso2="IN"):
    """`users` plus "candidate": a candidate's account (no role) with their own draft nomination of
    `project` from `own_iso2` (returned too), filled in by themselves."""
    user, nomination = factories.candidate(project, own_iso2)
    return {**users, "candidate": user}, nomination


def status_for(client, url, user, method="get", data=None):
    client.logout()
    if user is not None:
        client.force_login(user)
    response = getattr(client, method)(url, data or {})
    client.logout()
    if response.status_code in (301, 302):
        login_path = urlparse(resolve_url(settings.LOGIN_URL)).path
        if urlparse(response["Location"]).path == login_path:
            return LOGIN
    return response.status_code


def assert_matrix(client, url, users, expected, method="get", data=None):
    """Check every role in `expected`; report all mismatches at once."""
    got = {role: status_for(client, url, users[role], method, data) for role in expected}
    wrong = {role: (expected[role], got[role]) for role in expected if expected[role] != got[role]}
    assert not wrong, f"{method.upper()} {url}: role -> (expected, got): {wrong}"
