"""Writes of the programme: sessions, agenda items, resource persons, announcement and versions.

Every function is keyword-only, takes the acting user, runs in one transaction, records an
audit entry and queues e-mail only after commit. The portal's views and the admin both call
these. (Attendance has its own services in `attendance.py`.)
"""

import datetime

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import F, Max
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.dateformat import format as date_format

from apopms.audit import record
from apopms.enums import Category, Role
from apopms.exceptions import DomainError
from apopms.models import Membership, Project
from apopms.tasks_util import enqueue_on_commit
from nominations.models import Participant

from .attendance import recompute_session_attendance
from .models import AgendaItem, Attendance, ProgrammeVersion, ResourcePerson, Session
from .programme import diff_snapshots, present
from .selectors import latest_programme_version, programme_snapshot

HONORARIUM_CAP = 2
NOTICE_DAYS = 14
SESSION_FIELDS = ("title", "start_at", "end_at", "join_url")
ITEM_FIELDS = ("kind", "title", "topics", "description", "start_at", "end_at")
PERSON_FIELDS = ("name", "title", "organization", "country", "category", "biography", "local_honorarium")


def _lock(project):
    return Project.objects.select_for_update().get(pk=project.pk)


def _touch(session_id, now=None):
    """Raise the session's revision: its iCalendar SEQUENCE."""
    Session.objects.filter(pk=session_id).update(revision=F("revision") + 1, updated_at=now or timezone.now())


def _check_times(start_at, end_at, *, field="end_at"):
    if start_at is None or end_at is None:
        raise DomainError("Give a start and an end time.", field="start_at")
    if end_at <= start_at:
        raise DomainError("The end must be after the start.", field=field)


def _check_on_project_days(project, start_at):
    day = start_at.astimezone(project.zone).date()
    if not project.start_date <= day <= project.end_date:
        raise DomainError(
            f"The session must be on one of the project's days ({project.start_date:%d %b %Y}–"
            f"{project.end_date:%d %b %Y}, in {project.time_zone} time).",
            field="start_at",
        )


# ---------------------------------------------------------------- sessions


def create_session(*, project, actor, title, start_at, end_at, join_url=""):
    """A new session of the project's programme (a draft change until published)."""
    with transaction.atomic():
        project = _lock(project)
        _check_times(start_at, end_at)
        _check_on_project_days(project, start_at)
        session = Session.objects.create(
            project=project, title=title.strip(), start_at=start_at, end_at=end_at, join_url=join_url
        )
        record("agenda.session.created", actor=actor, target=session, title=session.title)
        return session


def update_session(*, session, actor, **changes):
    """Change a session. Moving it (same length) moves its agenda items along.

    Raises DomainError when the times are wrong or an agenda item would fall outside it.
    """
    unknown = set(changes) - set(SESSION_FIELDS)
    if unknown:
        raise TypeError(f"Unknown session fields: {sorted(unknown)}")
    with transaction.atomic():
        project = _lock(session.project)
        session = Session.objects.select_for_update().get(pk=session.pk)
        old = {f: getattr(session, f) for f in SESSION_FIELDS}
        new = {**old, **{k: (v.strip() if isinstance(v, str) else v) for k, v in changes.items()}}
        if new == old:
            return session
        _check_times(new["start_at"], new["end_at"])
        _check_on_project_days(project, new["start_at"])
        shift = new["start_at"] - old["start_at"]
        moved = shift and new["end_at"] - new["start_at"] == old["end_at"] - old["start_at"]
        items = list(session.agenda_items.all())
        if moved:
            for item in items:
                item.start_at += shift
                item.end_at += shift
            AgendaItem.objects.bulk_update(items, ["start_at", "end_at"])
        else:
            for item in items:
                if item.start_at < new["start_at"] or item.end_at > new["end_at"]:
                    raise DomainError(
                        f"“{item.title}” would fall outside the session: change or move it first.", field="start_at"
                    )
        for field, value in new.items():
            setattr(session, field, value)
        session.revision += 1
        session.updated_at = timezone.now()
        session.save()
        changed = sorted(f for f in SESSION_FIELDS if old[f] != new[f])
        record("agenda.session.updated", actor=actor, target=session, fields=changed)
        if "start_at" in changed or "end_at" in changed:
            # Imported attendance was measured against the old times: measure it again.
            recompute_session_attendance(session=session, actor=actor)
        return session


def delete_session(*, session, actor):
    """Remove a session and its agenda items; refused once attendance has been recorded for it."""
    with transaction.atomic():
        _lock(session.project)
        if Attendance.objects.filter(session=session).exists():
            raise DomainError("Attendance has been recorded for this session: it cannot be removed.")
        record("agenda.session.deleted", actor=actor, target=session, title=session.title)
        session.delete()


# ---------------------------------------------------------------- agenda items


def _check_item_in_session(session, start_at, end_at):
    _check_times(start_at, end_at)
    if start_at < session.start_at or end_at > session.end_at:
        raise DomainError("An agenda item must lie within its session's times.", field="start_at")


def _check_speakers(session, speakers):
    speakers = list(speakers)
    if any(p.project_id != session.project_id for p in speakers):
        raise DomainError("Speakers must be resource persons of the same project.", field="speakers")
    return speakers


def create_agenda_item(
    *, session, actor, title, start_at, end_at, kind="presentation", topics="", description="", speakers=()
):
    """Append an agenda item to a session (a draft change until published)."""
    with transaction.atomic():
        _lock(session.project)
        session = Session.objects.select_for_update().get(pk=session.pk)
        _check_item_in_session(session, start_at, end_at)
        speakers = _check_speakers(session, speakers)
        last = session.agenda_items.aggregate(m=Max("position"))["m"] or 0
        item = AgendaItem.objects.create(
            session=session,
            position=last + 1,
            kind=kind,
            title=title.strip(),
            topics=topics.strip(),
            description=description.strip(),
            start_at=start_at,
            end_at=end_at,
        )
        item.speakers.set(speakers)
        _touch(session.pk)
        record("agenda.agenda_item.created", actor=actor, target=item, project=session.project, title=item.title)
        return item


def update_agenda_item(*, item, actor, speakers=None, **changes):
    unknown = set(changes) - set(ITEM_FIELDS)
    if unknown:
        raise TypeError(f"Unknown agenda item fields: {sorted(unknown)}")
    with transaction.atomic():
        _lock(item.session.project)
        item = AgendaItem.objects.select_for_update().select_related("session").get(pk=item.pk)
        for field, value in changes.items():
            setattr(item, field, value.strip() if isinstance(value, str) else value)
        _check_item_in_session(item.session, item.start_at, item.end_at)
        item.save()
        if speakers is not None:
            item.speakers.set(_check_speakers(item.session, speakers))
        _touch(item.session_id)
        record(
            "agenda.agenda_item.updated",
            actor=actor,
            target=item,
            project=item.session.project,
            fields=sorted(changes) + (["speakers"] if speakers is not None else []),
        )
        return item


def delete_agenda_item(*, item, actor):
    with transaction.atomic():
        _lock(item.session.project)
        record("agenda.agenda_item.deleted", actor=actor, target=item, project=item.session.project, title=item.title)
        session_id = item.session_id
        item.delete()
        _touch(session_id)


def move_agenda_item(*, item, actor, direction):
    """Swap an agenda item with its neighbour ("up" or "down"); at either end nothing changes."""
    if direction not in ("up", "down"):
        raise DomainError("Move an agenda item up or down.")
    with transaction.atomic():
        _lock(item.session.project)
        item = AgendaItem.objects.select_for_update().get(pk=item.pk)
        siblings = AgendaItem.objects.filter(session_id=item.session_id)
        if direction == "up":
            other = siblings.filter(position__lt=item.position).order_by("-position").first()
        else:
            other = siblings.filter(position__gt=item.position).order_by("position").first()
        if other is None:
            return item
        a, b = item.position, other.position
        # Through a free position, so that the unique (session, position) holds at every step.
        top = (siblings.aggregate(m=Max("position"))["m"] or 0) + 1
        AgendaItem.objects.filter(pk=item.pk).update(position=top)
        AgendaItem.objects.filter(pk=other.pk).update(position=a)
        AgendaItem.objects.filter(pk=item.pk).update(position=b)
        item.position = b
        _touch(item.session_id)
        record("agenda.agenda_item.moved", actor=actor, target=item, project=item.session.project, direction=direction)
        return item


# ---------------------------------------------------------------- resource persons


def _check_honorarium(project, person_pk, category, local_honorarium):
    """At most HONORARIUM_CAP local resource persons with an APO honorarium; call under the project lock."""
    if not local_honorarium:
        return
    if category != Category.LOCAL:
        raise DomainError(
            "Only local resource persons receive an APO honorarium (overseas ones are paid an assignment).",
            field="local_honorarium",
        )
    others = list(
        ResourcePerson.objects.filter(project=project, local_honorarium=True)
        .exclude(pk=person_pk)
        .order_by("name")
        .values_list("name", flat=True)
    )
    if len(others) >= HONORARIUM_CAP:
        raise DomainError(
            f"The APO pays an honorarium for at most {HONORARIUM_CAP} local resource persons per project, "
            f"and {' and '.join(others)} already have one. Remove the flag from one of them first.",
            field="local_honorarium",
        )


def _check_unique_name(project, person_pk, name):
    if ResourcePerson.objects.filter(project=project, name__iexact=name).exclude(pk=person_pk).exists():
        raise DomainError(f"{name} is already a resource person of this project.", field="name")


def create_resource_person(*, project, actor, name, **fields):
    """A new resource person. Refuses a third local honorarium (checked under the project's row lock)."""
    unknown = set(fields) - set(PERSON_FIELDS)
    if unknown:
        raise TypeError(f"Unknown resource person fields: {sorted(unknown)}")
    with transaction.atomic():
        project = _lock(project)
        name = name.strip()
        _check_unique_name(project, None, name)
        _check_honorarium(
            project, None, fields.get("category", Category.OVERSEAS), fields.get("local_honorarium", False)
        )
        person = ResourcePerson.objects.create(project=project, name=name, **fields)
        record("agenda.resource_person.created", actor=actor, target=person, project=project, name=person.name)
        return person


def update_resource_person(*, person, actor, **changes):
    unknown = set(changes) - set(PERSON_FIELDS)
    if unknown:
        raise TypeError(f"Unknown resource person fields: {sorted(unknown)}")
    with transaction.atomic():
        project = _lock(person.project)
        person = ResourcePerson.objects.select_for_update().get(pk=person.pk)
        for field, value in changes.items():
            setattr(person, field, value.strip() if isinstance(value, str) else value)
        _check_unique_name(project, person.pk, person.name)
        _check_honorarium(project, person.pk, person.category, person.local_honorarium)
        person.save()
        for session_id in set(person.agenda_items.values_list("session_id", flat=True)):
            _touch(session_id)
        record("agenda.resource_person.updated", actor=actor, target=person, project=project, fields=sorted(changes))
        return person


def delete_resource_person(*, person, actor):
    """Remove a resource person (and them from the agenda items they spoke at)."""
    with transaction.atomic():
        project = _lock(person.project)
        for session_id in set(person.agenda_items.values_list("session_id", flat=True)):
            _touch(session_id)
        record("agenda.resource_person.deleted", actor=actor, target=person, project=project, name=person.name)
        person.delete()


# ---------------------------------------------------------------- announcing and versions


def programme_start(project):
    """The instant the project starts: 00:00 of its start date in its zone."""
    return datetime.datetime.combine(project.start_date, datetime.time.min, tzinfo=project.zone)


def announcement_warnings(project, now=None):
    """What the person announcing should know (the announcement goes ahead regardless)."""
    now = now or timezone.now()
    warnings = []
    due = programme_start(project) - datetime.timedelta(days=NOTICE_DAYS)
    if now > due:
        warnings.append(
            f"This is later than two weeks before the start: the notification promised the programme by "
            f"{date_format(due.astimezone(project.zone), 'j F Y')}."
        )
    if project.selection_published_at is None:
        warnings.append(
            "The selection of participants is not published yet, so the programme would be announced alone, "
            "without the participants' names."
        )
    return warnings


def announce_programme(*, project, actor, change_note="", without_participants=False, notify=True, now=None):
    """Publish the programme and speakers, with the selected participants' names: version 1.

    If the selection is not published yet, the programme is announced alone, and only when
    `without_participants` confirms it. A repeated call returns the version that exists.
    Side effects: `project.programme_published_at`; after commit, e-mail to the NPO officers of
    the participating countries and to the participants (`tasks.send_programme_notice`).
    """
    now = now or timezone.now()
    with transaction.atomic():
        project = _lock(project)
        existing = latest_programme_version(project)
        if existing is not None:
            return existing
        if not Session.objects.filter(project=project).exists():
            raise DomainError("Add at least one session before announcing the programme.")
        if project.selection_published_at is None and not without_participants:
            raise DomainError(
                "The selection of participants is not published yet. Publish it first to announce the "
                "participants with the programme, or confirm that the programme is announced alone.",
                field="without_participants",
            )
        snapshot = programme_snapshot(project)
        version = ProgrammeVersion.objects.create(
            project=project,
            number=1,
            published_at=now,
            published_by=actor if getattr(actor, "is_authenticated", False) else None,
            change_note=change_note.strip(),
            with_participants=snapshot["participants"] is not None,
            snapshot=snapshot,
        )
        Project.objects.filter(pk=project.pk).update(programme_published_at=now)
        record(
            "agenda.programme.announced",
            actor=actor,
            target=version,
            project=project,
            with_participants=version.with_participants,
            late=now > programme_start(project) - datetime.timedelta(days=NOTICE_DAYS),
        )
        if notify:
            from .tasks import send_programme_notice

            enqueue_on_commit(send_programme_notice, version_id=version.pk)
        return version


def pending_changes(project):
    """(latest version, lines saying what the draft changes since it); (None, []) before publication."""
    latest = latest_programme_version(project)
    if latest is None:
        return None, []
    return latest, diff_snapshots(latest.snapshot, programme_snapshot(project), project.zone)


def publish_programme_update(*, project, actor, change_note, notify=True, now=None):
    """Publish the draft as a new version with a change note. Returns (version, created).

    If nothing changed since the latest version, that version is returned (created False).
    Side effects: after commit, e-mail to the NPO officers and participants, once per version.
    """
    now = now or timezone.now()
    with transaction.atomic():
        project = _lock(project)
        latest = latest_programme_version(project)
        if latest is None:
            raise DomainError("The programme has not been announced yet: announce it first.")
        snapshot = programme_snapshot(project)
        if snapshot == latest.snapshot:
            return latest, False
        change_note = (change_note or "").strip()
        if not change_note:
            raise DomainError("Say briefly what changed: the note goes to everyone told.", field="change_note")
        version = ProgrammeVersion.objects.create(
            project=project,
            number=latest.number + 1,
            published_at=now,
            published_by=actor if getattr(actor, "is_authenticated", False) else None,
            change_note=change_note,
            with_participants=snapshot["participants"] is not None,
            snapshot=snapshot,
            changes=diff_snapshots(latest.snapshot, snapshot, project.zone),
        )
        record("agenda.programme.updated", actor=actor, target=version, project=project, number=version.number)
        if notify:
            from .tasks import send_programme_notice

            enqueue_on_commit(send_programme_notice, version_id=version.pk)
        return version, True


def programme_notice_recipients(project):
    """[(e-mail, name, zone)] of the active participants and the NPO officers of participating countries."""
    people = {}
    for p in Participant.objects.active().filter(project=project).select_related("user", "country"):
        people.setdefault(p.user.email.lower(), (p.user.email, p.certificate_name, p.zone))
    officers = Membership.objects.filter(
        role=Role.NPO_OFFICER,
        active=True,
        user__is_active=True,
        country__in=project.participating_countries.all(),
    ).select_related("user", "country")
    for m in officers:
        zone = m.user.time_zone or m.country.time_zone
        people.setdefault(m.user.email.lower(), (m.user.email, m.user.get_full_name(), zone))
    return sorted(people.values())


def send_programme_notices(*, version_id):
    """E-mail one version's notice to everyone concerned, each person once even if run twice."""
    version = ProgrammeVersion.objects.select_related("project").filter(pk=version_id).first()
    if version is None or version.notified_at is not None:
        return 0
    project = version.project
    url = settings.SITE_URL + reverse("agenda:programme", kwargs={"code": project.code})
    sent = 0
    for email, name, zone in programme_notice_recipients(project):
        with transaction.atomic():
            locked = ProgrammeVersion.objects.select_for_update().get(pk=version.pk)
            if email.lower() in locked.notified_emails:
                continue
            context = {
                "project": project,
                "version": locked,
                "name": name,
                "url": url,
                "programme": present(locked.snapshot, project=project, viewer_zone=zone),
            }
            subject = render_to_string("sessions/email/programme_notice_subject.txt", context).strip()
            body = render_to_string("sessions/email/programme_notice.txt", context)
            send_mail(subject, body, None, [email])
            locked.notified_emails = [*locked.notified_emails, email.lower()]
            locked.save(update_fields=["notified_emails"])
            sent += 1
    ProgrammeVersion.objects.filter(pk=version.pk, notified_at__isnull=True).update(notified_at=timezone.now())
    return sent


# ---------------------------------------------------------------- a new edition


def _shift(value, source_zone, target_zone, days):
    """The same wall-clock time `days` later, in the target zone (right across DST changes)."""
    local = value.astimezone(source_zone)
    return datetime.datetime.combine(
        local.date() + datetime.timedelta(days=days), local.time(), tzinfo=target_zone
    ).astimezone(datetime.UTC)


def copy_programme_skeleton(*, source, clone, day_offset, actor=None):
    """Copy sessions and agenda items of `source` to `clone`, `day_offset` days later.

    Speakers and links to join are not copied: a new edition has its own. Nothing is copied
    when the clone already has sessions (safe to run twice). Returns the new sessions.
    """
    with transaction.atomic():
        clone = _lock(clone)
        if Session.objects.filter(project=clone).exists():
            return []
        created = []
        for session in Session.objects.filter(project=source).order_by("start_at", "pk"):
            new = Session.objects.create(
                project=clone,
                title=session.title,
                start_at=_shift(session.start_at, source.zone, clone.zone, day_offset),
                end_at=_shift(session.end_at, source.zone, clone.zone, day_offset),
            )
            AgendaItem.objects.bulk_create(
                AgendaItem(
                    session=new,
                    position=item.position,
                    kind=item.kind,
                    title=item.title,
                    topics=item.topics,
                    description=item.description,
                    start_at=_shift(item.start_at, source.zone, clone.zone, day_offset),
                    end_at=_shift(item.end_at, source.zone, clone.zone, day_offset),
                )
                for item in session.agenda_items.order_by("position")
            )
            created.append(new)
        record(
            "agenda.programme.copied",
            actor=actor,
            target=clone,
            project=clone,
            source=source.code,
            sessions=len(created),
            day_offset=day_offset,
        )
        return created
