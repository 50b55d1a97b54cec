"""Certificates do not depend on the evaluation: eligibility, the e-mail and the downloads are the same
for a participant who answered it and for one who did not."""

import io
import zipfile

import pytest
from django.urls import reverse

from apopms.enums import OutboxCause
from apopms.models import OutboxMessage
from certificates import services as certificates
from evaluations import services
from sessions.selectors import participants_attended_every_session
from tests.certificates.conftest import attendee, finished_project

from .helpers import every_answer

pytestmark = pytest.mark.django_db


def test_certificates_are_the_same_whether_or_not_the_evaluation_is_answered(
    client, secretariat, django_capture_on_commit_callbacks
):
    project = finished_project()
    services.set_up_questionnaire(project=project, actor=secretariat, source="template")
    answered, silent = attendee(project, iso2="IN"), attendee(project, iso2="JP")
    services.save_evaluation(participant=answered, actor=answered.user, values=every_answer(project), submit=True)

    assert set(participants_attended_every_session(project)) == {answered, silent}
    with django_capture_on_commit_callbacks(execute=True):
        issued = {p: certificates.issue_certificate(participant=p, actor=secretariat) for p in (answered, silent)}
    mails = OutboxMessage.objects.filter(cause=OutboxCause.CERTIFICATE_READY)
    assert sorted(mails.values_list("recipient", flat=True)) == sorted([answered.user.email, silent.user.email])
    bodies = {m.recipient: m.body_text.replace(m.recipient_name, "NAME") for m in mails}
    for certificate in issued.values():
        bodies = {
            k: v.replace(certificate.number, "NUMBER").replace(certificate.verification_code, "CODE")
            for k, v in bodies.items()
        }
    assert len(set(bodies.values())) == 1  # the same e-mail, the evaluation not mentioned
    assert "evaluat" not in next(iter(bodies.values())).lower()
    for person, certificate in issued.items():
        client.force_login(person.user)
        response = client.get(reverse("certificates:download", args=[certificate.number]))
        assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    client.force_login(secretariat)
    response = client.get(reverse("certificates:zip", args=[project.code]))
    archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    assert sorted(archive.namelist()) == sorted(f"{c.number}.pdf" for c in issued.values())
