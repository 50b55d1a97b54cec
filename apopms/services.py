"""Writes of the core: invitations and people, projects and their notification.

Every function here is keyword-only, takes the acting user, runs in one transaction,
records an audit entry, and queues its e-mails after commit.
"""

import dataclasses
import datetime
import hashlib
import secrets
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.crypto import salted_hmac

from . import audit
from .enums import InvitationPurpose, Role
from .exceptions import DomainError
from .models import Invitation, Membership, User
from .tasks_util import enqueue_on_commit

# The role an invitation of each purpose grants by default.
PURPOSE_ROLE = {
    InvitationPurpose.NPO_OFFICER: Role.NPO_OFFICER,
    InvitationPurpose.IMPLEMENTER: Role.IMPLEMENTER,
    InvitationPurpose.PARTICIPANT: None,
}
# Someone with an old link may ask for a new one, but not flood an inbox.
RENEW_INTERVAL = datetime.timedelta(minutes=10)


# --- Invitations -------------------------------------------------------------------------


def invitation_token(invitation):
    """The secret in the link. Derived from the stored nonce with the SECRET_KEY; only its hash is stored."""
    return salted_hmac("apopms.invitation", invitation.nonce, algorithm="sha256").hexdigest()


def hash_token(token):
    return hashlib.sha256((token or "").encode()).hexdigest()


def find_invitation(token):
    """The invitation a link's token belongs to, or None."""
    if not token:
        return None
    return (
        Invitation.objects.select_related("user", "project", "country", "invited_by")
        .filter(token_hash=hash_token(token))
        .first()
    )


def _new_invitation(*, user, purpose, country, project, membership, invited_by):
    now = timezone.now()
    invitation = Invitation(
        user=user,
        purpose=purpose,
        country=country,
        project=project,
        membership=membership,
        invited_by=invited_by if getattr(invited_by, "is_authenticated", False) else None,
        nonce=secrets.token_hex(32),
        created_at=now,
        expires_at=now + datetime.timedelta(days=settings.INVITATION_VALID_DAYS),
    )
    invitation.token_hash = hash_token(invitation_token(invitation))
    invitation.save()
    return invitation


def _check_may_invite(actor, purpose, role, country):
    if actor is None or actor.is_secretariat:
        return
    if (
        role == Role.NPO_OFFICER
        and purpose == InvitationPurpose.NPO_OFFICER
        and actor.npo_country is not None
        and country is not None
        and actor.npo_country.pk == country.pk
    ):
        return
    raise PermissionDenied("Only the APO Secretariat, or an officer of the same NPO, may invite this person.")


def _grant_membership(*, actor, user, role, country, project):
    if role == Role.NPO_OFFICER:
        if country is None:
            raise DomainError("Choose the member country of the NPO officer.", field="country")
        existing = Membership.objects.select_for_update().filter(user=user, role=Role.NPO_OFFICER).first()
        if existing is not None and existing.country_id != country.pk:
            raise DomainError(
                f"{user.email} is already an NPO officer of {existing.country}; one person acts for one country.",
                field="email",
            )
        if existing is not None:
            if not existing.active:
                if actor is not None and not actor.is_secretariat:
                    raise DomainError(
                        f"{user.email} was deactivated by the APO Secretariat; ask the Secretariat to reactivate them.",
                        field="email",
                    )
                existing.active = True
                existing.save(update_fields=["active"])
            return existing
        return Membership.objects.create(user=user, role=role, country=country, invited_by=actor)
    if role == Role.IMPLEMENTER:
        if project is None:
            raise DomainError("Choose the project the implementer works on.", field="project")
        membership, created = Membership.objects.get_or_create(
            user=user,
            role=Role.IMPLEMENTER,
            project=project,
            defaults={"country": country or project.host_country, "invited_by": actor},
        )
        if not created and not membership.active:
            membership.active = True
            membership.save(update_fields=["active"])
        return membership
    raise DomainError("This role cannot be given by invitation.", field="role")


def invite_user(*, actor, email, full_name, purpose, role=None, country=None, project=None):
    """Invite a person by e-mail to set a password and take up a role. Returns the Invitation.

    - Creates the user when nobody has this e-mail address (case-insensitive), with an unusable
      password; fills in the name when it was empty.
    - Grants the Membership of `role` (default: the purpose's role; a participant gets none
      here, the nominations app makes the Participant): an NPO officer needs `country`, an
      implementer needs `project`.
    - Creates an Invitation valid settings.INVITATION_VALID_DAYS days, single use. A pending
      invitation for the same person, purpose, country and project is returned as it is
      (no second e-mail): use `resend_invitation` to send a new link.
    - Audit: apopms.invitation.created. After commit: the invitation e-mail (task
      apopms.tasks.send_invitation_email, retried on SMTP failure).

    Who may invite: the Secretariat (or `actor=None` for the system); an NPO officer may
    invite a colleague of the same NPO. Anyone else gets PermissionDenied.
    """
    purpose = InvitationPurpose(purpose)
    if role is None:
        role = PURPOSE_ROLE[purpose]
    elif role != PURPOSE_ROLE[purpose]:
        raise DomainError("The role does not match the purpose of the invitation.", field="role")
    if purpose == InvitationPurpose.PARTICIPANT and project is None:
        raise DomainError("A participant is invited to a project.", field="project")
    email = User.objects.normalize_email(email)
    try:
        from django.core.validators import validate_email

        validate_email(email)
    except ValidationError:
        raise DomainError("Enter a valid e-mail address.", field="email") from None
    _check_may_invite(actor, purpose, role, country)

    with transaction.atomic():
        user = User.objects.select_for_update().filter(email__iexact=email).first()
        if user is None:
            try:
                with transaction.atomic():  # a savepoint: someone may create the same address right now
                    user = User(email=email, full_name=(full_name or "").strip())
                    user.set_unusable_password()
                    user.save()
            except IntegrityError:
                # The other invitation won the race and has committed: use its account.
                user = User.objects.select_for_update().get(email__iexact=email)
            else:
                audit.record("apopms.user.created", actor=actor, target=user, email=email, via="invitation")
        changed = []
        if not user.full_name and full_name:
            user.full_name = full_name.strip()
            changed.append("full_name")
        if not user.is_active:
            if actor is not None and not actor.is_secretariat:
                raise DomainError(
                    f"{user.email} was deactivated by the APO Secretariat; ask the Secretariat to reactivate them.",
                    field="email",
                )
            user.is_active = True
            changed.append("is_active")
        if changed:
            user.save(update_fields=changed)
        membership = None
        if role is not None:
            membership = _grant_membership(actor=actor, user=user, role=role, country=country, project=project)
        pending = (
            Invitation.objects.pending()
            .filter(
                user=user,
                purpose=purpose,
                country=country if role == Role.NPO_OFFICER else None,
                project=project if purpose != InvitationPurpose.NPO_OFFICER else None,
            )
            .order_by("-created_at")
            .first()
        )
        if pending is not None:
            return pending
        invitation = _new_invitation(
            user=user,
            purpose=purpose,
            country=country if role == Role.NPO_OFFICER else None,
            project=project if purpose != InvitationPurpose.NPO_OFFICER else None,
            membership=membership,
            invited_by=actor,
        )
        audit.record(
            "apopms.invitation.created",
            actor=actor,
            target=invitation,
            project=invitation.project,
            email=user.email,
            purpose=purpose.value,
            role=role or "",
            country=country.iso2 if country else "",
        )
        from .tasks import send_invitation_email

        enqueue_on_commit(send_invitation_email, invitation_pk=invitation.pk)
    return invitation


def _replace_invitation(invitation, *, invited_by):
    new = _new_invitation(
        user=invitation.user,
        purpose=invitation.purpose,
        country=invitation.country,
        project=invitation.project,
        membership=invitation.membership,
        invited_by=invited_by,
    )
    # Void every older link of this kind, so only the newest one works.
    Invitation.objects.filter(
        user=invitation.user,
        purpose=invitation.purpose,
        country=invitation.country,
        project=invitation.project,
        accepted_at__isnull=True,
        voided_at__isnull=True,
    ).exclude(pk=new.pk).update(voided_at=timezone.now(), replaced_by=new)
    return new


def may_resend(user, invitation):
    return user.is_authenticated and (user.is_secretariat or invitation.invited_by_id == user.pk)


def resend_invitation(*, actor, invitation):
    """Send a new link for `invitation`; the old link stops working. Returns the new Invitation.

    Only whoever invited, or the Secretariat. Refused once the invitation was accepted.
    Audit: apopms.invitation.resent. After commit: the invitation e-mail.
    """
    if not may_resend(actor, invitation):
        raise PermissionDenied("Only whoever sent the invitation, or the APO Secretariat, may resend it.")
    with transaction.atomic():
        invitation = Invitation.objects.select_for_update().select_related("user").get(pk=invitation.pk)
        if invitation.accepted_at:
            raise DomainError(f"{invitation.user.email} already accepted this invitation.")
        if not invitation.user.is_active:
            raise DomainError(f"{invitation.user.email} is deactivated; reactivate them first.")
        new = _replace_invitation(invitation, invited_by=invitation.invited_by or actor)
        audit.record(
            "apopms.invitation.resent",
            actor=actor,
            target=new,
            project=new.project,
            email=new.user.email,
            replaces=invitation.pk,
        )
        from .tasks import send_invitation_email

        enqueue_on_commit(send_invitation_email, invitation_pk=new.pk)
    return new


def renew_invitation(*, token):
    """Someone whose link expired or was replaced asks for a new one. Returns the Invitation now valid.

    The new link goes to the invitee's own address (never to whoever asks), and whoever
    invited is told. A new link is sent at most every RENEW_INTERVAL. Refused for a link
    already used: that person logs in or resets the password.
    Audit: apopms.invitation.renewed. After commit: the invitation e-mail and a note to the inviter.
    """
    with transaction.atomic():
        invitation = find_invitation(token)
        if invitation is None:
            raise DomainError("This link is not valid. Please copy the whole link from the e-mail.")
        invitation = Invitation.objects.select_for_update().select_related("user").get(pk=invitation.pk)
        if invitation.accepted_at:
            raise DomainError("This link was already used. Log in, or reset your password if you forgot it.")
        if not invitation.user.is_active:
            raise DomainError("This account is deactivated. Please contact the APO Secretariat.")
        latest = (
            Invitation.objects.filter(
                user=invitation.user,
                purpose=invitation.purpose,
                country=invitation.country,
                project=invitation.project,
            )
            .order_by("-created_at")
            .first()
        )
        if latest.is_usable() and latest.created_at > timezone.now() - RENEW_INTERVAL:
            return latest
        new = _replace_invitation(invitation, invited_by=invitation.invited_by)
        audit.record("apopms.invitation.renewed", actor=None, target=new, project=new.project, replaces=invitation.pk)
        from .tasks import notify_inviter_of_renewal, send_invitation_email

        enqueue_on_commit(send_invitation_email, invitation_pk=new.pk)
        if new.invited_by_id:
            enqueue_on_commit(notify_inviter_of_renewal, invitation_pk=new.pk)
    return new


def accept_invitation(*, token, password):
    """Accept an invitation: set the password, use up the link. Returns the user (the view logs them in).

    Refused, with a plain message, for an unknown, expired, replaced or used link, and for a
    password the validators reject (field "password"). Audit: apopms.invitation.accepted.
    """
    with transaction.atomic():
        invitation = find_invitation(token)
        if invitation is None:
            raise DomainError("This link is not valid. Please copy the whole link from the e-mail.")
        invitation = Invitation.objects.select_for_update().select_related("user").get(pk=invitation.pk)
        state = invitation.state()
        if state == "accepted":
            raise DomainError("This link was already used. Log in, or reset your password if you forgot it.")
        if state == "void":
            raise DomainError(
                "This link was replaced by a newer one. Please use the latest e-mail, or ask for a new link."
            )
        if state == "expired":
            raise DomainError("This link has expired. Ask for a new one below.")
        user = User.objects.select_for_update().get(pk=invitation.user_id)
        if not user.is_active:
            raise DomainError("This account is deactivated. Please contact the APO Secretariat.")
        try:
            validate_password(password, user)
        except ValidationError as exc:
            raise DomainError(" ".join(exc.messages), field="password") from None
        user.set_password(password)
        user.save(update_fields=["password"])
        invitation.accepted_at = timezone.now()
        invitation.save(update_fields=["accepted_at"])
        audit.record("apopms.invitation.accepted", actor=user, target=invitation, project=invitation.project)
    return user


# --- People ------------------------------------------------------------------------------


def _keeps_access(user, *, except_membership):
    """Whether the person still needs to log in after losing one role."""
    if Membership.objects.filter(user=user, active=True).exclude(pk=except_membership.pk).exists():
        return True
    # Participations belong to the nominations app; read through the reverse relation only.
    return user.participations.filter(status="active").exists()


def deactivate_membership(*, actor, membership):
    """End a role (an NPO officer's or an implementer's). Only the Secretariat.

    When the person holds no other role, the account is deactivated too: Django's ModelBackend
    then refuses their session on the next request, so they are logged out at once. Their
    pending invitations stop working. Audit: apopms.membership.deactivated.
    """
    if not actor.is_secretariat:
        raise PermissionDenied("Only the APO Secretariat may deactivate accounts.")
    with transaction.atomic():
        membership = Membership.objects.select_for_update().select_related("user").get(pk=membership.pk)
        if membership.role == Role.SECRETARIAT:
            raise DomainError("Secretariat accounts are managed in the back office.")
        if membership.user_id == actor.pk:
            raise DomainError("You cannot deactivate yourself.")
        if not membership.active:
            return membership
        membership.active = False
        membership.save(update_fields=["active"])
        user = membership.user
        account_closed = False
        if user.is_active and not _keeps_access(user, except_membership=membership):
            user.is_active = False
            user.save(update_fields=["is_active"])
            account_closed = True
        Invitation.objects.filter(membership=membership).pending().update(voided_at=timezone.now())
        audit.record(
            "apopms.membership.deactivated",
            actor=actor,
            target=membership,
            project=membership.project,
            email=user.email,
            role=membership.role,
            account_closed=account_closed,
        )
    return membership


def reactivate_membership(*, actor, membership):
    """Give a deactivated role back, and the account with it. Only the Secretariat.

    Audit: apopms.membership.reactivated.
    """
    if not actor.is_secretariat:
        raise PermissionDenied("Only the APO Secretariat may reactivate accounts.")
    with transaction.atomic():
        membership = Membership.objects.select_for_update().select_related("user").get(pk=membership.pk)
        if membership.active and membership.user.is_active:
            return membership
        membership.active = True
        membership.save(update_fields=["active"])
        if not membership.user.is_active:
            membership.user.is_active = True
            membership.user.save(update_fields=["is_active"])
        audit.record(
            "apopms.membership.reactivated",
            actor=actor,
            target=membership,
            project=membership.project,
            email=membership.user.email,
            role=membership.role,
        )
    return membership


# --- Projects ----------------------------------------------------------------------------

# The fields of the notification a Secretariat admin edits in the portal.
PROJECT_FIELDS = (
    "code",
    "title",
    "modality",
    "host_country",
    "implementing_organizations",
    "start_date",
    "end_date",
    "time_zone",
    "venue",
    "overseas_quota",
    "local_quota",
    "per_country_cap",
    "min_attendance_share",
    "qualifications",
    "nomination_procedure",
    "objectives",
    "background",
    "scope_and_methodology",
    "topics_by_day",
    "certificate_rule",
    "financial_arrangements",
    "implementation_procedures",
    "signatory_name",
    "signatory_title",
)
# Copied into a new edition by clone_project (dates are shifted, the code is new).
CLONED_FIELDS = tuple(f for f in PROJECT_FIELDS if f not in {"code", "start_date", "end_date"})


def _require_secretariat(actor):
    if actor is None or not actor.is_secretariat:
        raise PermissionDenied("Only the APO Secretariat may do this.")


def seats_taken(project):
    """Seats taken per category ({"overseas": n, "local": n}) and the most any one country holds
    against the per-country cap (its selected overseas participants, as selection counts them).

    Counted by the nominations' own queryset (`holding_seats`, `cap_seats_by_country`) through
    the reverse relation `project.nominations`, so the core imports nothing above it and the
    project edit and selection cannot count differently.
    """
    if project.pk is None:
        return {}, 0
    by_category = project.nominations.seats_by_category()
    by_country = project.nominations.cap_seats_by_country()
    return by_category, max(by_country.values(), default=0)


def _fmt_date(value):
    from django.utils.dateformat import format as date_format

    return date_format(value, "j F Y")


def closing_date_problem(closing_date, *, project, previous_closing_date=None, now=None):
    """What is wrong with `closing_date` for `project`, or None: the one rule of the closing date,
    used by the project form (create and edit) and by "Extend the deadline".

    - It is before the project's start date.
    - A closing date that changes (from `previous_closing_date`) may not have passed: its deadline,
      the end of the day in the project's zone, lies after `now`. Moving it into the past would
      close nominations at once. A project recorded after the fact, or edited while its past
      closing date stays as it is, passes (create gives no previous date).
    """
    from .models import Project

    if project.start_date and closing_date >= project.start_date:
        return (
            f"The closing date ({_fmt_date(closing_date)}) must be before the start date "
            f"({_fmt_date(project.start_date)})."
        )
    if previous_closing_date is not None and closing_date != previous_closing_date:
        now = now or timezone.now()
        if Project.deadline_for(closing_date, project.time_zone) <= now:
            today = timezone.localdate(now, project.zone)
            return (
                f"The closing date ({_fmt_date(closing_date)}) has passed in the project's time zone: "
                f"choose today ({_fmt_date(today)}) or a later day."
            )
    return None


def validate_project(project, countries, *, closing_date=None, previous_closing_date=None):
    """Check a project before it is saved; raise one DomainError naming every wrong field."""
    import zoneinfo

    from .enums import Category
    from .models import MemberCountry, Project

    errors = {}
    if not (project.code or "").strip():
        errors["code"] = "Enter the APO project code."
    elif Project.objects.filter(code=project.code).exclude(pk=project.pk).exists():
        errors["code"] = f"Another project already has the code {project.code}."
    if not (project.title or "").strip():
        errors["title"] = "Enter the title."
    if project.start_date and project.end_date and project.end_date < project.start_date:
        errors["end_date"] = (
            f"The end date ({_fmt_date(project.end_date)}) is before the start date ({_fmt_date(project.start_date)})."
        )
    zone_ok = True
    try:
        zoneinfo.ZoneInfo(project.time_zone)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError, TypeError):
        errors["time_zone"] = f"“{project.time_zone}” is not a known time zone."
        zone_ok = False
    closing = closing_date or (project.closing_date if zone_ok and project.nomination_deadline else None)
    if closing is None:
        if zone_ok:
            errors["closing_date"] = "Enter the closing date for nominations."
    else:
        # Without a known zone, the end of the closing day is unknown: only its order is checked.
        previous = previous_closing_date if zone_ok else None
        problem = closing_date_problem(closing, project=project, previous_closing_date=previous)
        if problem:
            errors["closing_date"] = problem
    if not countries:
        errors["participating_countries"] = "Choose at least one participating country."
    elif project.host_country_id and project.host_country_id not in {c.pk for c in countries}:
        errors["participating_countries"] = f"The host, {project.host_country}, must be a participating country."
    if project.pk is not None:
        live = project.nominations.exclude(status="withdrawn")
        nominating = set(live.order_by().values_list("country", flat=True).distinct())
        dropped = nominating - {c.pk for c in countries}
        if dropped and "participating_countries" not in errors:
            names = ", ".join(sorted(MemberCountry.objects.filter(pk__in=dropped).values_list("name", flat=True)))
            errors["participating_countries"] = f"{names} already nominated people; keep them participating."
        old_host = Project.objects.filter(pk=project.pk).values_list("host_country", flat=True).first()
        if old_host is not None and old_host != project.host_country_id and nominating:
            errors["host_country"] = (
                "Nominations exist, and the host decides who is local: the host cannot change any more."
            )
    if project.per_country_cap is not None and project.per_country_cap < 1:
        errors["per_country_cap"] = "The per-country cap must be at least 1, or empty for no cap."
    share = project.min_attendance_share
    if share is not None and not (0 < float(share) <= 1):
        errors["min_attendance_share"] = "The minimum attendance share lies between 0 and 1 (e.g. 0.80)."
    taken, most_from_one = seats_taken(project)
    for category, field in ((Category.OVERSEAS, "overseas_quota"), (Category.LOCAL, "local_quota")):
        quota = getattr(project, field)
        if quota is not None and quota < taken.get(category, 0):
            errors[field] = (
                f"{taken[category]} {category.label.lower()} participant{'s are' if taken[category] != 1 else ' is'} "
                f"already selected; the quota cannot be lower."
            )
    if project.per_country_cap and most_from_one > project.per_country_cap:
        errors["per_country_cap"] = (
            f"{most_from_one} overseas participants of one country are already selected; the cap cannot be lower."
        )
    if errors:
        raise DomainError("Please correct: " + "; ".join(errors.values()), errors=errors)


def _notification_snapshot(project, countries):
    """What each clause of the notification says, for comparing two versions."""
    from .templatetags.apopms import date_range

    return {
        "Project code": project.code,
        "Title": project.title,
        "Timing": date_range(project),
        "Modality": project.get_modality_display() + (f", {project.venue}" if project.venue else ""),
        "Hosting country": str(project.host_country),
        "Implementing organizations": "; ".join(project.implementing_organization_list),
        "Participating countries": sorted(c.name for c in countries),
        "Overseas participants": str(project.overseas_quota),
        "Local participants": str(project.local_quota),
        "Per-country cap": str(project.per_country_cap) if project.per_country_cap else "none",
        "Closing date": _fmt_date(project.closing_date),
        "Time zone": project.time_zone,
        "Qualifications of participants": project.qualifications,
        "Nomination of participants": project.nomination_procedure,
        "Objectives": project.objectives,
        "Background": project.background,
        "Scope and methodology": project.scope_and_methodology,
        "Indicative topics": project.topics_by_day,
        "Certificate of attendance": project.certificate_rule,
        "Financial arrangements": project.financial_arrangements,
        "Implementation procedures": project.implementation_procedures,
        "Signatory": f"{project.signatory_name}, {project.signatory_title}",
    }


# Clauses whose old and new text are too long for one sentence.
LONG_CLAUSES = {
    "Qualifications of participants",
    "Nomination of participants",
    "Objectives",
    "Background",
    "Scope and methodology",
    "Indicative topics",
    "Certificate of attendance",
    "Financial arrangements",
    "Implementation procedures",
}


def describe_changes(before, after):
    """[{clause, text, old, new}] for each clause that differs: 'Timing changed from … to …'."""
    changes = []
    for clause, old in before.items():
        new = after[clause]
        if old == new:
            continue
        if clause == "Participating countries":
            added, removed = sorted(set(new) - set(old)), sorted(set(old) - set(new))
            parts = []
            if added:
                parts.append("added " + ", ".join(added))
            if removed:
                parts.append("removed " + ", ".join(removed))
            text = "Participating countries changed: " + "; ".join(parts) + "."
        elif clause in LONG_CLAUSES:
            text = f"{clause} revised."
        else:
            text = f"{clause} changed from {old} to {new}."
        changes.append({"clause": clause, "text": text, "old": old, "new": new})
    return changes


def _add_revision(*, actor, project, changes, note=""):
    from django.db.models import Max

    from .models import ProjectRevision

    number = (project.revisions.aggregate(n=Max("number"))["n"] or 0) + 1
    revision = ProjectRevision.objects.create(
        project=project, number=number, created_by=actor, changes=changes, note=note
    )
    audit.record(
        "apopms.project.revised",
        actor=actor,
        target=project,
        revision=number,
        clauses=[c["clause"] for c in changes],
    )
    return revision


def _deadline_or_none(closing_date, time_zone):
    """The deadline of a closing date, or None when the date or the zone is missing or wrong
    (validate_project then names the field)."""
    import zoneinfo

    from .models import Project

    if closing_date is None:
        return None
    try:
        return Project.deadline_for(closing_date, time_zone)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError, TypeError):
        return None


def create_project(*, actor, participating_countries, closing_date, **fields):
    """Create a draft project (notification not yet issued). Returns it.

    `fields` are any of PROJECT_FIELDS; the deadline is the end of `closing_date` in the
    project's time zone. Validation names every wrong field (DomainError.errors).
    Audit: apopms.project.created.
    """
    from .models import Project

    _require_secretariat(actor)
    unknown = set(fields) - set(PROJECT_FIELDS)
    if unknown:
        raise TypeError(f"Unknown project fields: {sorted(unknown)}")
    countries = list(participating_countries)
    with transaction.atomic():
        project = Project(**fields)
        project.nomination_deadline = _deadline_or_none(closing_date, project.time_zone)
        validate_project(project, countries, closing_date=closing_date)
        project.save()
        project.participating_countries.set(countries)
        audit.record("apopms.project.created", actor=actor, target=project, code=project.code)
    return project


def update_project(*, actor, project, participating_countries=None, closing_date=None, note="", **fields):
    """Edit a project. When its notification was already issued and a clause changed, a
    ProjectRevision records which clauses changed and how, and the NPO officers of the
    participating countries are e-mailed the revision. Returns the project; its
    `attendance_share_change` is the ShareChange when the minimum attendance share changed
    (presence re-derived as by `set_min_attendance_share`), else None.

    Locks the project row, so quotas cannot drop below seats a concurrent selection takes.
    Audit: apopms.project.updated (and apopms.project.revised, apopms.project.attendance_share_set).
    """
    from .models import Project

    _require_secretariat(actor)
    unknown = set(fields) - set(PROJECT_FIELDS)
    if unknown:
        raise TypeError(f"Unknown project fields: {sorted(unknown)}")
    with transaction.atomic():
        project = Project.objects.select_for_update().get(pk=project.pk)
        project.attendance_share_change = None
        old_countries = list(project.participating_countries.all())
        countries = list(participating_countries) if participating_countries is not None else old_countries
        before = _notification_snapshot(project, old_countries)
        before_zone = project.zone
        before_raw = {name: getattr(project, name) for name in (*PROJECT_FIELDS, "nomination_deadline")}
        before_closing = project.closing_date
        for name, value in fields.items():
            setattr(project, name, value)
        # Without a new closing date, the closing date stays the same day (also in a new zone).
        if closing_date is None:
            closing_date = (
                project.nomination_deadline.astimezone(before_zone) - datetime.timedelta(microseconds=1)
            ).date()
        project.nomination_deadline = _deadline_or_none(closing_date, project.time_zone) or project.nomination_deadline
        validate_project(project, countries, closing_date=closing_date, previous_closing_date=before_closing)
        after = _notification_snapshot(project, countries)
        changes = describe_changes(before, after)
        changed_fields = [n for n, v in before_raw.items() if getattr(project, n) != v]
        if not changes and not changed_fields:
            return project
        project.save()
        if participating_countries is not None:
            project.participating_countries.set(countries)
        audit.record("apopms.project.updated", actor=actor, target=project, fields=changed_fields)
        if "min_attendance_share" in changed_fields:
            project.attendance_share_change = _share_changed(
                actor=actor, project=project, previous=before_raw["min_attendance_share"]
            )
        if project.notification_issued_at and changes:
            revision = _add_revision(actor=actor, project=project, changes=changes, note=note)
            from .tasks import notify_notification_issued

            enqueue_on_commit(notify_notification_issued, project_pk=project.pk, revision_number=revision.number)
    return project


@dataclasses.dataclass(frozen=True)
class ShareChange:
    """The outcome of changing a project's minimum attendance share."""

    previous: Decimal
    share: Decimal
    participants_changed: int = 0
    records_changed: int = 0

    @property
    def summary(self):
        """'Minimum attendance set to 60% of each session: presence changed for 2 participants (3 session records).'"""
        head = f"Minimum attendance set to {int(self.share * 100)}% of each session"
        n = self.participants_changed
        if not n:
            return f"{head}: no participant's presence changed."
        records = f" ({self.records_changed} session records)" if self.records_changed != n else ""
        return f"{head}: presence changed for {n} participant{'s' if n != 1 else ''}{records}."


def _share_changed(*, actor, project, previous):
    """Presence follows the new share of `project` (locked, saved): the signal
    `min_attendance_share_changed` lets the sessions app re-derive it. Audit."""
    from .models import Project
    from .signals import min_attendance_share_changed

    participants, records = set(), 0
    responses = min_attendance_share_changed.send(
        sender=Project, project=project, previous=previous, share=project.min_attendance_share, actor=actor
    )
    for _receiver, outcome in responses:
        if outcome:
            participants |= set(outcome["participants"])
            records += outcome["records"]
    change = ShareChange(
        previous=previous,
        share=project.min_attendance_share,
        participants_changed=len(participants),
        records_changed=records,
    )
    audit.record(
        "apopms.project.attendance_share_set",
        actor=actor,
        target=project,
        previous=str(previous),
        share=str(project.min_attendance_share),
        participants_changed=change.participants_changed,
        records_changed=records,
    )
    return change


def set_min_attendance_share(*, actor, project, share):
    """Set the minimum share of a session a participant must attend (0 < share <= 1, two
    decimals), and re-derive presence from it. The one way the share changes: the attendance
    page calls it, and `update_project` does the same when the edit page changes the share.
    Returns a ShareChange (how many participants' presence changed).

    Side effects: the signal `min_attendance_share_changed` (the sessions app re-derives
    present/absent of imported records). Audit: apopms.project.attendance_share_set.
    """
    from .models import Project

    _require_secretariat(actor)
    try:
        share = Decimal(str(share)).quantize(Decimal("0.01"))
    except (InvalidOperation, ValueError):
        raise DomainError(
            "Give the minimum attendance share as a number such as 0.80.", field="min_attendance_share"
        ) from None
    if not (Decimal("0") < share <= Decimal("1")):
        raise DomainError(
            "The minimum attendance share lies between 0 and 1 (e.g. 0.80).", field="min_attendance_share"
        )
    with transaction.atomic():
        locked = Project.objects.select_for_update().get(pk=project.pk)
        previous = locked.min_attendance_share
        if previous == share:
            return ShareChange(previous=previous, share=share)
        locked.min_attendance_share = share
        locked.save(update_fields=["min_attendance_share", "updated_at"])
        change = _share_changed(actor=actor, project=locked, previous=previous)
    project.min_attendance_share = share
    return change


def clone_project(*, actor, source, code, start_date, title=None, closing_date=None):
    """A new edition of `source` with new dates: texts, quotas, cap, countries and time zone are
    copied; dates move by the same number of days; the clone is a draft. Returns the clone.

    Sends `apopms.signals.project_cloned(source, clone, day_offset, actor)` inside the
    transaction, so the sessions app copies the programme skeleton with it.
    Audit: apopms.project.cloned.
    """
    from .models import Project
    from .signals import project_cloned

    _require_secretariat(actor)
    with transaction.atomic():
        source = Project.objects.get(pk=source.pk)
        offset = (start_date - source.start_date).days
        fields = {name: getattr(source, name) for name in CLONED_FIELDS}
        fields["topics_by_day"] = [list(day) for day in (source.topics_by_day or [])]
        fields.update(
            code=code,
            title=title or source.title,
            start_date=start_date,
            end_date=source.end_date + datetime.timedelta(days=offset),
        )
        clone = create_project(
            actor=actor,
            participating_countries=source.participating_countries.all(),
            closing_date=closing_date or source.closing_date + datetime.timedelta(days=offset),
            **fields,
        )
        clone.edition_of = source
        clone.save(update_fields=["edition_of"])
        audit.record("apopms.project.cloned", actor=actor, target=clone, source=source.code, day_offset=offset)
        project_cloned.send(sender=Project, source=source, clone=clone, day_offset=offset, actor=actor)
    return clone


def issue_notification(*, actor, project):
    """Publish the project notification: the public page appears, NPOs may nominate (if open),
    and the NPO officers of the participating countries are e-mailed. Repeated calls return.

    Audit: apopms.project.notification_issued.
    """
    from .models import Project

    _require_secretariat(actor)
    with transaction.atomic():
        project = Project.objects.select_for_update().get(pk=project.pk)
        if project.notification_issued_at:
            return project
        validate_project(project, list(project.participating_countries.all()))
        project.notification_issued_at = timezone.now()
        project.save(update_fields=["notification_issued_at", "updated_at"])
        audit.record("apopms.project.notification_issued", actor=actor, target=project)
        from .tasks import notify_notification_issued

        enqueue_on_commit(notify_notification_issued, project_pk=project.pk)
    return project


def set_nominations_open(*, actor, project, is_open):
    """Open or close nominations by hand (the deadline closes them anyway).

    Audit: apopms.project.nominations_opened / apopms.project.nominations_closed.
    """
    from .models import Project

    _require_secretariat(actor)
    with transaction.atomic():
        project = Project.objects.select_for_update().get(pk=project.pk)
        if project.nominations_open == bool(is_open):
            return project
        project.nominations_open = bool(is_open)
        project.save(update_fields=["nominations_open", "updated_at"])
        audit.record(
            "apopms.project.nominations_opened" if is_open else "apopms.project.nominations_closed",
            actor=actor,
            target=project,
        )
    return project


def extend_deadline(*, actor, project, closing_date, reason=""):
    """Move the closing date later. The deadline becomes the end of `closing_date` in the
    project's zone; it must be later than the current one and obey `closing_date_problem`
    (before the start, not passed), the rule the project edit applies too.
    An issued notification gets a revision ("Closing date changed from … to …"), and the NPO
    officers of the participating countries are e-mailed (task notify_deadline_extended).

    Audit: apopms.project.deadline_extended (old and new deadline, reason).
    """
    from .models import Project

    _require_secretariat(actor)
    with transaction.atomic():
        project = Project.objects.select_for_update().get(pk=project.pk)
        old_deadline, old_closing = project.nomination_deadline, project.closing_date
        new_deadline = Project.deadline_for(closing_date, project.time_zone)
        problem = closing_date_problem(closing_date, project=project, previous_closing_date=old_closing)
        if problem is None and new_deadline <= old_deadline:
            problem = f"The new closing date must be after the current one ({_fmt_date(old_closing)})."
        if problem:
            raise DomainError(problem, field="closing_date")
        project.nomination_deadline = new_deadline
        project.save(update_fields=["nomination_deadline", "updated_at"])
        audit.record(
            "apopms.project.deadline_extended",
            actor=actor,
            target=project,
            old_deadline=old_deadline,
            new_deadline=new_deadline,
            reason=reason,
        )
        if project.notification_issued_at:
            _add_revision(
                actor=actor,
                project=project,
                note=reason,
                changes=[
                    {
                        "clause": "Closing date",
                        "text": f"Closing date changed from {_fmt_date(old_closing)} to {_fmt_date(closing_date)}.",
                        "old": _fmt_date(old_closing),
                        "new": _fmt_date(closing_date),
                    }
                ],
            )
        from .tasks import notify_deadline_extended

        enqueue_on_commit(
            notify_deadline_extended,
            project_pk=project.pk,
            old_deadline=old_deadline.isoformat(),
            new_deadline=new_deadline.isoformat(),
        )
    return project
