"""The Secretariat's forms for the questionnaire, and the participant's answer form (one field per question)."""

from django import forms

from sessions.models import Session

from .enums import DEFAULT_SCALE, QuestionKind

SOURCE_CHOICES = [
    ("template", "The standard APO template (objectives, sessions, resource persons, delivery, what you will apply)"),
    ("previous", "A copy of the previous project's questionnaire"),
    ("blank", "An empty questionnaire, to write question by question"),
]


class SetupForm(forms.Form):
    source = forms.ChoiceField(label="Start from", choices=SOURCE_CHOICES, widget=forms.RadioSelect, initial="template")


class QuestionForm(forms.Form):
    kind = forms.ChoiceField(label="Kind", choices=QuestionKind.choices)
    text = forms.CharField(label="Question", max_length=300)
    scale_labels = forms.CharField(
        label="Scale labels (ratings)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="Five lines, from 1 (lowest) to 5 (highest). Left empty: " + ", ".join(DEFAULT_SCALE) + ".",
    )
    choices = forms.CharField(
        label="Options (choice questions)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="One option per line, at least two.",
    )
    session = forms.ModelChoiceField(
        label="About the session", queryset=Session.objects.none(), required=False, empty_label="The whole workshop"
    )
    required = forms.BooleanField(label="Participants must answer it", required=False, initial=True)

    def __init__(self, *args, project, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["session"].queryset = Session.objects.filter(project=project).order_by("start_at", "pk")

    @staticmethod
    def initial_for(question):
        return {
            "kind": question.kind,
            "text": question.text,
            "scale_labels": "\n".join(question.scale_labels),
            "choices": "\n".join(question.choices),
            "session": question.session_id,
            "required": question.required,
        }

    def service_fields(self):
        data = self.cleaned_data
        lines = lambda value: [line.strip() for line in (value or "").splitlines() if line.strip()]  # noqa: E731
        return {
            "kind": data["kind"],
            "text": data["text"],
            "scale_labels": lines(data["scale_labels"]),
            "choices": lines(data["choices"]),
            "session": data["session"],
            "required": data["required"],
        }


class AnswerForm(forms.Form):
    """One field per question, named `q<pk>`; none is required here: saving keeps what is answered,
    and submitting asks for the required ones (the service says which is missing)."""

    def __init__(self, *args, questions, answers=None, disabled=False, **kwargs):
        super().__init__(*args, **kwargs)
        answers = answers or {}
        self.questions = questions
        for question in questions:
            name = f"q{question.pk}"
            label = question.text + ("" if question.required else " (optional)")
            answer = answers.get(question.pk)
            if question.kind == QuestionKind.RATING:
                field = forms.ChoiceField(
                    label=label,
                    choices=[(str(n), f"{n} · {text}") for n, text in enumerate(question.scale_labels, start=1)],
                    widget=forms.RadioSelect,
                    required=False,
                )
                initial = str(answer.rating) if answer and answer.rating else None
            elif question.kind == QuestionKind.CHOICE:
                field = forms.ChoiceField(
                    label=label, choices=[(c, c) for c in question.choices], widget=forms.RadioSelect, required=False
                )
                initial = answer.choice if answer else None
            else:
                field = forms.CharField(label=label, widget=forms.Textarea(attrs={"rows": 3}), required=False)
                initial = answer.text if answer else ""
            field.initial = initial
            field.disabled = disabled
            self.fields[name] = field

    def values(self):
        return {q.pk: self.cleaned_data.get(f"q{q.pk}") for q in self.questions}
