"""The list of what each role may use covers the whole urlconf: a new pattern needs a decision."""

from tests.e2e.reach import EXCLUDED, MAY_USE, url_name, url_names


def test_every_url_pattern_is_listed_for_a_role_or_excluded_with_a_reason():
    listed = set().union(*MAY_USE.values())
    assert sorted(url_names() - listed - set(EXCLUDED)) == []
    assert sorted((listed | set(EXCLUDED)) - url_names()) == []
    assert not listed & set(EXCLUDED)
    assert all(reason.strip() for reason in EXCLUDED.values())


def test_an_address_resolves_to_its_pattern_name():
    assert url_name("http://localhost:8000/projects/26-X/attendance/import/3/map/") == "agenda:attendance_import_map"
    assert url_name("http://localhost:8000/no/such/page/") is None
