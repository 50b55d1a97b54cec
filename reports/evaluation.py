"""The participants' evaluation as the report shows it, read through the evaluations app's selectors
(aggregates only: distributions, averages and free-text answers without names)."""

from dataclasses import dataclass, field

from evaluations import selectors


@dataclass
class EvaluationFigures:
    asked: int = 0
    submitted: int = 0
    questions: list = field(default_factory=list)  # [evaluations.selectors.QuestionResult], in order


def evaluation_figures(project):
    """The evaluation's results of `project`, or None when it has no questionnaire."""
    if selectors.questionnaire(project) is None:
        return None
    asked, submitted = selectors.response_counts(project)
    return EvaluationFigures(asked=asked, submitted=submitted, questions=selectors.results(project))
