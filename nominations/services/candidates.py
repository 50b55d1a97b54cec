"""Candidate self-service: the NPO invites a candidate, who fills in their own biodata; the NPO endorses it.

The statuses (`NominationStatus`): a candidate's nomination is a DRAFT while they fill it in, WITH_NPO
once they send it to their NPO, and SUBMITTED only when an officer of the NPO endorses it
(`nominations.submit_nomination`): only then does it count as submitted by the country, ranked with
the others. The NPO may ask for a change (back to DRAFT, with a message to the candidate). A change
by the candidate after endorsement sends it back to the NPO (WITH_NPO, unranked).

Rules enforced here:
- The candidate acts on their own nomination only (`permissions.require_candidate`), and only while
  the project accepts nominations (`checks.nomination_window`; a replacement, its window) and the
  Secretariat has not decided on it.
- The NPO officer acts for their own country only, while the nominations are open (`_check_can_act`).
- One candidacy per person and project (`nomination_one_per_candidate`), one nomination per e-mail.
"""

from django.db import transaction
from django.utils import timezone

from apopms.audit import record
from apopms.enums import InvitationPurpose
from apopms.exceptions import DomainError
from apopms.models import Project
from apopms.services import invite_user

from ..emails import queue_candidate_ready, queue_change_request
from ..enums import NominationStatus
from ..models import Nomination
from ..permissions import require_candidate
from .checks import (
    DATA_FIELDS,
    WINDOW_OPEN,
    check_date_of_birth,
    clean_data,
    clean_name,
    deadline_text,
    nomination_window,
)
from .nominations import (
    _attach_cv,
    _check_can_act,
    _check_email_free,
    _lock_nomination,
    _record_moves,
    _renumber,
    _save_checked,
    _window_of,
)

# What the candidate fills in: the biodata but the e-mail, which is their account's (set by the invitation).
CANDIDATE_FIELDS = tuple(field for field in DATA_FIELDS if field != "email")
# What must be filled in before the candidate sends it to the NPO.
REQUIRED_TO_HAND_IN = {
    "certificate_name": "the name for the certificate",
    "gender": "gender",
    "organization": "organization",
    "organization_type": "organization type",
    "position": "position/title",
}
CHANGE_REQUEST_MAX = 2000


def candidate_may_edit(nomination, at=None):
    """Whether the candidate may still change their biodata: not withdrawn nor decided, and the
    nominations (or the replacement window it was made in) still open."""
    if nomination.status == NominationStatus.WITHDRAWN or nomination.decision:
        return False
    at = at or timezone.now()
    window = _window_of(nomination)
    if window is not None:
        return window.is_open(at)
    return nomination_window(nomination.project, at) == WINDOW_OPEN


def invite_candidate(*, project, country, actor, full_name, email):
    """An NPO officer (own country) or the Secretariat invites a candidate to fill in their own nomination.

    Makes the candidate's DRAFT nomination (their name and e-mail) tied to their account, and the
    invitation (`apopms.services.invite_user`, purpose "candidate": no role, a single-use link that
    expires). Side effects: audit `nominations.nomination.candidate_invited`; the invitation e-mail
    (outbox). Refused while the project does not accept nominations, and for an e-mail already nominated.
    """
    at = timezone.now()
    name = clean_name(full_name, field="full_name")
    if not name:
        raise DomainError("Give the candidate's name.", field="full_name")
    email = (email or "").strip()
    if not email:
        raise DomainError("Give the candidate's e-mail address.", field="email")
    with transaction.atomic():
        project = Project.objects.lock_shared(project.pk)
        _check_can_act(project, country, actor, at=at)
        if nomination_window(project, at) != WINDOW_OPEN:
            raise DomainError("Candidates can be invited only while the project accepts nominations.")
        if not project.accepts_country(country):
            raise DomainError(f"{country} does not take part in this project.")
        _check_email_free(project, email)
        invitation = invite_user(
            actor=actor,
            email=email,
            full_name=name,
            purpose=InvitationPurpose.CANDIDATE,
            country=country,
            project=project,
        )
        user = invitation.user
        if user.is_secretariat or user.npo_country is not None or user.memberships.filter(active=True).exists():
            raise DomainError(
                f"{email} has a role on the portal; a candidate needs an address of their own.", field="email"
            )
        nomination = Nomination(
            project=project,
            country=country,
            category=project.category_for(country),
            created_by=actor,
            created_at=at,
            certificate_name=name,
            email=user.email,
            candidate=user,
        )
        _save_checked(nomination)
        record(
            "nominations.nomination.candidate_invited",
            actor=actor,
            target=nomination,
            country=country.iso2,
            email=user.email,
            invitation=invitation.pk,
        )
    return nomination


def _check_candidate_window(nomination, project, at):
    if nomination.status == NominationStatus.WITHDRAWN:
        raise DomainError("Your nomination was withdrawn by your NPO; nothing can be changed.")
    if nomination.decision:
        raise DomainError("The APO Secretariat has decided on your nomination; nothing can be changed.")
    window = _window_of(nomination)
    if window is not None:
        if not window.is_open(at):
            raise DomainError("The replacement window has closed; nothing was changed.")
        return
    state = nomination_window(project, at)
    if state != WINDOW_OPEN:
        raise DomainError(
            f"Nominations closed at {deadline_text(project)}; nothing was changed."
            if state != "not_accepting"
            else "This project is not accepting nominations; nothing was changed."
        )


def _missing_to_hand_in(nomination):
    return [label for name, label in REQUIRED_TO_HAND_IN.items() if not getattr(nomination, name)]


def save_candidate_biodata(*, nomination, actor, data, cv=None, hand_in=False):
    """The candidate saves their biodata (and optionally a CV); with `hand_in`, sends it to their NPO.

    - A draft is saved as it is (come back later); sent, it is WITH_NPO, once the required fields
      are there (DomainError naming the first missing one), and the NPO's request for a change is
      cleared.
    - A change to a nomination the NPO endorsed sends it back to the NPO: WITH_NPO, its rank freed
      (the country's others move up).
    Side effects: audit `nominations.nomination.candidate_saved` (fields) and
    `nominations.nomination.handed_in` when it goes to the NPO; the NPO's officers are told (outbox).
    """
    at = timezone.now()
    unknown = set(data) - set(CANDIDATE_FIELDS)
    if unknown:
        raise ValueError(f"Not the candidate's fields: {sorted(unknown)}")
    data = clean_data(data)
    with transaction.atomic():
        project = Project.objects.lock_shared(nomination.project_id)
        Project.objects.lock_country(nomination.project_id, nomination.country_id)
        nomination = _lock_nomination(nomination)
        require_candidate(actor, nomination)
        _check_candidate_window(nomination, project, at)
        changed = [name for name, value in data.items() if getattr(nomination, name) != value]
        if "date_of_birth" in changed:
            check_date_of_birth(data["date_of_birth"], project=project)
        for name in changed:
            setattr(nomination, name, data[name])
        if cv is not None:
            changed.append("cv")
        previous = nomination.status
        send = (hand_in and previous == NominationStatus.DRAFT) or (changed and previous == NominationStatus.SUBMITTED)
        missing = _missing_to_hand_in(nomination) if send else []
        if missing:  # refused before the CV is stored: nothing is half-saved
            field = next(n for n, label in REQUIRED_TO_HAND_IN.items() if label == missing[0])
            raise DomainError(f"Fill in {', '.join(missing)} before sending it to your NPO.", field=field)
        if cv is not None:
            old = nomination.cv.name
            _attach_cv(nomination, cv)
            if old:
                storage = nomination.cv.storage
                transaction.on_commit(lambda: storage.delete(old))
        if changed and not nomination.candidate_informed_at:
            nomination.candidate_informed_at = at  # the candidate read the notice on their own form
        if send:
            nomination.status = NominationStatus.WITH_NPO
            nomination.handed_in_at = at
            nomination.change_request = ""
            old_priority, nomination.priority = nomination.priority, None
            nomination.submitted_at = None
        if not changed and not send:
            return nomination
        _save_checked(nomination)
        if changed:
            record("nominations.nomination.candidate_saved", actor=actor, target=nomination, fields=changed)
        if send:
            record(
                "nominations.nomination.handed_in",
                actor=actor,
                target=nomination,
                previous_status=previous,
                previous_priority=old_priority,
            )
            if previous == NominationStatus.SUBMITTED:
                _record_moves(_renumber(project, nomination.country_id), actor, cause="candidate_change")
            queue_candidate_ready(nomination)
    return nomination


def request_change(*, nomination, actor, message):
    """The NPO asks the candidate for a change: the nomination goes back to the candidate (DRAFT) with
    `message`. From WITH_NPO, or from SUBMITTED (its rank is freed) while the nominations are open.

    Side effects: audit `nominations.nomination.change_requested`; the message to the candidate (outbox).
    """
    at = timezone.now()
    message = (message or "").replace("\r\n", "\n").strip()
    if not message:
        raise DomainError("Write what the candidate should change.", field="message")
    if len(message) > CHANGE_REQUEST_MAX:
        raise DomainError(f"The message has {len(message):,} characters; at most 2,000 are accepted.", field="message")
    with transaction.atomic():
        project = Project.objects.lock_shared(nomination.project_id)
        Project.objects.lock_country(nomination.project_id, nomination.country_id)
        nomination = _lock_nomination(nomination)
        _check_can_act(project, nomination.country, actor, at=at, replacement=_window_of(nomination))
        if nomination.candidate_id is None:
            raise DomainError("This nomination was not filled in by a candidate; edit it yourself.")
        if nomination.decision:
            raise DomainError("The Secretariat has already decided on this nomination; ask the Secretariat.")
        if nomination.status not in (NominationStatus.WITH_NPO, NominationStatus.SUBMITTED):
            raise DomainError("The candidate has not sent their biodata yet, or it was withdrawn.")
        previous = nomination.status
        old_priority = nomination.priority
        nomination.status = NominationStatus.DRAFT
        nomination.priority = None
        nomination.submitted_at = None
        nomination.change_request = message
        nomination.change_requested_at = at
        nomination.save()
        record(
            "nominations.nomination.change_requested",
            actor=actor,
            target=nomination,
            previous_status=previous,
            previous_priority=old_priority,
            message=message,
        )
        if previous == NominationStatus.SUBMITTED:
            _record_moves(_renumber(project, nomination.country_id), actor, cause="change_requested")
        queue_change_request(nomination, actor=actor)
    return nomination
