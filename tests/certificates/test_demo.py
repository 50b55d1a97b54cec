import io

import pytest
from django.core.management import call_command
from django.urls import reverse

from apopms.demo import SEED_CODE
from certificates.models import Certificate
from nominations.models import Participant
from sessions.selectors import participants_attended_every_session

pytestmark = pytest.mark.django_db


def test_demo_issues_the_seed_certificates_and_a_participant_downloads_one(client):
    call_command("demo", stdout=io.StringIO())
    participant = Participant.objects.get(project__code=SEED_CODE, user__email="rafiqul.islam@bd.gov.example")
    certificate = Certificate.objects.live().get(participant=participant)
    eligible = participants_attended_every_session(participant.project)
    assert Certificate.objects.live().filter(project__code=SEED_CODE).count() == eligible.count() > 0

    client.force_login(participant.user)
    page = client.get(reverse("agenda:my_workshop")).content.decode()
    assert reverse("certificates:download", args=[certificate.number]) in page
    response = client.get(reverse("certificates:download", args=[certificate.number]))
    assert response.status_code == 200
    assert response.content.startswith(b"%PDF-")

    out = io.StringIO()
    call_command("demo", stdout=out)  # idempotent
    assert "0 issued now" in out.getvalue()
    assert Certificate.objects.count() == eligible.count()
