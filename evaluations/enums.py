from django.db import models


class QuestionKind(models.TextChoices):
    RATING = "rating", "Rating (1 to 5)"
    CHOICE = "choice", "One choice among options"
    TEXT = "text", "Free text"


# The scale a rating question gets unless the Secretariat words its own: 1 = worst, 5 = best.
DEFAULT_SCALE = ["Very poor", "Poor", "Fair", "Good", "Excellent"]
AGREEMENT_SCALE = ["Strongly disagree", "Disagree", "Neutral", "Agree", "Strongly agree"]
USEFULNESS_SCALE = ["Not useful", "Slightly useful", "Moderately useful", "Very useful", "Extremely useful"]
SATISFACTION_SCALE = ["Very dissatisfied", "Dissatisfied", "Neutral", "Satisfied", "Very satisfied"]
ACHIEVEMENT_SCALE = ["Not achieved", "Slightly", "Partly", "Mostly", "Fully achieved"]
