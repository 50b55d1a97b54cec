"""Writes of the programme: sessions and agenda items, and a new edition's copy of them.

Every function is keyword-only, takes the acting user (checked by `permissions`), runs in one
transaction under the project's lock, and records an audit entry. The portal's views and the
admin both call these.
"""

import datetime

from django.db import transaction
from django.db.models import F, Max
from django.utils import timezone

from apopms.audit import record
from apopms.exceptions import DomainError
from apopms.models import Project

from ..models import AgendaItem, Attendance, Session, check_ends_after_start
from ..permissions import require_manage_programme
from .imports import recompute_session_attendance

SESSION_FIELDS = ("title", "start_at", "end_at", "join_url", "room")
ITEM_FIELDS = ("kind", "title", "topics", "description", "start_at", "end_at")


def check_known_fields(changes, allowed, what):
    """A programming error, not a user's: a caller passed a field the service does not change."""
    unknown = set(changes) - set(allowed)
    if unknown:
        raise TypeError(f"Unknown {what} fields: {sorted(unknown)}")


def touch(session_id, now=None):
    """Raise the session's revision: its iCalendar SEQUENCE."""
    Session.objects.filter(pk=session_id).update(revision=F("revision") + 1, updated_at=now or timezone.now())


def _check_on_project_days(project, start_at):
    day = start_at.astimezone(project.zone).date()
    if not project.start_date <= day <= project.end_date:
        raise DomainError(
            f"The session must be on one of the project's days ({project.start_date:%d %b %Y}–"
            f"{project.end_date:%d %b %Y}, in {project.time_zone} time).",
            field="start_at",
        )


# ---------------------------------------------------------------- sessions


def create_session(*, project, actor, title, start_at, end_at, join_url="", room=""):
    """A new session of the project's programme (a draft change until published)."""
    with transaction.atomic():
        project = Project.objects.lock(project.pk)
        require_manage_programme(actor, project)
        check_ends_after_start(start_at, end_at)
        _check_on_project_days(project, start_at)
        session = Session.objects.create(
            project=project,
            title=title.strip(),
            start_at=start_at,
            end_at=end_at,
            join_url=join_url,
            room=(room or "").strip(),
        )
        record("agenda.session.created", actor=actor, target=session, title=session.title)
        return session


def update_session(*, session, actor, **changes):
    """Change a session. Moving it (same length) moves its agenda items along.

    Raises DomainError when the times are wrong or an agenda item would fall outside it.
    """
    check_known_fields(changes, SESSION_FIELDS, "session")
    with transaction.atomic():
        project = Project.objects.lock(session.project_id)
        require_manage_programme(actor, project)
        session = Session.objects.select_for_update().get(pk=session.pk)
        old = {f: getattr(session, f) for f in SESSION_FIELDS}
        new = {**old, **{k: (v.strip() if isinstance(v, str) else v) for k, v in changes.items()}}
        if new == old:
            return session
        check_ends_after_start(new["start_at"], new["end_at"])
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
        require_manage_programme(actor, Project.objects.lock(session.project_id))
        if Attendance.objects.filter(session=session).exists():
            raise DomainError("Attendance has been recorded for this session: it cannot be removed.")
        record("agenda.session.deleted", actor=actor, target=session, title=session.title)
        session.delete()


# ---------------------------------------------------------------- agenda items


def _check_item_in_session(session, start_at, end_at):
    check_ends_after_start(start_at, end_at)
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
        Project.objects.lock(session.project_id)
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
        touch(session.pk)
        record("agenda.agenda_item.created", actor=actor, target=item, project=session.project, title=item.title)
        return item


def update_agenda_item(*, item, actor, speakers=None, **changes):
    check_known_fields(changes, ITEM_FIELDS, "agenda item")
    with transaction.atomic():
        require_manage_programme(actor, Project.objects.lock(item.session.project_id))
        item = AgendaItem.objects.select_for_update().select_related("session").get(pk=item.pk)
        for field, value in changes.items():
            setattr(item, field, value.strip() if isinstance(value, str) else value)
        _check_item_in_session(item.session, item.start_at, item.end_at)
        item.save()
        if speakers is not None:
            item.speakers.set(_check_speakers(item.session, speakers))
        touch(item.session_id)
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
        require_manage_programme(actor, Project.objects.lock(item.session.project_id))
        record("agenda.agenda_item.deleted", actor=actor, target=item, project=item.session.project, title=item.title)
        session_id = item.session_id
        item.delete()
        touch(session_id)


def move_agenda_item(*, item, actor, direction):
    """Swap an agenda item with its neighbour ("up" or "down"); at either end nothing changes."""
    if direction not in ("up", "down"):
        raise DomainError("Move an agenda item up or down.")
    with transaction.atomic():
        require_manage_programme(actor, Project.objects.lock(item.session.project_id))
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
        touch(item.session_id)
        record("agenda.agenda_item.moved", actor=actor, target=item, project=item.session.project, direction=direction)
        return item


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
        # A reaction to the core's cloning of a project (which checked who may clone): no check here.
        clone = Project.objects.lock(clone.pk)
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
