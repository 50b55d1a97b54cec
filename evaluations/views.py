"""The evaluation's pages: the Secretariat's questionnaire, results, per-person view and reminders;
the participant's form. Thin: each calls one service or selector."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from apopms import confirm
from apopms.exceptions import DomainError, add_to_form
from apopms.permissions import get_project_or_404, secretariat_required
from nominations.models import Participant
from sessions.selectors import programme_over

from . import selectors, services
from .charts import question_chart
from .forms import AnswerForm, QuestionForm, SetupForm
from .models import Question


def _manage_url(project):
    return reverse("evaluations:manage", kwargs={"code": project.code})


@secretariat_required
def manage(request, code):
    """The questionnaire: its questions in order, how to start it, and the state of the answers."""
    project = get_project_or_404(code, request.user)
    asked, submitted = selectors.response_counts(project)
    return render(
        request,
        "evaluations/manage.html",
        {
            "project": project,
            "questions": selectors.questions(project),
            "locked": selectors.has_answers(project),
            "setup_form": SetupForm(),
            "previous": services.previous_project(project),
            "open": programme_over(project),
            "asked": asked,
            "submitted": submitted,
        },
    )


@require_POST
@secretariat_required
def setup(request, code):
    project = get_project_or_404(code, request.user)
    form = SetupForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choose how to start the questionnaire.")
        return redirect(_manage_url(project))
    if selectors.questions(project) and not confirm.confirmed(request):
        request.confirm_project = project
        return confirm.ask(
            request,
            title=f"Replace the questionnaire of {project.code}",
            consequence="The questions written so far are replaced by the new ones.",
            button="Replace the questions",
            back_url=_manage_url(project),
            fields={"source": form.cleaned_data["source"]},
        )
    try:
        questionnaire = services.set_up_questionnaire(
            project=project, actor=request.user, source=form.cleaned_data["source"]
        )
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, f"The questionnaire has {questionnaire.questions.count()} question(s).")
    return redirect(_manage_url(project))


def _question_page(request, project, question=None):
    initial = QuestionForm.initial_for(question) if question else None
    form = QuestionForm(request.POST or None, project=project, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            if question is None:
                services.add_question(project=project, actor=request.user, **form.service_fields())
            else:
                services.update_question(question=question, actor=request.user, **form.service_fields())
        except DomainError as exc:
            add_to_form(form, exc)
        else:
            messages.success(request, "Question saved.")
            return redirect(_manage_url(project))
    return render(
        request,
        "evaluations/question_form.html",
        {"project": project, "form": form, "question": question, "locked": selectors.has_answers(project)},
    )


def _question(project, pk):
    return get_object_or_404(
        Question.objects.select_related("questionnaire__project"), pk=pk, questionnaire__project=project
    )


@secretariat_required
def question_create(request, code):
    return _question_page(request, get_project_or_404(code, request.user))


@secretariat_required
def question_edit(request, code, pk):
    project = get_project_or_404(code, request.user)
    return _question_page(request, project, _question(project, pk))


@require_POST
@secretariat_required
def question_delete(request, code, pk):
    project = get_project_or_404(code, request.user)
    try:
        services.delete_question(question=_question(project, pk), actor=request.user)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, "Question removed.")
    return redirect(_manage_url(project))


@require_POST
@secretariat_required
def question_move(request, code, pk):
    project = get_project_or_404(code, request.user)
    try:
        services.move_question(question=_question(project, pk), actor=request.user, up=request.POST.get("up") == "1")
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect(_manage_url(project) + f"#question-{pk}")


@secretariat_required
def results(request, code):
    """Aggregate results: per question its distribution, average and free-text answers without names;
    a breakdown by country or gender, groups under 3 answers hidden."""
    project = get_project_or_404(code, request.user)
    by = request.GET.get("by", "")
    rows = []
    for number, result in enumerate(selectors.results(project), start=1):
        breakdown = None
        if by in selectors.BREAKDOWNS and result.question.kind != "text":
            breakdown = selectors.breakdown(project, result.question, by)
        rows.append(
            {"number": number, "result": result, "chart": question_chart(result, number), "breakdown": breakdown}
        )
    asked, submitted = selectors.response_counts(project)
    return render(
        request,
        "evaluations/results.html",
        {
            "project": project,
            "rows": rows,
            "asked": asked,
            "submitted": submitted,
            "by": by if by in selectors.BREAKDOWNS else "",
            "min_group": selectors.MIN_GROUP,
        },
    )


@secretariat_required
def by_person(request, code):
    """Each participant's submitted answers with their name: opening it is recorded in the audit trail."""
    project = get_project_or_404(code, request.user)
    services.record_answers_viewed(project=project, actor=request.user)
    return render(
        request,
        "evaluations/by_person.html",
        {
            "project": project,
            "questions": selectors.questions(project),
            "evaluations": selectors.person_answers(project),
        },
    )


@require_POST
@secretariat_required
def remind(request, code):
    project = get_project_or_404(code, request.user)
    waiting = list(selectors.not_submitted(project))
    if not confirm.confirmed(request):
        request.confirm_project = project
        return confirm.ask(
            request,
            title=f"Remind participants of {project.code} to evaluate the workshop",
            consequence=(
                f"An e-mail goes to the {len(waiting)} participant(s) who have not submitted their evaluation "
                "(those already reminded today are not written to again)."
            ),
            button="Send the reminders",
            back_url=reverse("evaluations:results", kwargs={"code": project.code}),
            danger=False,
        )
    try:
        rows = services.send_evaluation_reminders(project=project, actor=request.user)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        if rows:
            messages.success(request, f"A reminder is on its way to {len(rows)} participant(s).")
        else:
            messages.info(request, "Nobody to remind: everyone has submitted, or was reminded today.")
    return redirect("evaluations:results", code=project.code)


@login_required
def answer(request, code):
    """The participant's evaluation: save and come back, then submit once."""
    participant = (
        Participant.objects.active()
        .filter(project__code=code, user=request.user)
        .select_related("project", "country")
        .first()
    )
    if participant is None:
        get_project_or_404(code)  # the project's page is public: only its participants answer
        raise PermissionDenied("The evaluation is answered by the workshop's participants only.")
    project = participant.project
    questions = selectors.questions(project)
    evaluation = selectors.evaluation_of(participant)
    saved = {a.question_id: a for a in evaluation.answers.all()} if evaluation else {}
    submitted = evaluation is not None and evaluation.is_submitted
    is_open = bool(questions) and programme_over(project)
    form = AnswerForm(
        request.POST if request.method == "POST" and not submitted else None,
        questions=questions,
        answers=saved,
        disabled=submitted or not is_open,
    )
    if request.method == "POST" and not submitted and form.is_valid():
        submit = request.POST.get("action") == "submit"
        try:
            services.save_evaluation(participant=participant, actor=request.user, values=form.values(), submit=submit)
        except DomainError as exc:
            add_to_form(form, exc)
        else:
            if submit:
                messages.success(request, "Thank you: your evaluation is submitted.")
                return redirect("agenda:my_workshop")
            messages.success(request, "Your answers are saved. Come back to finish and submit them.")
            return redirect("evaluations:answer", code=project.code)
    return render(
        request,
        "evaluations/answer.html",
        {
            "project": project,
            "participant": participant,
            "form": form,
            "evaluation": evaluation,
            "submitted": submitted,
            "open": is_open,
            "questions": questions,
        },
    )
