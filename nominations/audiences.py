"""The nominations' audiences of the Secretariat's messages (see `apopms.audiences`)."""

from django.urls import reverse

from apopms import mail
from apopms.audiences import Recipient, register

from .enums import NominationStatus
from .models import Nomination, Participant


def nominees(project, country=None):
    link = mail.absolute(project.get_absolute_url())
    rows = (
        Nomination.objects.filter(project=project, country=country, status=NominationStatus.SUBMITTED)
        .select_related("country")
        .order_by("email")
    )
    return [Recipient(n.email, n.certificate_name, n.country.name, link) for n in rows]


def selected(project, country=None):
    link = mail.absolute(reverse("agenda:my_workshop"))
    rows = Participant.objects.active().filter(project=project).select_related("user", "country")
    return [Recipient(p.user.email, p.certificate_name, p.country.name, link) for p in rows]


register("nominees", "Nominees of one country", nominees, needs_country=True, order=20)
register("selected", "Selected participants", selected, order=30)
