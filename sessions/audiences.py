"""The attendance's audiences of the Secretariat's messages (see `apopms.audiences`)."""

from django.urls import reverse

from apopms import mail
from apopms.audiences import Recipient, register
from nominations.models import Participant

from .models import ResourcePerson
from .selectors import participants_attended_every_session


def _recipients(participants):
    link = mail.absolute(reverse("agenda:my_workshop"))
    return [Recipient(p.user.email, p.certificate_name, p.country.name, link) for p in participants]


def attended_every_session(project, country=None):
    return _recipients(participants_attended_every_session(project).select_related("user", "country"))


def missed_a_session(project, country=None):
    attended = participants_attended_every_session(project).values("pk")
    return _recipients(
        Participant.objects.active().filter(project=project).exclude(pk__in=attended).select_related("user", "country")
    )


def resource_persons(project, country=None):
    """The project's resource persons with an e-mail address (it is optional on their form)."""
    link = mail.absolute(reverse("agenda:programme", kwargs={"code": project.code}))
    people = ResourcePerson.objects.filter(project=project).exclude(email="").order_by("email")
    return [Recipient(p.email, p.name, p.country, link) for p in people]


register("attended_all", "Participants who attended every session", attended_every_session, order=40)
register("missed_session", "Participants who missed a session", missed_a_session, order=50)
register("resource_persons", "Resource persons (those with an e-mail address)", resource_persons, order=60)
