import io

import pytest
from django.core.management import call_command
from django.urls import reverse

from apopms.demo import SEED_CODE
from apopms.models import Project, User
from evaluations import selectors

pytestmark = pytest.mark.django_db


def test_demo_has_answered_evaluations_with_real_distributions(client):
    call_command("demo", stdout=io.StringIO())
    project = Project.objects.get(code=SEED_CODE)
    asked, submitted = selectors.response_counts(project)
    assert asked == 50 and 30 <= submitted < asked  # most, not all: reminders have someone to remind
    results = selectors.results(project)
    overall = results[0]
    assert overall.question.text == "Overall, how satisfied are you with the workshop?"
    assert len([n for _, n in overall.distribution if n]) >= 3
    assert 3.5 < overall.average < 4.8
    assert len({round(r.average, 2) for r in results if r.average is not None}) >= 5  # questions differ
    texts = [text for r in results for text in r.texts]
    assert len(texts) > 40 and len(set(texts)) == len(texts)  # each in its own words

    admin = User.objects.get(email="admin@apo.demo")
    client.force_login(admin)
    hub = client.get(reverse("workspace:hub", args=[SEED_CODE])).content.decode()
    assert "Evaluation: average rating per question" in hub
    # The demo participant login has not answered yet: they can try the form.
    participant = User.objects.get(email="rafiqul.islam@bd.gov.example")
    client.force_login(participant)
    assert "Evaluate the workshop" in client.get(reverse("agenda:my_workshop")).content.decode()

    out = io.StringIO()
    call_command("demo", stdout=out)  # idempotent
    assert f"Evaluation of {SEED_CODE}: 13 questions; 0 answered now, {submitted} of 50 submitted." in out.getvalue()
