"""Writes of the core: invitations and people, projects and their notification.

Every service is keyword-only, takes the acting user (checked with apopms.permissions; a
missing right raises PermissionDenied, a broken business rule DomainError), runs in one
transaction, records an audit entry, and queues its e-mails after commit.

`from apopms import services; services.x(...)` reaches every service; the modules split them:
invitations, people (memberships), projects, validation (the rules a project obeys),
revisions (of an issued notification), attendance_share, outbox (resending a message).
"""

from .attendance_share import ShareChange, set_min_attendance_share
from .invitations import (
    PURPOSE_ROLE,
    RENEW_INTERVAL,
    accept_invitation,
    find_invitation,
    hash_token,
    invitation_token,
    invite_user,
    may_resend,
    renew_invitation,
    resend_invitation,
)
from .outbox import (
    MERGE_FIELDS,
    audience_recipients,
    preview_audience_message,
    resend_message,
    write_to_audience,
)
from .people import deactivate_membership, grant_membership, reactivate_membership
from .projects import (
    CLONED_FIELDS,
    PROJECT_FIELDS,
    clone_project,
    create_project,
    extend_deadline,
    issue_notification,
    set_nominations_open,
    update_project,
)
from .retention import set_retention
from .revisions import LONG_CLAUSES, describe_changes
from .validation import closing_date_problem, seats_taken, validate_project

__all__ = [
    "CLONED_FIELDS",
    "LONG_CLAUSES",
    "MERGE_FIELDS",
    "PROJECT_FIELDS",
    "PURPOSE_ROLE",
    "RENEW_INTERVAL",
    "ShareChange",
    "accept_invitation",
    "audience_recipients",
    "clone_project",
    "closing_date_problem",
    "create_project",
    "deactivate_membership",
    "describe_changes",
    "extend_deadline",
    "find_invitation",
    "grant_membership",
    "hash_token",
    "invitation_token",
    "invite_user",
    "issue_notification",
    "may_resend",
    "preview_audience_message",
    "reactivate_membership",
    "renew_invitation",
    "resend_invitation",
    "resend_message",
    "seats_taken",
    "set_min_attendance_share",
    "set_nominations_open",
    "set_retention",
    "update_project",
    "validate_project",
    "write_to_audience",
]
