"""The core every app depends on: member countries, users and roles, projects, invitations, audit.

`from apopms.models import X` works for every model; the modules split them by subject.
"""

from .audit import AuditEntry, AuditEntryQuerySet
from .invitations import Invitation, InvitationQuerySet, hash_token
from .outbox import OutboxMessage, OutboxMessageQuerySet
from .people import MemberCountry, MemberCountryQuerySet, Membership, User, UserManager, validate_time_zone
from .projects import (
    Project,
    ProjectQuerySet,
    ProjectRevision,
    default_topics,
    end_date_problem,
    long_date,
)

__all__ = [
    "AuditEntry",
    "AuditEntryQuerySet",
    "Invitation",
    "InvitationQuerySet",
    "MemberCountry",
    "MemberCountryQuerySet",
    "Membership",
    "OutboxMessage",
    "OutboxMessageQuerySet",
    "Project",
    "ProjectQuerySet",
    "ProjectRevision",
    "User",
    "UserManager",
    "default_topics",
    "end_date_problem",
    "hash_token",
    "long_date",
    "validate_time_zone",
]
