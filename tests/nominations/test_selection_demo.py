"""The demo completes and publishes the seed workshop's selection, once."""

import io

import pytest
from django.core import mail

from apopms import demo as core_demo
from apopms.models import Project
from nominations.demo import selection as demo_selection
from nominations.enums import Decision
from nominations.models import Participant
from tests import factories

pytestmark = pytest.mark.django_db

OVERSEAS = ["BD", "IN", "ID", "IR", "JP", "MY", "MN", "NP", "PK", "PH", "TH", "TR", "VN"]


def test_demo_selection_fills_the_quotas_with_a_reserve_list_and_is_idempotent():
    core_demo.load(io.StringIO())
    seed = Project.objects.get(code=core_demo.SEED_CODE)
    for iso2 in OVERSEAS:
        for priority in (1, 2, 3, 4):
            factories.NominationFactory(
                project=seed, country=factories.country(iso2), submitted=True, priority=priority
            )
    for priority in range(1, 16):
        factories.NominationFactory(project=seed, country=factories.country("LK"), submitted=True, priority=priority)
    out = io.StringIO()
    demo_selection.load_selection(out)
    demo_selection.load_selection(out)
    seed.refresh_from_db()
    assert seed.selection_published_at is not None
    selected = seed.nominations.filter(decision=Decision.SELECTED)
    assert selected.filter(category="overseas").count() == 38
    assert selected.filter(category="local").count() == 12
    assert seed.nominations.filter(decision=Decision.RESERVE, category="overseas").count() == 5
    assert seed.nominations.filter(decision=Decision.RESERVE, category="local").count() == 3
    assert Participant.objects.filter(project=seed).count() == 50
    assert "overseas 38 / 38, local 12 / 12" in out.getvalue()
    assert mail.outbox == []
    logins = demo_selection.logins()
    assert len(logins) == 2
    for email, _ in logins:
        assert Participant.objects.get(project=seed, user__email=email).user.check_password(core_demo.DEMO_PASSWORD)
