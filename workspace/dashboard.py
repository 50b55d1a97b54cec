"""The dashboard's charts, drawn by apopms.charts from a workspace.selectors.Dashboard."""

from dataclasses import dataclass

from apopms import charts
from apopms.enums import OutboxStatus
from evaluations import selectors as evaluation_selectors
from evaluations.charts import summary_chart
from evaluations.enums import QuestionKind
from evaluations.models import Evaluation
from nominations.enums import Decision, ParticipantStatus


def dashboard_charts(board):
    """[Chart] in the dashboard's order."""
    project = board.project
    quota_rows = []
    for category in project.categories:
        quota = project.quota_for(category)
        selected = board.seats.get((category, Decision.SELECTED), 0)
        reserve = board.seats.get((category, Decision.RESERVE), 0)
        quota_rows.append((f"{category.label} (quota {quota})", [selected, reserve, max(quota - selected, 0)]))
    cap = project.per_country_cap
    certificates = board.certificates
    return [
        charts.bar_chart(
            [(name, submitted, country_cap) for name, submitted, _, country_cap in board.countries],
            title="Nominations per country" + (f" against the cap of {cap}" if cap else ""),
            value_label="Submitted nominations",
            limit_label=f"Per-country cap ({cap})" if cap else None,
        ),
        charts.stacked_bar_chart(
            quota_rows,
            ["Selected", "Reserve", "Not yet filled"],
            title="Quota use (" + " / ".join(project.category_label(c) for c in project.categories) + ")",
        ),
        charts.donut_chart(board.gender, title="Gender balance of submitted nominations"),
        charts.bar_chart(board.organization_types, title="Organization types of submitted nominations"),
        charts.stacked_bar_chart(
            [(s.title, [s.present, s.absent, s.not_recorded]) for s in board.sessions],
            ["Present", "Absent", "Not yet recorded"],
            title="Attendance per session",
        ),
        charts.bar_chart(
            [
                ("Issued (valid)", certificates["issued"]),
                ("Failed in the last run", certificates["failed"]),
                ("To revoke", certificates["to_revoke"]),
                ("Revoked", certificates["revoked"]),
            ],
            title="Certificates",
            value_label="Certificates",
        ),
        charts.bar_chart(
            [(OutboxStatus(status).label, n) for status, n in board.emails.items()],
            title="E-mails",
            value_label="Messages",
        ),
    ]


@dataclass
class EvaluationSummary:
    """The evaluation on the hub: how many answered, and the average of each rating (Secretariat only)."""

    questions: int
    asked: int
    submitted: int
    overall: float | None  # the average of the first rating question
    chart: object  # apopms.charts.Chart or None


def evaluation_summary(board):
    """The evaluation of `board.project` in three queries (questions, submitted answers, submissions)."""
    project = board.project
    results = evaluation_selectors.results(project)
    submitted = (
        Evaluation.objects.submitted().filter(project=project, participant__status=ParticipantStatus.ACTIVE).count()
    )
    ratings = [r for r in results if r.question.kind == QuestionKind.RATING]
    return EvaluationSummary(
        questions=len(results),
        asked=board.active_participants,
        submitted=submitted,
        overall=ratings[0].average if ratings else None,
        chart=summary_chart(results),
    )
