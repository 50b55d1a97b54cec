"""The selection pages: permission matrices, what they show, htmx and no-JS decisions, query counts, export."""

import io
import re

import openpyxl
import pytest
from django.urls import reverse

from nominations import selectors, services
from nominations.enums import Decision
from nominations.models import Participant
from tests import factories
from tests.confirm import confirmed
from tests.permissions import LOGIN, SECRETARIAT_ONLY, assert_matrix, role_users

from .selection_helpers import closed_project, submitted

pytestmark = pytest.mark.django_db


def url(name, project, **kwargs):
    return reverse(f"nominations:{name}", kwargs={"code": project.code, **kwargs})


@pytest.mark.parametrize("name", ["selection_board", "selection_counters", "selection_propose", "selection_publish"])
def test_secretariat_pages_matrix(client, name):
    project = closed_project()
    assert_matrix(client, url(name, project), role_users(project), SECRETARIAT_ONLY)


def test_decide_matrix(client):
    project = closed_project()
    nomination = submitted(project, "IN")
    expected = {**SECRETARIAT_ONLY, "secretariat": 302}
    assert_matrix(
        client,
        url("selection_decide", project, pk=nomination.pk),
        role_users(project),
        expected,
        method="post",
        data={"decision": "reserve"},
    )


def test_board_groups_by_country_in_priority_order_with_counters(client, secretariat):
    project = closed_project(overseas_quota=38, local_quota=12)
    submitted(project, "JP", priority=2, certificate_name="Haruto Ito", organization="Cabinet Office")
    submitted(project, "JP", priority=1, certificate_name="Aoi Suzuki", gender="male")
    first = submitted(project, "IN", priority=1, certificate_name="Asha Rao")
    services.decide_nomination(nomination=first, actor=secretariat, decision=Decision.SELECTED)
    client.force_login(secretariat)
    response = client.get(url("selection_board", project))
    html = response.content.decode()
    assert response.status_code == 200
    assert html.index("Asha Rao") < html.index("Aoi Suzuki") < html.index("Haruto Ito")
    assert 'id="counter-overseas">1 / 38<' in html
    assert 'id="counter-local">0 / 12<' in html
    assert "Female 1 (100%)" in html
    assert "India 1" in html
    assert "Cabinet Office" in html
    assert "fewest seats so far, then the NPO&#x27;s earliest submission, then the country&#x27;s name" in html
    assert f'href="{reverse("nominations:detail", kwargs={"pk": first.pk})}">Asha Rao</a>' in html


@pytest.mark.parametrize("count", [2, 20])
def test_board_runs_the_same_queries_at_two_sizes(client, secretariat, django_assert_num_queries, count):
    project = closed_project(overseas_quota=50)
    countries = ["IN", "JP", "PH", "TR", "LK"]
    for i in range(count):
        n = submitted(project, countries[i % 5])
        if i % 3 == 0:
            services.decide_nomination(nomination=n, actor=secretariat, decision=Decision.SELECTED)
        elif i % 3 == 1:
            services.decide_nomination(nomination=n, actor=secretariat, decision=Decision.RESERVE)
    client.force_login(secretariat)
    with django_assert_num_queries(6):  # ... and the date by which seats are confirmed
        response = client.get(url("selection_board", project))
    assert response.content.decode().count('class="decision-') == count


def test_decide_without_javascript_redirects_to_the_board(client, secretariat):
    project = closed_project()
    nomination = submitted(project, "IN")
    client.force_login(secretariat)
    response = client.post(url("selection_decide", project, pk=nomination.pk), {"decision": "selected"})
    assert response.status_code == 302
    assert response["Location"].endswith(f"?open=IN#nom-{nomination.pk}")
    nomination.refresh_from_db()
    assert nomination.decision == Decision.SELECTED
    # The country decided on comes back unfolded; the others stay folded.
    submitted(project, "JP")
    html = client.get(response["Location"]).content.decode()
    assert re.search(r'id="country-IN"[^>]*>\s*(?:\{#.*#\}\s*)*<details[^>]* open>', html)
    assert re.search(r'id="country-JP"[^>]*>\s*<details class="country-details" data-open-wide>', html)
    response = client.post(url("selection_decide", project, pk=nomination.pk), {"decision": "declined"}, follow=True)
    assert "Give a reason for not selecting" in response.content.decode()
    nomination.refresh_from_db()
    assert nomination.decision == Decision.SELECTED


def test_decide_with_htmx_returns_the_group_and_counters(client, secretariat):
    project = closed_project(overseas_quota=1)
    a = submitted(project, "IN", certificate_name="Asha Rao")
    b = submitted(project, "IN", certificate_name="Vikram Iyer")
    client.force_login(secretariat)
    response = client.post(
        url("selection_decide", project, pk=a.pk), {"decision": "selected"}, headers={"HX-Request": "true"}
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert html.lstrip().startswith('<section id="country-IN"')
    assert 'id="selection-counters"' in html and 'hx-swap-oob="true"' in html
    assert 'id="counter-overseas">1 / 1<' in html
    response = client.post(
        url("selection_decide", project, pk=b.pk), {"decision": "selected"}, headers={"HX-Request": "true"}
    )
    assert "Vikram Iyer: All 1 overseas seats are taken (1 / 1)." in response.content.decode()


def test_propose_shows_then_confirm_applies(client, secretariat):
    project = closed_project(overseas_quota=1, local_quota=0)
    a = submitted(project, "IN", priority=1, certificate_name="Asha Rao")
    b = submitted(project, "IN", priority=2, certificate_name="Vikram Iyer")
    client.force_login(secretariat)
    response = client.get(url("selection_propose", project) + "?reserve_size=1")
    html = response.content.decode()
    assert "Asha Rao" in html and "Reserve no. 1" in html
    assert not project.nominations.exclude(decision="").exists()
    proposal = selectors.propose_selection(project, 1)
    data = {"fingerprint": proposal.fingerprint, "reserve_size": 1, "selected": [a.pk], "reserve": [b.pk]}
    response = client.post(url("selection_propose", project), data, follow=True)
    assert "Proposal confirmed: 1 selected, 1 put on the reserve list." in response.content.decode()
    assert {n.pk: n.decision for n in project.nominations.all()} == {a.pk: "selected", b.pk: "reserve"}


def test_publish_page_lists_undecided_and_publishes(client, secretariat):
    project = closed_project()
    submitted(project, "IN", certificate_name="Meera Das")
    client.force_login(secretariat)
    html = client.get(url("selection_publish", project)).content.decode()
    assert "Meera Das" in html and "marks them <strong>not selected</strong>" in html
    fingerprint = selectors.publication_preview(project)["fingerprint"]
    # The page is the confirmation: a POST without what it carries (the fingerprint) publishes nothing.
    client.post(url("selection_publish", project))
    project.refresh_from_db()
    assert project.selection_published_at is None
    response = client.post(url("selection_publish", project), {"fingerprint": fingerprint})
    assert response.status_code == 302
    project.refresh_from_db()
    assert project.selection_published_at is not None


# ---------------------------------------------------------------- participants list: never to others


def _published_project():
    project = closed_project()
    admin = factories.secretariat_user()
    nomination = submitted(project, "PH", certificate_name="Jose Reyes", organization="Civil Service Commission")
    services.decide_nomination(nomination=nomination, actor=admin, decision=Decision.SELECTED)
    services.publish_selection(project=project, actor=admin, notify=False)
    return project


def test_participant_list_matrix(client):
    project = _published_project()
    users = role_users(project)
    expected = {
        "anonymous": LOGIN,
        "own_npo": 200,
        "other_npo": 200,  # Japan takes part in the project
        "host_npo": 200,
        "implementer": 403,
        "participant": 200,
        "secretariat": 200,
    }
    assert_matrix(client, url("participant_list", project), users, expected)


def test_participant_list_hidden_from_outsiders(client):
    project = _published_project()
    project.participating_countries.remove(factories.country("TR"))
    outsiders = {
        "npo_outside_project": factories.npo_officer("TR"),
        "participant_elsewhere": factories.ParticipantFactory().user,
        "no_role": factories.UserFactory(),
        "anonymous": None,
    }
    expected = {"npo_outside_project": 404, "participant_elsewhere": 403, "no_role": 403, "anonymous": LOGIN}
    assert_matrix(client, url("participant_list", project), outsiders, expected)


def test_participant_list_shows_name_country_organization(client):
    project = _published_project()
    viewer = factories.npo_officer("JP")
    client.force_login(viewer)
    html = client.get(url("participant_list", project)).content.decode()
    assert "Jose Reyes" in html and "Philippines" in html and "Civil Service Commission" in html


def test_npo_sees_its_country_results_and_can_withdraw(client):
    project = _published_project()
    npo_ph = factories.npo_officer("PH")
    client.force_login(npo_ph)
    html = client.get(url("participant_list", project)).content.decode()
    assert "Results for Philippines" in html and "Selected" in html
    participant = Participant.objects.get(project=project, certificate_name="Jose Reyes")
    withdraw = url("participant_withdraw", project, pk=participant.pk)
    response = client.post(withdraw, {"reason": "Moved to another post"})  # not from the page: nothing done
    assert response.status_code == 200 and "Nothing was done" in response.content.decode()
    participant.refresh_from_db()
    assert participant.status == "active"
    response = client.post(withdraw, confirmed(npo_ph, withdraw, {"reason": "Moved to another post"}))
    assert response.status_code == 302
    participant.refresh_from_db()
    assert participant.status == "withdrawn"


def test_participant_withdraw_matrix(client):
    project = _published_project()
    users = role_users(project)  # the role_users participant is from India
    participant = Participant.objects.get(project=project, user=users["participant"])
    expected = {
        "anonymous": LOGIN,
        "own_npo": 200,
        "other_npo": 404,
        "host_npo": 404,
        "implementer": 403,
        "participant": 403,
        "secretariat": 200,
    }
    assert_matrix(client, url("participant_withdraw", project, pk=participant.pk), users, expected)


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_participant_export_matrix(client, fmt):
    project = _published_project()
    assert_matrix(client, url("participant_export", project, fmt=fmt), role_users(project), SECRETARIAT_ONLY)


def test_participant_export_neutralises_formulas(client, secretariat):
    project = closed_project()
    nomination = submitted(project, "IN", certificate_name="==1+1", organization="@SUM(A1:A2)")
    services.decide_nomination(nomination=nomination, actor=secretariat, decision=Decision.SELECTED)
    services.publish_selection(project=project, actor=secretariat, notify=False)
    client.force_login(secretariat)
    csv_text = client.get(url("participant_export", project, fmt="csv")).content.decode()
    assert "'==1+1" in csv_text and "'@SUM(A1:A2)" in csv_text
    assert "Name,Name in own script,Country" in csv_text
    content = client.get(url("participant_export", project, fmt="xlsx")).content
    sheet = openpyxl.load_workbook(io.BytesIO(content)).active
    row = [cell.value for cell in sheet[2]]
    assert row[0] == "'==1+1" and row[5] == "'@SUM(A1:A2)"
    assert all(cell.data_type != "f" for cell in sheet[2])


def test_participant_export_neutralises_what_a_spreadsheet_computes_like_the_nominations_export(client, secretariat):
    project = closed_project()
    nomination = submitted(project, "IN", organization="+1-234-567-8901", position="+94 11 2345678")
    services.decide_nomination(nomination=nomination, actor=secretariat, decision=Decision.SELECTED)
    services.publish_selection(project=project, actor=secretariat, notify=False)
    client.force_login(secretariat)
    content = client.get(url("participant_export", project, fmt="xlsx")).content
    row = [cell.value for cell in openpyxl.load_workbook(io.BytesIO(content)).active[2]]
    assert (row[5], row[6]) == ("'+1-234-567-8901", "+94 11 2345678")


def test_participant_export_of_an_unknown_format_is_not_found(client, secretariat):
    client.force_login(secretariat)
    assert client.get(url("participant_export", closed_project(), fmt="pdf")).status_code == 404


def test_participant_csv_export_starts_with_a_byte_order_mark(client, secretariat):
    project = closed_project()
    nomination = submitted(project, "BD", native_name="মোহাম্মদ রফিকুল ইসলাম")
    services.decide_nomination(nomination=nomination, actor=secretariat, decision=Decision.SELECTED)
    services.publish_selection(project=project, actor=secretariat, notify=False)
    client.force_login(secretariat)
    response = client.get(url("participant_export", project, fmt="csv"))
    assert response.content.startswith(b"\xef\xbb\xbfName,Name in own script,Country")
    assert "মোহাম্মদ রফিকুল ইসলাম" in response.content.decode("utf-8")


def test_neutralise_keeps_phone_numbers_and_numbers():
    from nominations.resources import neutralise

    assert neutralise("+94 11 2345678") == "+94 11 2345678"
    assert neutralise("-3.5") == "-3.5"
    assert neutralise('=HYPERLINK("x")') == '\'=HYPERLINK("x")'
    assert neutralise("\tcmd") == "'\tcmd"


def test_selection_index_matrix(client):
    project = closed_project()
    assert_matrix(client, reverse("nominations:selection_index"), role_users(project), SECRETARIAT_ONLY)


@pytest.mark.parametrize("count", [2, 20])
def test_selection_index_runs_the_same_queries_at_two_sizes(client, secretariat, django_assert_num_queries, count):
    for _ in range(count):
        project = closed_project()
        submitted(project, "IN")
    client.force_login(secretariat)
    with django_assert_num_queries(4):
        response = client.get(reverse("nominations:selection_index"))
    assert response.content.decode().count("/selection/") >= count


def test_secretariat_nav_links_to_selection(client, secretariat):
    client.force_login(secretariat)
    html = client.get(reverse("nominations:selection_index")).content.decode()
    assert f'href="{reverse("nominations:selection_index")}"' in html


def test_counters_poll_answer_keeps_polling(client, secretariat):
    project = closed_project(local_quota=12)
    client.force_login(secretariat)
    html = client.get(url("selection_counters", project), headers={"HX-Request": "true"}).content.decode()
    assert 'hx-trigger="every 20s"' in html
    assert 'id="counter-local">0 / 12<' in html
    assert "<html" not in html


def test_npo_sees_not_selected_without_the_internal_reason(client):
    project = closed_project()
    admin = factories.secretariat_user()
    nomination = submitted(project, "IN", certificate_name="Meera Das")
    services.decide_nomination(
        nomination=nomination, actor=admin, decision=Decision.DECLINED, reason="Internal note: too junior"
    )
    services.publish_selection(project=project, actor=admin, notify=False)
    client.force_login(factories.npo_officer("IN"))
    html = client.get(url("participant_list", project)).content.decode()
    assert "Meera Das" in html and "Not selected" in html
    assert "too junior" not in html


def test_reserve_move_and_promote_matrix(client):
    project = closed_project(overseas_quota=2)  # role_users' participant holds one seat
    admin = factories.secretariat_user()
    first = submitted(project, "PH", certificate_name="Jose Reyes")
    second = submitted(project, "PH", certificate_name="Ana Cruz")
    for n in (first, second):
        services.decide_nomination(nomination=n, actor=admin, decision=Decision.RESERVE)
    users = role_users(project)
    expected = {**SECRETARIAT_ONLY, "secretariat": 302}
    assert_matrix(
        client,
        url("selection_reserve_move", project, pk=second.pk),
        users,
        expected,
        method="post",
        data={"direction": "up"},
    )
    second.refresh_from_db()
    assert second.reserve_rank == 1  # only the Secretariat's request moved it
    assert_matrix(client, url("selection_promote", project, pk=second.pk), users, expected, method="post")
    second.refresh_from_db()
    assert second.decision == Decision.SELECTED


def test_promotion_after_publication_via_the_board(client, secretariat, django_capture_on_commit_callbacks):
    project = closed_project(overseas_quota=1, local_quota=0)
    chosen = submitted(project, "PH", certificate_name="Jose Reyes")
    reserve = submitted(project, "IN", certificate_name="Asha Rao")
    services.decide_nomination(nomination=chosen, actor=secretariat, decision=Decision.SELECTED)
    services.decide_nomination(nomination=reserve, actor=secretariat, decision=Decision.RESERVE)
    services.publish_selection(project=project, actor=secretariat, notify=False)
    participant = Participant.objects.get(nomination=chosen)
    client.force_login(secretariat)
    withdraw = url("participant_withdraw", project, pk=participant.pk)
    response = client.post(withdraw, confirmed(secretariat, withdraw, {"reason": "Left the ministry"}))
    assert response["Location"] == url("selection_board", project)
    html = client.get(url("selection_board", project)).content.decode()
    assert "1 overseas seat free." in html and "Promote Asha Rao" in html
    npo_in = factories.npo_officer("IN")
    promote = url("selection_promote", project, pk=reserve.pk)
    asked = client.post(promote)  # after publication it cannot be undone: the server asks first
    assert "they are invited to set a password" in asked.content.decode()
    assert not Participant.objects.filter(nomination=reserve).exists()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(promote, confirmed(secretariat, promote))
    assert Participant.objects.get(nomination=reserve).status == "active"
    from django.core import mail

    assert [m.to for m in mail.outbox if m.subject.startswith("Selection results")] == [[npo_in.email]]
    assert any(m.to == [reserve.email] for m in mail.outbox)


def _decided(project, secretariat, count):
    """`count` submitted nominations over five countries: a third selected, a third on the reserve list."""
    countries = ["IN", "JP", "PH", "TR", "LK"]
    for i in range(count):
        n = submitted(project, countries[i % 5])
        if i % 3 == 0:
            services.decide_nomination(nomination=n, actor=secretariat, decision=Decision.SELECTED)
        elif i % 3 == 1:
            services.decide_nomination(nomination=n, actor=secretariat, decision=Decision.RESERVE)


@pytest.mark.parametrize("count", [2, 20])
def test_counters_run_the_same_queries_at_two_sizes(client, secretariat, django_assert_num_queries, count):
    project = closed_project(overseas_quota=50)
    _decided(project, secretariat, count)
    client.force_login(secretariat)
    with django_assert_num_queries(5):
        response = client.get(url("selection_counters", project))
    assert response.status_code == 200


@pytest.mark.parametrize("count", [2, 20])
def test_proposal_runs_the_same_queries_at_two_sizes(client, secretariat, django_assert_num_queries, count):
    project = closed_project(overseas_quota=50)
    _decided(project, secretariat, count)
    client.force_login(secretariat)
    with django_assert_num_queries(5):
        response = client.get(url("selection_propose", project))
    assert response.context["proposal"].reserve_size == 5


@pytest.mark.parametrize("count", [2, 20])
def test_publication_preview_runs_the_same_queries_at_two_sizes(client, secretariat, django_assert_num_queries, count):
    project = closed_project(overseas_quota=50)
    _decided(project, secretariat, count)
    client.force_login(secretariat)
    with django_assert_num_queries(5):
        response = client.get(url("selection_publish", project))
    assert len(response.context["preview"]["undecided"]) == count // 3


@pytest.mark.parametrize("count", [2, 20])
def test_participant_list_runs_the_same_queries_at_two_sizes(client, secretariat, django_assert_num_queries, count):
    project = closed_project(overseas_quota=50)
    _decided(project, secretariat, count)
    services.publish_selection(project=project, actor=secretariat, notify=False)
    client.force_login(secretariat)
    # with the page's count, the seat answers, the date to confirm by, who may be reminded
    with django_assert_num_queries(10):
        response = client.get(url("participant_list", project))
    assert len(response.context["participants"]) == (count + 2) // 3
    with django_assert_num_queries(10):
        response = client.get(url("participant_list", project), {"q": "@"})
    assert len(response.context["participants"]) == (count + 2) // 3
