"""The nomination form's rules, as an NPO officer meets them on the page (the import shares them)."""

import datetime
import unicodedata

import pytest
import time_machine
from django.urls import reverse

from apopms.exceptions import DomainError
from nominations import services
from nominations.models import Nomination
from tests import factories

from .test_views import form_data, service_data

pytestmark = pytest.mark.django_db

NOW = datetime.datetime(2026, 3, 2, 6, 0, tzinfo=datetime.UTC)
START = datetime.date(2026, 6, 15)


@pytest.fixture
def fixed_project():
    with time_machine.travel(NOW, tick=False):
        yield factories.ProjectFactory(start_date=START, end_date=START + datetime.timedelta(days=2))


def _post(client, project, officer, **overrides):
    client.force_login(officer)
    return client.post(reverse("nominations:create", kwargs={"code": project.code}), form_data(**overrides))


def _field_errors(response, field):
    assert response.status_code == 200, response.get("Location")
    return [str(e) for e in response.context["form"].errors.get(field, [])]


# --- Date of birth: ages 18 to 80 at the project's start -------------------------------------------


@pytest.mark.parametrize(
    ("born", "message"),
    [
        ("2090-01-01", "is not before the project starts (15 Jun 2026)"),
        ("2026-03-02", "would be 0 when the project starts (15 Jun 2026); candidates are 18 to 80 years old."),
        ("1850-01-01", "would be 176 when the project starts"),
        ("2008-06-16", "would be 17 when the project starts"),  # 18 the day after the start
        ("1945-06-15", "would be 81 when the project starts"),  # 81 on the first day
    ],
)
def test_impossible_dates_of_birth_are_refused_naming_the_field(client, fixed_project, npo_in, born, message):
    with time_machine.travel(NOW, tick=False):
        response = _post(client, fixed_project, npo_in, date_of_birth=born)
    errors = _field_errors(response, "date_of_birth")
    assert len(errors) == 1 and message in errors[0]
    assert message in response.content.decode().replace("&#x27;", "'")
    assert not Nomination.objects.exists()


@pytest.mark.parametrize("born", ["2008-06-15", "1945-06-16", "25/08/1985", "3 Aug 1985"])
def test_dates_of_birth_from_18_to_80_are_accepted(client, fixed_project, npo_in, born):
    with time_machine.travel(NOW, tick=False):
        response = _post(client, fixed_project, npo_in, date_of_birth=born)
    assert response.status_code == 302
    assert (
        Nomination.objects.get().date_of_birth
        == {
            "2008-06-15": datetime.date(2008, 6, 15),
            "1945-06-16": datetime.date(1945, 6, 16),
            "25/08/1985": datetime.date(1985, 8, 25),
            "3 Aug 1985": datetime.date(1985, 8, 3),
        }[born]
    )


def test_an_ambiguous_typed_date_is_refused_not_guessed(client, fixed_project, npo_in):
    with time_machine.travel(NOW, tick=False):
        response = _post(client, fixed_project, npo_in, date_of_birth="03/08/1985")
    assert _field_errors(response, "date_of_birth") == [
        "“03/08/1985” could be 3 August 1985 or 8 March 1985. Write it as 1985-08-03 or 1985-03-08."
    ]


def test_the_service_refuses_the_same_dates_of_birth(fixed_project, npo_in):
    with time_machine.travel(NOW, tick=False), pytest.raises(DomainError) as caught:
        services.create_nomination(
            project=fixed_project,
            country=factories.country("IN"),
            actor=npo_in,
            data={**service_data(date_of_birth=datetime.date(1850, 1, 1)), "years_experience": 11},
        )
    assert caught.value.field == "date_of_birth"
    assert not Nomination.objects.exists()


def test_editing_to_an_impossible_date_of_birth_is_refused(client, fixed_project, npo_in):
    nomination = factories.NominationFactory(project=fixed_project, date_of_birth=datetime.date(1980, 1, 1))
    client.force_login(npo_in)
    with time_machine.travel(NOW, tick=False):
        response = client.post(reverse("nominations:edit", args=[nomination.pk]), form_data(date_of_birth="2090-01-01"))
    assert "is not before the project starts" in _field_errors(response, "date_of_birth")[0]
    nomination.refresh_from_db()
    assert nomination.date_of_birth == datetime.date(1980, 1, 1)


# --- Names --------------------------------------------------------------------------------------


def test_names_are_cleaned_before_they_are_stored(client, fixed_project, npo_in):
    with time_machine.travel(NOW, tick=False):
        response = _post(
            client,
            fixed_project,
            npo_in,
            certificate_name="\u202eNguyen\u200b Thi Lan",
            native_name=unicodedata.normalize("NFD", "Nguyễn Thị\u2066 Lan"),
        )
    assert response.status_code == 302
    nomination = Nomination.objects.get()
    assert nomination.certificate_name == "Nguyen Thi Lan"
    assert nomination.native_name == "Nguyễn Thị Lan" and unicodedata.is_normalized("NFC", nomination.native_name)


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("certificate_name", "\u200b\u200b", "no visible letters"),
        ("native_name", "\u200b", "no visible letters"),
        ("certificate_name", "Lan\u0336\u0336\u0336\u0336", "more than 3 accents or marks stacked on one letter"),
    ],
)
def test_blank_and_stacked_names_are_refused(client, fixed_project, npo_in, field, value, message):
    with time_machine.travel(NOW, tick=False):
        response = _post(client, fixed_project, npo_in, **{field: value})
    assert message in _field_errors(response, field)[0]
    assert not Nomination.objects.exists()


def test_a_sinhala_name_keeps_its_joiner(client, fixed_project, npo_in):
    name = "ශ්\u200dරී නාමල් පෙරේරා"
    with time_machine.travel(NOW, tick=False):
        _post(client, fixed_project, npo_in, native_name=name)
    assert Nomination.objects.get().native_name.encode() == name.encode()


# --- Phone and statement ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("phone", "message"),
    [
        ("+1-2-3-4-5-6", "A phone number has 7 to 15 digits (country code included); this one has 6."),
        ("+94 11 2345678 0000 0000", "this one has 19"),
        ("=1+2", "Write the phone number with digits"),
        ("+94 11 234 5678 ext 5", "Write the phone number with digits"),
        ("94 + 11", "Write the phone number with digits"),
    ],
)
def test_bad_phone_numbers_are_refused(client, fixed_project, npo_in, phone, message):
    with time_machine.travel(NOW, tick=False):
        response = _post(client, fixed_project, npo_in, phone=phone)
    assert message in _field_errors(response, "phone")[0]


@pytest.mark.parametrize("phone", ["+94 11 2345678", "+1 (555) 123-4567", "011.234.5678", "+66 2 123 4567", ""])
def test_phone_numbers_are_accepted(client, fixed_project, npo_in, phone):
    with time_machine.travel(NOW, tick=False):
        assert _post(client, fixed_project, npo_in, phone=phone).status_code == 302
    assert Nomination.objects.get().phone == phone


def test_a_statement_longer_than_3000_characters_is_refused(client, fixed_project, npo_in):
    with time_machine.travel(NOW, tick=False):
        response = _post(client, fixed_project, npo_in, statement="x" * 3001)
    assert "at most 3000 characters" in _field_errors(response, "statement")[0]
    assert 'maxlength="3000"' in response.content.decode()
    assert not Nomination.objects.exists()


def test_a_statement_of_3000_characters_with_line_breaks_is_accepted(client, fixed_project, npo_in):
    # The browser counts a line break as one character but sends CR LF.
    statement = ("y" * 99 + "\r\n") * 30
    with time_machine.travel(NOW, tick=False):
        assert _post(client, fixed_project, npo_in, statement=statement.strip()).status_code == 302
    assert len(Nomination.objects.get().statement) == 2999


def test_the_database_refuses_a_statement_longer_than_3000_characters(fixed_project):
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        factories.NominationFactory(project=fixed_project, statement="z" * 3001)


# --- The personal data notice and the officer's confirmation -------------------------------------


def test_the_form_states_the_notice_and_requires_the_officer_to_confirm_the_candidate_was_informed(
    client, fixed_project
):
    officer = factories.npo_officer("IN")
    client.force_login(officer)

    with time_machine.travel(NOW, tick=False):
        page = client.get(reverse("nominations:create", kwargs={"code": fixed_project.code})).content.decode()
        refused = _post(client, fixed_project, officer, candidate_informed="")
        saved = _post(client, fixed_project, officer)

    assert "What is collected:" in page and "Who sees it:" in page and "90 days after the selection" in page
    assert _field_errors(refused, "candidate_informed") == [
        "Confirm that the candidate was informed of the personal data notice."
    ]
    assert saved.status_code == 302
    assert Nomination.objects.get(email="lan.nguyen@example.org").candidate_informed_at == NOW
