"""The report as a PDF: `Figures` and the dashboard's charts (apopms.charts, inline SVG) through the
shared pipeline (apopms.pdf, the same WeasyPrint renderer and fonts as the certificates)."""

from apopms import charts
from apopms import pdf as pipeline

TEMPLATE = "reports/report_pdf.html"
STYLESHEET = "reports/report.css"


def report_charts(figures):
    """{name: Chart} of the report."""
    drawn = {
        "nominations": charts.stacked_bar_chart(
            [(country, counts) for country, counts, _ in figures.nominations],
            [label for _, label in figures.categories],
            title="Submitted nominations per country and category",
        ),
        "countries": charts.bar_chart(
            figures.participants_by_country, title="Participants by country", value_label="Participants"
        ),
        "gender": charts.donut_chart(figures.participants_by_gender, title="Participants by gender"),
        "organization_types": charts.bar_chart(
            figures.participants_by_organization_type,
            title="Participants by organization type",
            value_label="Participants",
        ),
        "attendance": charts.stacked_bar_chart(
            [(s.title, [s.present, s.absent, s.not_recorded]) for s in figures.sessions],
            ["Present", "Absent", "Not recorded"],
            title="Attendance per session",
        ),
    }
    return drawn


def question_charts(figures):
    """[(QuestionResult, Chart or None)] of the evaluation: a chart of each distribution."""
    if figures.evaluation is None:
        return []
    out = []
    for number, result in enumerate(figures.evaluation.questions, start=1):
        chart = None
        if result.distribution:
            chart = charts.bar_chart(result.distribution, title=f"Q{number}: answers", value_label="Answers")
        out.append((number, result, chart))
    return out


def report_context(figures):
    return {
        "f": figures,
        "p": figures.project,
        "charts": report_charts(figures),
        "questions": question_charts(figures),
    }


def render_report_pdf(figures):
    """The PDF bytes of the report."""
    return pipeline.render_pdf(TEMPLATE, report_context(figures), stylesheets=(STYLESHEET,))
