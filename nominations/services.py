"""Every change to a nomination. Views, admin actions, imports and the demo call these.

Rules enforced here (and by the database where it can):
- NPO officers act only for their own country, and only until `project.nomination_deadline`
  (and while the project accepts nominations). The Secretariat may act after it; what it
  creates or submits then is recorded as late (`is_late`).
- The category follows from the country: the host country's nominees are local, others overseas.
- One person (e-mail, case-insensitive) is nominated at most once per project
  (constraint `nomination_one_per_person_and_project`, withdrawn nominations excepted).
- Priorities (1 = first choice) are unique per project and country among submitted nominations
  (`nomination_unique_priority`); they stay 1..n without gaps.

`backfill_at`: only for recording history that happened earlier (the demo's 2022 round). The
action is stamped with that instant, the deadline rule is checked *at that instant*, no e-mail
is sent, and the audit entry says `backfilled`.
"""

import datetime
import os
import re

import filetype
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, Max
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.dateformat import format as date_format

from apopms.audit import record
from apopms.exceptions import DomainError
from apopms.models import Project
from apopms.names import clean_person_name
from apopms.tasks_util import enqueue_on_commit
from apopms.timezones import zone_label

from .enums import NominationStatus
from .models import Nomination

DATA_FIELDS = (
    "certificate_name",
    "native_name",
    "gender",
    "date_of_birth",
    "email",
    "phone",
    "organization",
    "organization_type",
    "position",
    "years_experience",
    "statement",
    "english_proficiency",
)
NAME_FIELDS = ("certificate_name", "native_name")
MAX_CV_BYTES = 5 * 1024 * 1024
STATEMENT_MAX_CHARS = 3000  # also Nomination.statement's max_length and a database check
MIN_AGE, MAX_AGE = 18, 80  # at the project's start
PHONE_RE = re.compile(r"\+?[0-9 ().-]+")
PHONE_DIGITS = (7, 15)  # E.164 allows at most 15; shorter than 7 is no reachable number
CV_TYPES = {"application/pdf": "pdf", "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "docx"}


def _now():
    # One place to read the clock, so tests can stand at the deadline's exact edge.
    return timezone.now()


def deadline_text(project):
    local = project.nomination_deadline.astimezone(project.zone)
    return f"{date_format(local, 'j M Y, H:i')} {zone_label(project.zone, project.nomination_deadline)}"


def _check_can_act(project, country, actor, *, at, backfilled=False):
    """Refuse unless `actor` may act for `country` on `project` at instant `at`. Returns whether it is late."""
    if actor is None:
        if not backfilled:
            raise DomainError("Only a person can change nominations.")
        if not project.accepts_nominations(at):
            raise DomainError("A backfilled nomination must lie before the deadline.")
        return False
    if actor.is_secretariat:
        return at >= project.nomination_deadline
    if actor.npo_country is None or actor.npo_country.pk != country.pk:
        raise DomainError("You may only nominate for your own country.")
    if not project.nominations_open or project.notification_issued_at is None:
        raise DomainError("This project is not accepting nominations.")
    if at >= project.nomination_deadline:
        raise DomainError(
            f"Nominations closed at {deadline_text(project)}. Nothing was changed; "
            "please ask the APO Secretariat if a late nomination is needed."
        )
    return False


def _audit_when(backfill_at):
    return {"backfilled": True, "occurred_at": backfill_at.isoformat()} if backfill_at else {}


def validate_cv(upload):
    """Check an uploaded CV by its content: PDF or DOCX, at most 5 MB. Returns the extension to store."""
    if upload.size > MAX_CV_BYTES:
        raise DomainError(f"The file is {upload.size / 1048576:.1f} MB; at most 5 MB is accepted.", field="cv")
    upload.seek(0)
    head = upload.read(8192)
    upload.seek(0)
    kind = filetype.guess(head)
    if kind is None or kind.mime not in CV_TYPES:
        raise DomainError("Upload the CV or biodata form as a PDF or Word (DOCX) document.", field="cv")
    return CV_TYPES[kind.mime]


def _attach_cv(nomination, upload):
    ext = validate_cv(upload)
    original = os.path.basename(upload.name or f"cv.{ext}")[:200]
    nomination.cv_original_name = original
    # The stored name takes the extension of the detected type, never the uploader's.
    nomination.cv.save(f"cv.{ext}", upload, save=False)


def clean_name(value, *, field):
    """A person's name as stored (apopms.names.clean_person_name); DomainError naming `field` if refused."""
    try:
        return clean_person_name(value)
    except ValidationError as exc:
        raise DomainError(exc.messages[0], field=field) from exc


def clean_phone(value):
    """A phone number: an optional +, then digits with spaces, hyphens, dots or brackets, 7 to 15 digits.

    Refuses what a spreadsheet reads as arithmetic and no telephone dials ("+1-2-3-4-5-6", 6 digits).
    """
    value = " ".join(str(value or "").split())
    if not value:
        return ""
    if not PHONE_RE.fullmatch(value):
        raise DomainError(
            "Write the phone number with digits, spaces, brackets, dots or hyphens, and a leading + "
            "for the country code, e.g. +94 11 2345678.",
            field="phone",
        )
    digits = sum(c.isdigit() for c in value)
    low, high = PHONE_DIGITS
    if not low <= digits <= high:
        raise DomainError(
            f"A phone number has {low} to {high} digits (country code included); this one has {digits}.",
            field="phone",
        )
    return value


def clean_statement(value):
    """The statement, line breaks as one character each; DomainError if longer than STATEMENT_MAX_CHARS."""
    value = str(value or "").replace("\r\n", "\n").replace("\r", "\n").strip()
    if len(value) > STATEMENT_MAX_CHARS:
        raise DomainError(
            f"The statement has {len(value):,} characters; at most {STATEMENT_MAX_CHARS:,} are accepted.",
            field="statement",
        )
    return value


def age_on(born, day):
    """Completed years of a person born on `born`, on `day`."""
    return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


def check_date_of_birth(date_of_birth, *, project):
    """Refuse a date of birth that makes the candidate younger than 18 or older than 80 at the project's start."""
    if date_of_birth is None:
        return
    start = project.start_date
    start_text = date_format(start, "j M Y")
    if date_of_birth >= start:
        raise DomainError(
            f"The date of birth {date_of_birth.isoformat()} is not before the project starts ({start_text}).",
            field="date_of_birth",
        )
    age = age_on(date_of_birth, start)
    if not MIN_AGE <= age <= MAX_AGE:
        raise DomainError(
            f"With the date of birth {date_of_birth.isoformat()} the candidate would be {age} when the project "
            f"starts ({start_text}); candidates are {MIN_AGE} to {MAX_AGE} years old.",
            field="date_of_birth",
        )


def _clean_data(data):
    unknown = set(data) - set(DATA_FIELDS)
    if unknown:
        raise ValueError(f"Unknown nomination fields: {sorted(unknown)}")
    cleaned = dict(data)
    if "email" in cleaned:
        cleaned["email"] = (cleaned["email"] or "").strip()
    for key in ("organization", "position"):
        if key in cleaned and cleaned[key] is not None:
            cleaned[key] = cleaned[key].strip()
    for key in NAME_FIELDS:
        if key in cleaned:
            cleaned[key] = clean_name(cleaned[key], field=key)
    if cleaned.get("certificate_name") == "":
        raise DomainError("The name for the certificate is required.", field="certificate_name")
    if isinstance(cleaned.get("date_of_birth"), str):
        text = cleaned["date_of_birth"].strip()
        try:
            cleaned["date_of_birth"] = datetime.date.fromisoformat(text) if text else None
        except ValueError:
            raise DomainError("Give the date of birth as YYYY-MM-DD.", field="date_of_birth") from None
    if "phone" in cleaned:
        cleaned["phone"] = clean_phone(cleaned["phone"])
    if "statement" in cleaned:
        cleaned["statement"] = clean_statement(cleaned["statement"])
    return cleaned


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


def _lock_project(project):
    return Project.objects.select_for_update().select_related("host_country").get(pk=project.pk)


def _lock_nomination(nomination):
    # Lock only the nomination row; its country comes along for the checks and the audit text.
    return Nomination.objects.select_for_update(of=("self",)).select_related("country").get(pk=nomination.pk)


def create_nomination(*, project, country, actor, data, cv=None, backfill_at=None):
    """Create a draft nomination of `country` for `project`.

    Category: local iff `country` hosts the project. Made by the Secretariat after the deadline,
    it is marked late. Side effects: audit `nominations.nomination.created`.
    """
    at = backfill_at or _now()
    data = _clean_data(data)
    with transaction.atomic():
        project = Project.objects.select_related("host_country").get(pk=project.pk)
        late = _check_can_act(project, country, actor, at=at, backfilled=backfill_at is not None)
        if not project.participating_countries.filter(pk=country.pk).exists():
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
            **_audit_when(backfill_at),
        )
    return nomination


def update_nomination(*, nomination, actor, data, cv=None):
    """Change a draft or submitted nomination's fields (and optionally replace its CV).

    Side effects: audit `nominations.nomination.updated` naming the changed fields.
    """
    at = _now()
    data = _clean_data(data)
    with transaction.atomic():
        nomination = _lock_nomination(nomination)
        project = Project.objects.select_related("host_country").get(pk=nomination.project_id)
        if nomination.status == NominationStatus.WITHDRAWN:
            raise DomainError("A withdrawn nomination cannot be changed.")
        _check_can_act(project, nomination.country, actor, at=at)
        changed = [name for name, value in data.items() if getattr(nomination, name) != value]
        if "date_of_birth" in changed:
            check_date_of_birth(data["date_of_birth"], project=project)
        if "email" in changed:
            if not data["email"]:
                raise DomainError("An e-mail address is required.", field="email")
            _check_email_free(project, data["email"], exclude_pk=nomination.pk)
        for name in changed:
            setattr(nomination, name, data[name])
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
    """Submit a draft: it takes the next priority of its country. Submitting again returns it unchanged.

    Side effects: audit `nominations.nomination.submitted`; after commit, the acknowledgement
    e-mail task (to the officer, the NPO's other officers copied) unless `notify` is False.
    """
    at = backfill_at or _now()
    with transaction.atomic():
        project = _lock_project(Project(pk=nomination.project_id))
        nomination = _lock_nomination(nomination)
        if nomination.status == NominationStatus.SUBMITTED:
            return nomination
        if nomination.status == NominationStatus.WITHDRAWN:
            raise DomainError("A withdrawn nomination cannot be submitted; create a new one.")
        late = _check_can_act(project, nomination.country, actor, at=at, backfilled=backfill_at is not None)
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
            from .tasks import send_submission_acknowledgement

            enqueue_on_commit(
                send_submission_acknowledgement, nomination_id=nomination.pk, officer_id=actor.pk if actor else None
            )
    return nomination


def withdraw_nomination(*, nomination, actor, reason="", backfill_at=None):
    """Withdraw a draft or submitted nomination; the ranks below it move up. Repeated calls change nothing.

    Side effects: audit `nominations.nomination.withdrawn` (and `reranked` for the ones that moved).
    """
    at = backfill_at or _now()
    with transaction.atomic():
        project = _lock_project(Project(pk=nomination.project_id))
        nomination = _lock_nomination(nomination)
        if nomination.status == NominationStatus.WITHDRAWN:
            return nomination
        if nomination.decision:
            raise DomainError("The Secretariat has already decided on this nomination; ask the Secretariat.")
        _check_can_act(project, nomination.country, actor, at=at, backfilled=backfill_at is not None)
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
        project = _lock_project(project)
        _check_can_act(project, country, actor, at=_now())
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
        project = _lock_project(Project(pk=nomination.project_id))
        nomination = Nomination.objects.select_related("country").get(pk=nomination.pk)
        _check_can_act(project, nomination.country, actor, at=_now())
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


def import_nominations(*, project, country, actor, rows, progress=None):
    """Create and submit the nominations in `rows` (dicts of DATA_FIELDS) for `country`, all or nothing.

    Rows whose e-mail is already nominated for the project by this country are skipped, so the
    same import twice creates nothing new. Any error rolls the whole import back. The Secretariat
    imports; after the deadline the imported nominations are late. No acknowledgement e-mails
    (the NPO sent the list itself). `progress(done, total)` is called as rows are processed.
    Side effects: the audit entries of each creation and submission, and `nominations.import.done`.
    """
    created, skipped = [], []
    total = len(rows)
    with transaction.atomic():
        _lock_project(project)
        present = {
            e.lower(): c
            for e, c in Nomination.objects.filter(project=project)
            .exclude(status=NominationStatus.WITHDRAWN)
            .annotate(e=Lower("email"))
            .values_list("e", "country_id")
        }
        for done, row in enumerate(rows, 1):
            email = (row.get("email") or "").strip().lower()
            if present.get(email) == country.pk:
                skipped.append(email)
            else:
                nomination = create_nomination(project=project, country=country, actor=actor, data=row)
                submit_nomination(nomination=nomination, actor=actor, notify=False)
                created.append(nomination.pk)
                present[email] = country.pk
            if progress and (done % 10 == 0 or done == total):
                progress(done, total)
        record(
            "nominations.import.done",
            actor=actor,
            target=project,
            country=country.iso2,
            created=len(created),
            skipped=len(skipped),
        )
    return {"created": created, "skipped": skipped}


__all__ = [
    "check_date_of_birth",
    "clean_name",
    "clean_phone",
    "clean_statement",
    "create_nomination",
    "import_nominations",
    "move_nomination",
    "rank_nominations",
    "record_cv_download",
    "record_export",
    "submit_nomination",
    "update_nomination",
    "validate_cv",
    "withdraw_nomination",
]
