import datetime
import io
import unicodedata

import pytest
from django.core.management import call_command

from apopms.demo import FUTURE_CODE, SEED_CODE
from apopms.models import AuditEntry, MemberCountry, Project
from nominations.models import Nomination

pytestmark = pytest.mark.django_db


def _scripts(texts):
    names = set()
    for text in texts:
        for char in text:
            if char.isalpha():
                names.add(unicodedata.name(char).split()[0])
    return names


def test_demo_nominates_from_every_active_country_before_the_deadline_and_beyond_quotas():
    call_command("demo", stdout=io.StringIO())
    seed = Project.objects.get(code=SEED_CODE)
    submitted = Nomination.objects.filter(project=seed, status="submitted")
    countries = set(submitted.values_list("country__iso2", flat=True))
    assert countries == set(MemberCountry.objects.active().values_list("iso2", flat=True))
    assert submitted.filter(category="overseas").count() > seed.overseas_quota
    assert submitted.filter(category="local").count() > seed.local_quota
    assert set(submitted.filter(category="local").values_list("country__iso2", flat=True)) == {"LK"}
    deadline = datetime.datetime(2022, 8, 3, 18, 30, tzinfo=datetime.UTC)
    assert all(n.submitted_at < deadline and n.submitted_at.year == 2022 for n in submitted)
    scripts = _scripts(Nomination.objects.values_list("native_name", flat=True))
    for script in ["THAI", "LAO", "KHMER", "ARABIC", "BENGALI", "DEVANAGARI", "SINHALA", "TAMIL", "CYRILLIC",
                   "CJK", "HIRAGANA", "HANGUL"]:  # fmt: skip
        assert script in scripts, script
    latin = "".join(Nomination.objects.values_list("certificate_name", flat=True))
    assert "ş" in latin and "ı" in latin and "ễ" in latin
    assert all(_scripts([n]) <= {"LATIN"} for n in Nomination.objects.values_list("certificate_name", flat=True))
    entry = AuditEntry.objects.filter(action="nominations.nomination.submitted", project=seed).first()
    assert entry.details["backfilled"] is True


def test_demo_is_idempotent_and_fills_the_open_edition():
    call_command("demo", stdout=io.StringIO())
    count = Nomination.objects.count()
    call_command("demo", stdout=io.StringIO())
    assert Nomination.objects.count() == count
    future = Nomination.objects.filter(project__code=FUTURE_CODE)
    assert future.filter(status="draft").exists() and future.filter(status="submitted").exists()
    assert all(n.cv for n in future)
