"""The life of a project as steps, for its hub: each with its state, key numbers, the next thing to
do and links to the step's pages, offered only to those who may open them."""

from dataclasses import dataclass, field

from django.urls import reverse
from django.utils import timezone
from django.utils.dateformat import format as date_format

from apopms.deadlines import deadline_sentence
from nominations.enums import Decision, NominationStatus

DONE, CURRENT, WAITING, NOT_YET = "done", "current", "waiting", "not_yet"
STATE_LABELS = {DONE: "Done", CURRENT: "In progress", WAITING: "To do", NOT_YET: "Not yet"}


@dataclass
class Step:
    key: str
    title: str
    state: str
    facts: list = field(default_factory=list)  # [(label, value)]
    next_action: str = ""
    links: list = field(default_factory=list)  # [(label, url)]

    @property
    def state_label(self):
        return STATE_LABELS[self.state]


def _date(value, zone=None):
    if zone is not None:
        value = value.astimezone(zone)
    return date_format(value, "j F Y")


def _links(pages, code, *entries):
    """[(label, url)] of `entries` (page key, label, url name) the person may open."""
    return [(label, reverse(name, kwargs={"code": code})) for key, label, name in entries if pages.get(key)]


def project_steps(board, pages, now=None, evaluation=None):
    """The steps of `board.project` (a workspace.selectors.Dashboard) for a person who may open `pages`;
    with `evaluation` (a workspace.dashboard.EvaluationSummary, for the Secretariat) its step too."""
    now = now or timezone.now()
    project = board.project
    code = project.code
    zone = project.zone
    steps = []

    # Notification and revisions.
    issued = project.notification_issued_at is not None
    steps.append(
        Step(
            "notification",
            "Notification and revisions",
            DONE if issued else WAITING,
            facts=[
                ("Issued", _date(project.notification_issued_at, zone) if issued else "not yet"),
                ("Revisions", board.revisions),
            ],
            next_action="" if issued else "Issue the notification so the NPOs can nominate.",
            links=_links(pages, code, ("manage", "Manage the notification", "project_manage"))
            + ([("Public page", project.get_absolute_url())] if issued else []),
        )
    )

    # Nominations.
    submitted = board.nominations.get(NominationStatus.SUBMITTED, 0)
    nominating = sum(1 for row in board.countries if row[1])
    facts = [
        ("Submitted", submitted),
        ("Drafts", board.nominations.get(NominationStatus.DRAFT, 0)),
        ("Withdrawn", board.nominations.get(NominationStatus.WITHDRAWN, 0)),
        ("Countries nominating", f"{nominating} of {len(board.countries)}"),
        ("Closing date", _date(project.closing_date)),
    ]
    if not issued:
        state, action = NOT_YET, "Nominations open once the notification is issued."
    elif project.accepts_nominations(now):
        state, action = CURRENT, f"{deadline_sentence(project, now)}."
    else:
        state, action = DONE, ""
    steps.append(
        Step(
            "nominations",
            "Nominations",
            state,
            facts,
            action,
            _links(pages, code, ("nominations", "Nominations", "nominations:project")),
        )
    )

    # Selection.
    published = project.selection_published_at is not None
    facts = []
    for category in project.categories:
        quota = project.quota_for(category)
        selected = board.seats.get((category, Decision.SELECTED), 0)
        facts.append((("Selected" if category == "all" else f"{category.label} selected"), f"{selected} of {quota}"))
    facts += [("Reserve", board.reserve), ("Not decided yet", board.undecided)]
    if published:
        state, action = DONE, ""
        facts.append(("Published", _date(project.selection_published_at, zone)))
        facts.append(("Seats confirmed", f"{board.seats_confirmed} of {board.active_participants}"))
        facts.append(("Not confirmed yet", board.active_participants - board.seats_confirmed))
    elif not issued or project.accepts_nominations(now):
        state, action = NOT_YET, "The selection starts when nominations close."
    else:
        state = CURRENT
        action = (
            f"Decide {board.undecided} nomination{'s' if board.undecided != 1 else ''}, then publish the selection."
            if board.undecided
            else "Publish the selection."
        )
    steps.append(
        Step(
            "selection",
            "Selection",
            state,
            facts,
            action,
            _links(
                pages,
                code,
                ("selection", "Selection board", "nominations:selection_board"),
                ("participants", "Participants", "nominations:participant_list"),
            ),
        )
    )

    # Programme.
    programme_published = project.programme_published_at is not None
    facts = [("Sessions", len(board.sessions)), ("Published versions", board.programme_versions)]
    if programme_published:
        state, action = DONE, ""
    elif not board.sessions:
        state, action = WAITING, "Add the sessions of the programme."
    else:
        state, action = CURRENT, "Publish the programme."
    if not programme_published and project.start_date:
        facts.append(("Workshop starts", _date(project.start_date)))
    steps.append(
        Step(
            "programme",
            "Programme",
            state,
            facts,
            action,
            _links(pages, code, ("programme", "Programme editor", "agenda:manage"))
            + (
                [("Programme page", reverse("agenda:programme", kwargs={"code": code}))]
                if programme_published or pages.get("programme")
                else []
            ),
        )
    )

    # Attendance.
    started = board.sessions_started(now)
    expected = len(started) * board.active_participants
    recorded = sum(s.present + s.absent for s in started)
    facts = [
        ("Sessions held", f"{len(started)} of {len(board.sessions)}"),
        ("Participants", board.active_participants),
        ("Recorded", f"{recorded} of {expected}"),
    ]
    if not started:
        state, action = NOT_YET, "Attendance is recorded once the first session has started."
    elif recorded < expected:
        missing = [s for s in started if s.not_recorded]
        state = CURRENT
        how = (
            "mark it in the grid"
            if project.is_in_person
            else "import the Zoom report or mark by hand"
            if project.is_digital
            else "import the video-conference report or mark by hand"
        )
        action = f"Record the attendance of {len(missing)} session{'s' if len(missing) != 1 else ''} ({how})."
    else:
        state, action = (DONE if board.programme_over(now) else CURRENT), ""
    steps.append(
        Step(
            "attendance",
            "Attendance",
            state,
            facts,
            action,
            _links(
                pages,
                code,
                ("attendance", "Attendance grid", "agenda:attendance_grid"),
                *(
                    [("attendance", "Import a Zoom report", "agenda:attendance_import_upload")]
                    if project.has_links
                    else []
                ),
            )
            if board.sessions
            else [],
        )
    )

    # Certificates.
    c = board.certificates
    waiting = max(c["eligible"] - (c["issued"] - c["to_revoke"]), 0)
    facts = [
        ("Eligible", c["eligible"]),
        ("Issued", c["issued"]),
        ("Waiting", waiting),
        ("To revoke", c["to_revoke"]),
        ("Failed", c["failed"]),
    ]
    if not board.programme_over(now):
        state, action = NOT_YET, "Certificates are issued once the last session has ended."
    elif waiting or c["to_revoke"] or c["failed"]:
        state = CURRENT
        parts = []
        if waiting:
            parts.append(f"issue {waiting} certificate{'s' if waiting != 1 else ''}")
        if c["to_revoke"]:
            parts.append(f"revoke {c['to_revoke']}")
        if c["failed"]:
            parts.append(f"retry {c['failed']} that failed")
        action = ", ".join(parts).capitalize() + "."
    else:
        state, action = DONE, ""
    steps.append(
        Step(
            "certificates",
            "Certificates",
            state,
            facts,
            action,
            _links(
                pages,
                code,
                ("certificates", "Certificates", "certificates:project"),
                ("report", "End-of-project report", "reports:project"),
            ),
        )
    )
    if evaluation is not None:
        steps.append(_evaluation_step(board, pages, evaluation, now))
    return steps


def _evaluation_step(board, pages, evaluation, now):
    code = board.project.code
    facts = [("Questions", evaluation.questions), ("Submitted", f"{evaluation.submitted} of {evaluation.asked}")]
    if evaluation.overall is not None:
        facts.append(("Overall rating", f"{evaluation.overall:.1f} of 5"))
    if not evaluation.questions:
        state, action = WAITING, "Prepare the participants' evaluation (the standard template is one click)."
    elif not board.programme_over(now):
        state, action = NOT_YET, "Participants answer once the last session has ended."
    elif evaluation.submitted < evaluation.asked:
        waiting = evaluation.asked - evaluation.submitted
        state, action = CURRENT, f"{waiting} participant{'s' if waiting != 1 else ''} to answer; remind them."
    else:
        state, action = DONE, ""
    links = _links(pages, code, ("evaluation", "Evaluation", "evaluations:manage"))
    if evaluation.questions and pages.get("evaluation"):
        links.append(("Results", reverse("evaluations:results", kwargs={"code": code})))
    return Step("evaluation", "Evaluation", state, facts, action, links)
