"""The back office shows the seat dates and replacement windows, read only: they change on the seats page."""

import datetime

import pytest
from django.urls import reverse

from nominations import services
from nominations.models import ReplacementWindow, SeatConfirmation

from .seat_helpers import open_window, project_today, published
from .test_replacements import drop

pytestmark = pytest.mark.django_db


def test_the_admin_lists_seat_dates_and_windows_and_changes_neither(admin_client, secretariat):
    project, (participant, *_) = published(secretariat)
    services.set_confirmation_date(
        project=project, actor=secretariat, due_date=project_today(project) + datetime.timedelta(days=5)
    )
    drop(participant)
    window = open_window(project, secretariat, "IN", seats=1, days=10)
    confirmation = SeatConfirmation.objects.get(project=project)

    listing = admin_client.get(reverse("admin:nominations_replacementwindow_changelist")).content.decode()
    assert "India" in listing
    assert admin_client.get(reverse("admin:nominations_seatconfirmation_changelist")).status_code == 200

    page = admin_client.get(reverse("admin:nominations_replacementwindow_change", args=[window.pk]))
    assert page.status_code == 200 and 'name="seats"' not in page.content.decode()  # shown, not editable
    assert admin_client.get(reverse("admin:nominations_replacementwindow_add")).status_code == 403
    assert (
        admin_client.post(reverse("admin:nominations_seatconfirmation_delete", args=[confirmation.pk])).status_code
        == 403
    )
    admin_client.post(reverse("admin:nominations_replacementwindow_change", args=[window.pk]), {"seats": 9})
    assert ReplacementWindow.objects.get(pk=window.pk).seats == 1
