"""The back office for nominations: read-only data; state changes only through the services (actions)."""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied

from apopms.exceptions import DomainError

from . import services
from .models import Nomination, Participant, ReplacementWindow, SeatConfirmation


class ReadOnlyAdmin(admin.ModelAdmin):
    """Every field read only, no adding or deleting: changes go through nominations.services."""

    def get_readonly_fields(self, request, obj=None):
        return [f.name for f in self.model._meta.concrete_fields]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Nomination)
class NominationAdmin(ReadOnlyAdmin):
    list_display = [
        "certificate_name",
        "country",
        "project",
        "category",
        "status",
        "priority",
        "is_late",
        "submitted_at",
    ]
    list_filter = ["status", "category", "is_late", "project", "country"]
    search_fields = ["certificate_name", "native_name", "email", "organization"]
    list_select_related = ["country", "project"]
    ordering = ["project", "country__name", "priority"]
    actions = ["submit_selected", "withdraw_selected"]

    def _apply(self, request, queryset, action, verb):
        done = 0
        for nomination in queryset:
            try:
                action(nomination)
                done += 1
            except DomainError as exc:
                self.message_user(request, f"{nomination}: {exc.message}", messages.ERROR)
            except PermissionDenied as exc:
                self.message_user(request, f"{nomination}: {exc}", messages.ERROR)
        if done:
            self.message_user(request, f"{done} nomination(s) {verb}.", messages.SUCCESS)

    @admin.action(description="Submit the selected drafts")
    def submit_selected(self, request, queryset):
        self._apply(
            request, queryset, lambda n: services.submit_nomination(nomination=n, actor=request.user), "submitted"
        )

    @admin.action(description="Withdraw the selected nominations")
    def withdraw_selected(self, request, queryset):
        self._apply(
            request,
            queryset,
            lambda n: services.withdraw_nomination(
                nomination=n, actor=request.user, reason="Withdrawn in the back office"
            ),
            "withdrawn",
        )


@admin.register(Participant)
class ParticipantAdmin(ReadOnlyAdmin):
    list_display = ["certificate_name", "country", "project", "category", "status"]
    list_filter = ["status", "category", "project"]
    search_fields = ["certificate_name", "user__email"]
    list_select_related = ["country", "project"]


@admin.register(SeatConfirmation)
class SeatConfirmationAdmin(ReadOnlyAdmin):
    """The date by which selected participants confirm; set and moved on the project's seats page."""

    list_display = ["project", "due_at", "set_by", "set_at"]
    list_select_related = ["project", "set_by"]
    search_fields = ["project__code", "project__title"]


@admin.register(ReplacementWindow)
class ReplacementWindowAdmin(ReadOnlyAdmin):
    """A country's window for replacement nominations; opened and decided on the project's seats page."""

    list_display = ["project", "country", "seats", "closes_at", "opened_by", "opened_at", "notified_at"]
    list_filter = ["project", "country"]
    list_select_related = ["project", "country", "opened_by"]
    search_fields = ["project__code", "country__name", "reason"]
