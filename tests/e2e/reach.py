"""Which URL patterns each role may use, and which ones a browser journey reached by clicking.

Every named pattern of the urlconf is either excluded (with the reason) or listed for at least
one role; `tests/e2e/test_workspace.py` records the pages each role's journey lands on and
compares them with that role's list.
"""

from urllib.parse import urlsplit

from django.urls import Resolver404, URLResolver, get_resolver, resolve

# Patterns no role reaches from its landing page by clicking, and why.
EXCLUDED = {
    "logout": "ends the session; every journey would stop there",
    "login": "the way in, before any landing page",
    "password_reset": "for people who cannot log in (the visitor journey)",
    "password_reset_done": "for people who cannot log in (the visitor journey)",
    "password_reset_confirm": "opened from the reset e-mail, not from a page",
    "password_reset_complete": "opened from the reset e-mail, not from a page",
    "invitation_accept": "opened from the invitation e-mail, not from a page",
    "nominations:import_progress": "htmx polling fragment of the import page, no page of its own",
    "nominations:selection_counters": "htmx fragment refreshing the selection board's counters",
    "agenda:attendance_import_progress": "htmx polling fragment of the import preview",
    "certificates:progress": "htmx polling fragment of the certificates page",
    "reports:progress": "htmx polling fragment of the report page",
    "agenda:item_move": "POST-only reordering buttons; the manage page is re-rendered, no page of its own",
    "nominations:rank": "POST-only drag-and-drop ranking sent by script, no button of its own",
    "status": "the minimal view the load benchmark compares pages with, not a page of the portal",
    "favicon": "the browser asks for it where a page names no icon (a PDF in a tab); pages name the icon itself",
}


def _walk(resolver, namespace=""):
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            inner = ":".join(part for part in (namespace, pattern.namespace) if part)
            yield from _walk(pattern, inner)
        elif pattern.name:
            yield f"{namespace}:{pattern.name}" if namespace else pattern.name


def url_names():
    """Every named pattern of the portal (the admin site left out: it is not the portal)."""
    return {name for name in _walk(get_resolver()) if not name.startswith("admin:")}


_PROGRAMME_EDITOR = {
    "agenda:manage",
    "agenda:publish",
    "agenda:session_create",
    "agenda:session_edit",
    "agenda:session_delete",
    "agenda:item_create",
    "agenda:item_edit",
    "agenda:item_delete",
    "agenda:speaker_create",
    "agenda:speaker_edit",
    "agenda:speaker_delete",
}
_ATTENDANCE_KEEPER = {
    "agenda:attendance_index",
    "agenda:attendance_grid",
    "agenda:attendance_mark",
    "agenda:attendance_bulk",
    "agenda:attendance_export",
    "agenda:attendance_import_upload",
    "agenda:attendance_import_preview",
    "agenda:attendance_import_zone",
    "agenda:attendance_import_map",
    "agenda:attendance_import_confirm",
    "agenda:attendance_import_discard",
}
_EVERYONE = {
    "home",
    "workspace:landing",
    "password_change",
    "password_change_done",
    "project_detail",
    "agenda:programme",
    "agenda:programme_ics",
    "agenda:programme_pdf",
    "agenda:set_zone",
    "certificates:verify_lookup",
    "certificates:verify",
    "personal_data",
}

MAY_USE = {
    "secretariat": _EVERYONE
    | _PROGRAMME_EDITOR
    | _ATTENDANCE_KEEPER
    | {
        "agenda:attendance_share",
        "invitation_resend",
        "project_list",
        "project_create",
        "project_from_notification",
        "project_manage",
        "project_edit",
        "project_clone",
        "project_issue",
        "project_nominations",
        "project_deadline",
        "project_team",
        "people",
        "membership_deactivate",
        "membership_reactivate",
        "audit_log",
        "audit_log_csv",
        "workspace:hub",
        "workspace:retention",
        "workspace:person_data",
        "workspace:person_data_pdf",
        "workspace:person_data_pdf_file",
        "workspace:person_erase",
        "nominations:index",
        "nominations:project",
        "nominations:import",
        "nominations:import_preview",
        "nominations:export",
        "nominations:detail",
        "nominations:cv",
        "nominations:selection_index",
        "nominations:selection_board",
        "nominations:selection_propose",
        "nominations:selection_publish",
        "nominations:selection_decide",
        "nominations:selection_reserve_move",
        "nominations:selection_promote",
        "nominations:participant_list",
        "nominations:participant_export",
        "nominations:participant_withdraw",
        "nominations:seat_date",
        "nominations:seat_remind",
        "nominations:replacement_open",
        "nominations:replacement_decide",
        "certificates:index",
        "certificates:project",
        "certificates:start",
        "certificates:retry",
        "certificates:zip",
        "certificates:issue_one",
        "certificates:correct_name",
        "certificates:revoke",
        "certificates:download",
        "reports:project",
        "reports:generate",
        "reports:download",
        "outbox",
        "project_outbox",
        "outbox_write",
        "outbox_audience_csv",
        "outbox_message",
        "outbox_message_html",
        "outbox_resend",
        "evaluations:manage",
        "evaluations:setup",
        "evaluations:question_create",
        "evaluations:question_edit",
        "evaluations:question_delete",
        "evaluations:question_move",
        "evaluations:results",
        "evaluations:by_person",
        "evaluations:remind",
    },
    "implementer": _EVERYONE
    | _PROGRAMME_EDITOR
    | _ATTENDANCE_KEEPER
    | {
        "project_list",
        "workspace:hub",
        "nominations:index",
        "nominations:project",
        "nominations:detail",
    },
    "npo_officer": _EVERYONE
    | {
        "project_list",
        "nominations:index",
        "nominations:project",
        "nominations:create",
        "nominations:detail",
        "nominations:edit",
        "nominations:submit",
        "nominations:withdraw",
        "nominations:move",
        "nominations:cv",
        "nominations:candidate_invite",
        "nominations:ask_change",
        "nominations:participant_list",
        "agenda:attendance_index",
        "agenda:attendance_country",
        "agenda:attendance_country_export",
        "people",
    },
    "participant": _EVERYONE
    | {
        "nominations:participant_list",
        "nominations:seat",
        "nominations:seat_decline",
        "agenda:my_workshop",
        "agenda:attendance_mine",
        "certificates:download",
        "workspace:my_data",
        "workspace:person_data_pdf",
        "workspace:person_data_pdf_file",
        "evaluations:answer",
    },
    # A candidate filling in their own nomination holds no role: besides what an anonymous visitor
    # uses, their nomination's pages (the journey: tests/e2e/test_candidate.py).
    "candidate": {
        "workspace:landing",
        "nominations:candidate_home",
        "nominations:candidate",
        "nominations:candidate_cv",
    },
}


def url_name(url):
    """The pattern name of an address of the portal, or None (another host, or no pattern)."""
    try:
        match = resolve(urlsplit(url).path)
    except Resolver404:
        return None
    return match.view_name


class Reached:
    """Records the pattern of every page, form answer, htmx answer and download a page receives.

    Only answers below 400 count: an error page is not a page the role may use.
    """

    def __init__(self, page):
        self.names = set()
        page.on("response", self._response)
        page.on("download", lambda download: self._add(download.url))

    def _response(self, response):
        if response.request.resource_type in {"document", "xhr", "fetch"} and response.status < 400:
            self._add(response.url)

    def _add(self, url):
        name = url_name(url)
        if name:
            self.names.add(name)

    def missing(self, role, *, not_yet=()):
        return sorted(MAY_USE[role] - self.names - set(not_yet))
