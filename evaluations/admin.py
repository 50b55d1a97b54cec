"""The back office shows questionnaires and evaluations read-only: the Secretariat writes the
questions on the project's evaluation page, participants answer on theirs, and a submitted
evaluation is never changed (`evaluations.services`)."""

from django.contrib import admin

from .models import Answer, Evaluation, Question, Questionnaire


class ReadOnly:
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class QuestionInline(ReadOnly, admin.TabularInline):
    model = Question
    fields = ["position", "kind", "text", "session", "required", "scale_labels", "choices"]
    readonly_fields = fields
    ordering = ["position"]


@admin.register(Questionnaire)
class QuestionnaireAdmin(ReadOnly, admin.ModelAdmin):
    list_display = ["project", "created_by", "created_at", "updated_at"]
    list_select_related = ["project", "created_by"]
    search_fields = ["project__code", "project__title"]
    readonly_fields = ["project", "created_by", "created_at", "updated_at"]
    inlines = [QuestionInline]


class AnswerInline(ReadOnly, admin.TabularInline):
    model = Answer
    fields = ["question", "rating", "choice", "text"]
    readonly_fields = fields
    ordering = ["question__position"]


@admin.register(Evaluation)
class EvaluationAdmin(ReadOnly, admin.ModelAdmin):
    list_display = ["participant", "project", "started_at", "submitted_at"]
    list_filter = ["project"]
    list_select_related = ["participant", "project"]
    search_fields = ["participant__certificate_name", "project__code"]
    readonly_fields = ["project", "participant", "started_at", "updated_at", "submitted_at"]
    inlines = [AnswerInline]
