"""A project's evaluation: its questionnaire (ordered questions) and each participant's answers.

Answers are stored per participant (one `Evaluation` per participant and project) and reported in
aggregate (`evaluations.selectors`); a submitted evaluation is never changed (`evaluations.services`)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from apopms.models import Project
from nominations.models import Participant
from sessions.models import Session

from .enums import QuestionKind


class Questionnaire(models.Model):
    """The questions a project's participants are asked, one per project."""

    project = models.OneToOneField(Project, on_delete=models.CASCADE, related_name="questionnaire")
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    updated_at = models.DateTimeField(default=timezone.now)

    def __str__(self):
        return f"Evaluation questionnaire of project {self.project_id}"


class Question(models.Model):
    questionnaire = models.ForeignKey(Questionnaire, on_delete=models.CASCADE, related_name="questions")
    position = models.PositiveSmallIntegerField()
    kind = models.CharField(max_length=10, choices=QuestionKind.choices)
    text = models.CharField(max_length=300)
    # A question about one session ("How useful was Day 2?"); None for the whole project.
    session = models.ForeignKey(Session, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    # Ratings: five labels, from 1 (first) to 5 (last). Choices: the options, in order.
    scale_labels = models.JSONField(default=list, blank=True)
    choices = models.JSONField(default=list, blank=True)
    required = models.BooleanField(default=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["questionnaire", "position"], name="evaluation_question_position"),
        ]

    def __str__(self):
        return f"Q{self.position}: {self.text}"

    @property
    def options(self):
        """The labels answers are counted against: the scale for a rating, the choices for a choice."""
        if self.kind == QuestionKind.RATING:
            return list(self.scale_labels)
        if self.kind == QuestionKind.CHOICE:
            return list(self.choices)
        return []


class EvaluationQuerySet(models.QuerySet):
    def submitted(self):
        return self.filter(submitted_at__isnull=False)

    def for_project(self, project):
        return self.filter(project=project)


class Evaluation(models.Model):
    """One participant's answers: saved as a draft, then submitted once and never changed."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="evaluations")
    participant = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="evaluations")
    started_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    submitted_at = models.DateTimeField(null=True, blank=True)

    objects = EvaluationQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["project", "participant"], name="evaluation_one_per_participant"),
        ]

    def __str__(self):
        return f"Evaluation by {self.participant.certificate_name} ({self.project_id})"

    @property
    def is_submitted(self):
        return self.submitted_at is not None


class Answer(models.Model):
    evaluation = models.ForeignKey(Evaluation, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="answers")
    rating = models.PositiveSmallIntegerField(null=True, blank=True)
    choice = models.CharField(max_length=200, blank=True)
    text = models.TextField(blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["evaluation", "question"], name="evaluation_answer_once"),
            models.CheckConstraint(
                condition=Q(rating__isnull=True) | Q(rating__gte=1, rating__lte=5), name="evaluation_rating_1_to_5"
            ),
        ]

    def __str__(self):
        return f"Answer to question {self.question_id} in evaluation {self.evaluation_id}"
