"""Every change to a nomination. Views, admin actions, imports and the demo call these.

Rules enforced here (and by the database where it can):
- NPO officers act only for their own country (`permissions.require_nominate`), and only while
  the project accepts nominations, until its deadline (`checks.nomination_window`). The Secretariat
  may act after it; what it creates or submits then is recorded as late (`is_late`).
- The category follows from the country: the host country's nominees are local, others overseas.
- One person (e-mail, case-insensitive) is nominated at most once per project
  (constraint `nomination_one_per_person_and_project`, withdrawn nominations excepted).
- Priorities (1 = first choice) are unique per project and country among submitted nominations
  (`nomination_unique_priority`); they stay 1..n without gaps.
- Locks: these take the project's shared lock (`Project.objects.lock_shared`), so officers never
  wait for one another or for an import, only for closing, extending and the Secretariat's
  decisions; what changes a country's priorities also takes `lock_country`.

`backfill_at`: only for recording history that happened earlier (the demo's 2022 round). The
action is stamped with that instant, the deadline rule is checked *at that instant*, no e-mail
is sent, and the audit entry says `backfilled`.
"""

import os

from django.db import IntegrityError, transaction
from django.db.models import F, Max
from django.utils import timezone

from apopms.audit import record
from apopms.exceptions import DomainError
from apopms.models import Project

from ..emails import queue_acknowledgement, queue_withdrawal
from ..enums import NominationStatus
from ..models import Nomination, ReplacementWindow
from ..permissions import require_nominate
from .checks import (
    WINDOW_CLOSED,
    WINDOW_OPEN,
    check_date_of_birth,
    clean_data,
    deadline_text,
    nomination_window,
    validate_cv,
)
from .replacements import check_window_seat, closes_text, open_window_for


def _check_can_act(project, country, actor, *, at, backfilled=False, replacement=None):
    """Refuse unless `actor` may act for `country` on `project` at instant `at`. Returns whether it is late.

    Who: `permissions.require_nominate` (PermissionDenied). When: `checks.nomination_window`
    (DomainError), which the Secretariat passes, late after the deadline; for a nomination made in
    a replacement window (`replacement`), that window's own date instead.
    """
    window = nomination_window(project, at)
    if actor is None and backfilled:
        if window != WINDOW_OPEN:
            raise DomainError("A backfilled nomination must lie before the deadline.")
        return False
    require_nominate(actor, country)
    if replacement is not None:
        if not actor.is_secretariat and not replacement.is_open(at):
            raise DomainError(
                f"{replacement.country}'s replacement window closed: it was open until {closes_text(replacement)}. Nothing was changed."
            )
        return False
    if actor.is_secretariat:
        return project.deadline_passed(at)
    if window == WINDOW_CLOSED:
        raise DomainError(
            f"Nominations closed at {deadline_text(project)}. Nothing was changed; "
            "please ask the APO Secretariat if a late nomination is needed."
        )
    if window != WINDOW_OPEN:
        raise DomainError("This project is not accepting nominations.")
    return False


def _audit_when(backfill_at):
    return {"backfilled": True, "occurred_at": backfill_at.isoformat()} if backfill_at else {}


def _attach_cv(nomination, upload):
    ext = validate_cv(upload)
    original = os.path.basename(upload.name or f"cv.{ext}")[:200]
    nomination.cv_original_name = original
    # The stored name takes the extension of the detected type, never the uploader's.
    nomination.cv.save(f"cv.{ext}", upload, save=False)


def _check_email_free(project, email, exclude_pk=None):
    qs = Nomination.objects.filter(project=project, email__iexact=email).exclude(status=NominationStatus.WITHDRAWN)
    if exclude_pk:
        qs = qs.exclude(pk=exclude_pk)
    if qs.exists():
        raise DomainError(
            f"{email} is already nominated for this project; one person can be nominated only once.", field="email"
        )


def _save_checked(nomination, **kwargs):
    try:
        with transaction.atomic():
            nomination.save(**kwargs)
    except IntegrityError as exc:
        if "one_per_person" in str(exc) or "email" in str(exc).lower():
            raise DomainError(
                f"{nomination.email} is already nominated for this project; one person can be nominated only once.",
                field="email",
            ) from exc
        raise


def _window_of(nomination):
    """The replacement window `nomination` was made in, or None."""
    if nomination.replacement_window_id is None:
        return None
    return ReplacementWindow.objects.select_related("project", "country").get(pk=nomination.replacement_window_id)


def _refuse_decided(nomination, actor):
    # A replacement the Secretariat has decided on is no longer the NPO's to change.
    if nomination.decision and not actor.is_secretariat:
        raise DomainError("The Secretariat has already decided on this nomination; ask the Secretariat.")


def _lock_nomination(nomination):
    # Lock only the nomination row; its country comes along for the checks and the audit text.
    return Nomination.objects.select_for_update(of=("self",)).select_related("country").get(pk=nomination.pk)


def create_nomination(*, project, country, actor, data, cv=None, backfill_at=None, candidate_informed=False):
    """Create a draft nomination of `country` for `project`; `candidate_informed`: the officer
    confirmed the candidate was given the personal data notice (stored as `candidate_informed_at`).

    Category: local iff `country` hosts the project. Made by the Secretariat after the deadline,
    it is marked late. Once the nominations are closed, a nomination for a country whose replacement
    window is open belongs to that window. Side effects: audit `nominations.nomination.created`.
    """
    at = backfill_at or timezone.now()
    data = clean_data(data)
    with transaction.atomic():
        project = Project.objects.lock_shared(project.pk)
        replacement = None
        if backfill_at is None and nomination_window(project, at) != WINDOW_OPEN:
            replacement = open_window_for(project, country, at)
        late = _check_can_act(
            project, country, actor, at=at, backfilled=backfill_at is not None, replacement=replacement
        )
        if not project.accepts_country(country):
            raise DomainError(f"{country} does not take part in this project.")
        if not data.get("email"):
            raise DomainError("An e-mail address is required.", field="email")
        check_date_of_birth(data.get("date_of_birth"), project=project)
        _check_email_free(project, data["email"])
        nomination = Nomination(
            project=project,
            country=country,
            category=project.category_for(country),
            created_by=actor,
            created_at=at,
            is_late=late,
            replacement_window=replacement,
            candidate_informed_at=at if candidate_informed else None,
            **data,
        )
        if cv is not None:
            _attach_cv(nomination, cv)
        _save_checked(nomination)
        record(
            "nominations.nomination.created",
            actor=actor,
            target=nomination,
            country=country.iso2,
            category=nomination.category,
            late=late,
            replacement_window=replacement.pk if replacement else None,
            **_audit_when(backfill_at),
        )
    return nomination


def update_nomination(*, nomination, actor, data, cv=None, candidate_informed=False):
    """Change a draft or submitted nomination's fields (and optionally replace its CV).

    Side effects: audit `nominations.nomination.updated` naming the changed fields.
    """
    at = timezone.now()
    data = clean_data(data)
    with transaction.atomic():
        project = Project.objects.lock_shared(nomination.project_id)
        nomination = _lock_nomination(nomination)
        if nomination.status == NominationStatus.WITHDRAWN:
            raise DomainError("A withdrawn nomination cannot be changed.")
        _check_can_act(project, nomination.country, actor, at=at, replacement=_window_of(nomination))
        _refuse_decided(nomination, actor)
        changed = [name for name, value in data.items() if getattr(nomination, name) != value]
        if "date_of_birth" in changed:
            check_date_of_birth(data["date_of_birth"], project=project)
        if "email" in changed:
            if not data["email"]:
                raise DomainError("An e-mail address is required.", field="email")
            _check_email_free(project, data["email"], exclude_pk=nomination.pk)
        for name in changed:
            setattr(nomination, name, data[name])
        if candidate_informed and not nomination.candidate_informed_at:
            nomination.candidate_informed_at = at
            changed.append("candidate_informed_at")
        if cv is not None:
            old = nomination.cv.name
            _attach_cv(nomination, cv)
            changed.append("cv")
            if old:
                storage = nomination.cv.storage
                transaction.on_commit(lambda: storage.delete(old))
        if not changed:
            return nomination
        _save_checked(nomination)
        record("nominations.nomination.updated", actor=actor, target=nomination, fields=changed)
    return nomination


def _submitted(project, country):
    return Nomination.objects.filter(project=project, country=country, status=NominationStatus.SUBMITTED)


def _renumber(project, country, order=None):
    """Make the country's submitted priorities 1..n, in `order` (primary keys) or the current order.

    Returns {pk: (old, new)} for the rows that moved. Rows that move are first set to NULL, so the
    partial unique constraint never sees two equal ranks, even mid-statement on PostgreSQL.
    """
    rows = list(_submitted(project, country).order_by(F("priority").asc(nulls_last=True), "submitted_at", "pk"))
    if order is not None:
        by_pk = {n.pk: n for n in rows}
        if sorted(order) != sorted(by_pk):
            raise DomainError("The ranking changed meanwhile; reload the page and try again.")
        rows = [by_pk[pk] for pk in order]
    moved = {n.pk: (n.priority, rank) for rank, n in enumerate(rows, 1) if n.priority != rank}
    if moved:
        _submitted(project, country).filter(pk__in=moved).update(priority=None)
        changed = [n for n in rows if n.pk in moved]
        for n in changed:
            n.priority = moved[n.pk][1]
        Nomination.objects.bulk_update(changed, ["priority"])
    return moved


def submit_nomination(*, nomination, actor, backfill_at=None, notify=True):
    """Submit a draft, or endorse a candidate's biodata sent to the NPO (WITH_NPO; not their draft): it
    takes the next priority of its country. Submitting again returns it unchanged.

    Side effects: audit `nominations.nomination.submitted`; after commit, the acknowledgement
    e-mail task (to the officer, the NPO's other officers copied) unless `notify` is False.
    """
    at = backfill_at or timezone.now()
    with transaction.atomic():
        project = Project.objects.lock_shared(nomination.project_id)
        Project.objects.lock_country(nomination.project_id, nomination.country_id)
        nomination = _lock_nomination(nomination)
        if nomination.status == NominationStatus.SUBMITTED:
            return nomination
        if nomination.status == NominationStatus.WITHDRAWN:
            raise DomainError("A withdrawn nomination cannot be submitted; create a new one.")
        if nomination.candidate_id and nomination.status == NominationStatus.DRAFT:
            raise DomainError("The candidate has not sent their biodata to the NPO yet; it can be endorsed after.")
        replacement = _window_of(nomination)
        late = _check_can_act(
            project, nomination.country, actor, at=at, backfilled=backfill_at is not None, replacement=replacement
        )
        if replacement is not None:
            check_window_seat(replacement, nomination)
        top = _submitted(project, nomination.country_id).aggregate(top=Max("priority"))["top"] or 0
        nomination.status = NominationStatus.SUBMITTED
        nomination.submitted_at = at
        nomination.priority = top + 1
        nomination.is_late = nomination.is_late or late
        nomination.save(update_fields=["status", "submitted_at", "priority", "is_late", "updated_at"])
        record(
            "nominations.nomination.submitted",
            actor=actor,
            target=nomination,
            priority=nomination.priority,
            late=late,
            **_audit_when(backfill_at),
        )
        if notify and backfill_at is None:
            queue_acknowledgement(nomination, officer_id=actor.pk if actor else None)
    return nomination


def withdraw_nomination(*, nomination, actor, reason="", backfill_at=None):
    """Withdraw a draft or submitted nomination; the ranks below it move up. Repeated calls change nothing.

    Side effects: audit `nominations.nomination.withdrawn` (and `reranked` for the ones that moved);
    a submitted one is acknowledged to its NPO's officers (outbox).
    """
    at = backfill_at or timezone.now()
    with transaction.atomic():
        project = Project.objects.lock_shared(nomination.project_id)
        Project.objects.lock_country(nomination.project_id, nomination.country_id)
        nomination = _lock_nomination(nomination)
        if nomination.status == NominationStatus.WITHDRAWN:
            return nomination
        if nomination.decision:
            raise DomainError("The Secretariat has already decided on this nomination; ask the Secretariat.")
        _check_can_act(
            project,
            nomination.country,
            actor,
            at=at,
            backfilled=backfill_at is not None,
            replacement=_window_of(nomination),
        )
        previous = nomination.status
        nomination.status = NominationStatus.WITHDRAWN
        nomination.withdrawn_at = at
        nomination.withdrawal_reason = (reason or "").strip()
        old_priority, nomination.priority = nomination.priority, None
        nomination.save(update_fields=["status", "withdrawn_at", "withdrawal_reason", "priority", "updated_at"])
        record(
            "nominations.nomination.withdrawn",
            actor=actor,
            target=nomination,
            previous_status=previous,
            previous_priority=old_priority,
            reason=nomination.withdrawal_reason,
            **_audit_when(backfill_at),
        )
        if previous == NominationStatus.SUBMITTED:
            _record_moves(_renumber(project, nomination.country_id), actor, cause="withdrawal")
            if backfill_at is None:
                queue_withdrawal(nomination, actor=actor)
    return nomination


def _record_moves(moved, actor, **details):
    if not moved:
        return
    for n in Nomination.objects.filter(pk__in=moved).select_related("country"):
        old, new = moved[n.pk]
        record("nominations.nomination.reranked", actor=actor, target=n, old_priority=old, priority=new, **details)


def rank_nominations(*, project, country, actor, order):
    """Set the whole ranking of `country`'s submitted nominations at once (`order`: primary keys, first choice
    first). Side effects: audit `nominations.nomination.reranked` for every nomination that moved."""
    with transaction.atomic():
        project = Project.objects.lock_shared(project.pk)
        Project.objects.lock_country(project.pk, country.pk)
        _check_can_act(project, country, actor, at=timezone.now())
        moved = _renumber(project, country.pk, order=[int(pk) for pk in order])
        _record_moves(moved, actor)
    return moved


def move_nomination(*, nomination, actor, direction):
    """Move a submitted nomination one place up (towards first choice) or down; one action, both ranks change.

    Side effects: as `rank_nominations`.
    """
    if direction not in ("up", "down"):
        raise DomainError("Move up or down.")
    with transaction.atomic():
        project = Project.objects.lock_shared(nomination.project_id)
        Project.objects.lock_country(nomination.project_id, nomination.country_id)
        nomination = Nomination.objects.select_related("country").get(pk=nomination.pk)
        _check_can_act(project, nomination.country, actor, at=timezone.now())
        if nomination.status != NominationStatus.SUBMITTED:
            raise DomainError("Only submitted nominations are ranked.")
        order = list(
            _submitted(project, nomination.country_id)
            .order_by(F("priority").asc(nulls_last=True), "submitted_at", "pk")
            .values_list("pk", flat=True)
        )
        i = order.index(nomination.pk)
        j = i - 1 if direction == "up" else i + 1
        if 0 <= j < len(order):
            order[i], order[j] = order[j], order[i]
        moved = _renumber(project, nomination.country_id, order=order)
        _record_moves(moved, actor)
    return moved


def record_cv_download(*, nomination, actor):
    """Audit that `actor` downloaded the nomination's CV (`nominations.nomination.cv_downloaded`)."""
    return record(
        "nominations.nomination.cv_downloaded", actor=actor, target=nomination, file=nomination.cv_original_name
    )


def record_export(*, project, actor, fmt, count, filters):
    return record("nominations.nomination.exported", actor=actor, target=project, format=fmt, rows=count, **filters)
