"""Demo of the selection: completes and publishes the seed workshop's selection (called by the demo's `load`).

Idempotent: a published selection is left as it is. No e-mails are sent (the demo participants
log in with the demo password instead of an invitation link).
"""

from django.db import transaction

from apopms.demo import DEMO_PASSWORD, SEED_CODE
from apopms.models import Project, User

from .. import selectors, services
from ..enums import ParticipantStatus
from ..models import Participant

DEMO_ADMIN = "admin@apo.demo"
RESERVE_SIZE = 5


def _demo_participants(project):
    """Two participants who get the demo password: the first overseas and the first local one."""
    chosen = []
    for category in ("overseas", "local"):
        participant = (
            Participant.objects.filter(project=project, category=category, status=ParticipantStatus.ACTIVE)
            .select_related("user", "country")
            .order_by("country__name", "certificate_name", "pk")
            .first()
        )
        if participant is not None:
            chosen.append(participant)
    return chosen


@transaction.atomic
def load_selection(stdout):
    project = Project.objects.filter(code=SEED_CODE).first()
    admin = User.objects.filter(email__iexact=DEMO_ADMIN).first()
    if project is None or admin is None:
        return
    if project.selection_published_at is None:
        if not project.nominations.filter(status="submitted").exists():
            stdout.write("Selection: no submitted nominations in the seed workshop; nothing to select.")
            return
        proposal = selectors.propose_selection(project, RESERVE_SIZE)
        services.confirm_proposal(
            project=project,
            actor=admin,
            selected_ids=proposal.selected_ids,
            reserve_ids=proposal.reserve_ids,
            fingerprint=proposal.fingerprint,
            reserve_size=RESERVE_SIZE,
        )
        services.publish_selection(project=project, actor=admin, notify=False)
    for participant in _demo_participants(project):
        if not participant.user.has_usable_password():
            participant.user.set_password(DEMO_PASSWORD)
            participant.user.save(update_fields=["password"])
    counters = selectors.board_counters(project)
    seats = ", ".join(f"{c['category'].label.lower()} {c['taken']} / {c['quota']}" for c in counters["categories"])
    reserve = sum(c["reserve"] for c in counters["categories"])
    stdout.write(f"Selection of {project.code} published: {seats}, {reserve} on the reserve list.")


def logins():
    project = Project.objects.filter(code=SEED_CODE).first()
    if project is None:
        return []
    return [
        (p.user.email, f"Participant ({p.country.iso2}, {p.get_category_display().lower()})")
        for p in _demo_participants(project)
    ]
