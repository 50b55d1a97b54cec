"""The evaluation results drawn with apopms.charts: one distribution chart per rating or choice question."""

from apopms import charts

from .enums import QuestionKind


def question_chart(result, number=None):
    """The distribution of one `selectors.QuestionResult` as a bar chart (None for a free-text question)."""
    question = result.question
    if question.kind == QuestionKind.TEXT:
        return None
    prefix = f"Q{number}. " if number is not None else ""
    title = f"{prefix}{question.text}"
    if result.average is not None:
        title += f" (average {result.average:.1f} of 5)"
    rows = [
        (f"{i}. {label}" if question.kind == QuestionKind.RATING else label, n)
        for i, (label, n) in enumerate(result.distribution, start=1)
    ]
    return charts.bar_chart(rows, title=title, value_label="Answers")


def summary_chart(results):
    """The average of every rating question, for the project dashboard (None without any answer)."""
    rows = [
        (r.question.text, round(r.average, 1))
        for r in results
        if r.question.kind == QuestionKind.RATING and r.average is not None
    ]
    if not rows:
        return None
    return charts.bar_chart(rows, title="Evaluation: average rating per question (1 to 5)", value_label="Average")
