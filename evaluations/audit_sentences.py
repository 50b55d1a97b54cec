"""The evaluations' audit entries as sentences (apopms.auditlog); registered by EvaluationsConfig.ready."""

from apopms.auditlog import register

register(
    {
        "evaluations.questionnaire.created": (
            "Evaluation questionnaire set up",
            "{actor} set up the evaluation questionnaire of {project} ({source})",
        ),
        "evaluations.questionnaire.changed": (
            "Evaluation questionnaire changed",
            "{actor} changed the evaluation questionnaire of {project}: {change}",
        ),
        "evaluations.evaluation.saved": ("Evaluation saved", "{actor} saved their evaluation of {project}"),
        "evaluations.evaluation.submitted": ("Evaluation submitted", "{actor} submitted their evaluation of {project}"),
        "evaluations.reminder.sent": (
            "Evaluation reminders sent",
            "{actor} reminded {count} participant(s) of {project} to submit their evaluation",
        ),
        "evaluations.answers.viewed": (
            "Evaluation answers opened by person",
            "{actor} opened each participant's evaluation answers of {project}, with their names",
        ),
    }
)
