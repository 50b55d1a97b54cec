"""The core's pages: public (home, project page), auth (login, invitations), projects (running a
round), people (NPO officers and implementers)."""

from .audit import audit_log, audit_log_csv
from .auth import (
    LoginView,
    PasswordResetView,
    accept_invitation,
    landing_url_after_acceptance,
    resend_invitation,
    safe_next,
)
from .notification import project_from_notification
from .outbox import (
    outbox,
    outbox_audience_csv,
    outbox_message,
    outbox_message_html,
    outbox_resend,
    outbox_write,
)
from .people import membership_deactivate, membership_reactivate, people, project_team
from .projects import (
    project_clone,
    project_create,
    project_deadline,
    project_edit,
    project_issue,
    project_list,
    project_manage,
    project_nominations,
)
from .public import favicon, home, personal_data, project_detail, status

__all__ = [
    "LoginView",
    "PasswordResetView",
    "accept_invitation",
    "audit_log",
    "audit_log_csv",
    "favicon",
    "home",
    "landing_url_after_acceptance",
    "membership_deactivate",
    "membership_reactivate",
    "outbox",
    "outbox_audience_csv",
    "outbox_message",
    "outbox_message_html",
    "outbox_resend",
    "outbox_write",
    "people",
    "personal_data",
    "project_clone",
    "project_create",
    "project_deadline",
    "project_detail",
    "project_edit",
    "project_from_notification",
    "project_issue",
    "project_list",
    "project_manage",
    "project_nominations",
    "project_team",
    "resend_invitation",
    "safe_next",
    "status",
]
