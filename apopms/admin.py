import zoneinfo

from django import forms
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.urls import reverse
from django.utils.html import format_html

from . import services
from .exceptions import DomainError
from .models import (
    AuditEntry,
    Invitation,
    MemberCountry,
    Membership,
    OutboxMessage,
    Project,
    ProjectRevision,
    User,
)
from .selectors import invitations_with_sent_at

# The back office speaks as the portal, not as "Django administration" (its look:
# templates/admin/base_site.html, with the portal's stylesheet).
admin.site.site_header = "APO workshop portal · back office"
admin.site.site_title = "APO workshop portal back office"
admin.site.index_title = "Back office"


class ReadOnlyAdmin(admin.ModelAdmin):
    """A record of what happened: shown, never added, edited or deleted by hand."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(MemberCountry)
class MemberCountryAdmin(admin.ModelAdmin):
    list_display = ["name", "iso2", "npo_name", "npo_name_verified", "time_zone", "joined_year", "active"]
    list_filter = ["active", "npo_name_verified"]
    search_fields = ["name", "iso2", "npo_name"]
    ordering = ["name"]


class MembershipInline(admin.TabularInline):
    model = Membership
    fk_name = "user"
    extra = 0
    autocomplete_fields = ["country", "project"]
    readonly_fields = ["created_at", "invited_by"]


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    ordering = ["email"]
    list_display = ["email", "full_name", "is_active", "is_staff", "last_login"]
    search_fields = ["email", "full_name"]
    list_filter = ["is_active", "is_staff", "memberships__role"]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        ("Person", {"fields": ["full_name", "time_zone"]}),
        ("Access", {"fields": ["is_active", "is_staff", "is_superuser", "groups", "user_permissions"]}),
        ("Dates", {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [(None, {"classes": ["wide"], "fields": ["email", "full_name", "password1", "password2"]})]
    inlines = [MembershipInline]


class ProjectAdminForm(forms.ModelForm):
    """A draft edited in the back office obeys the closing date's rule (services.closing_date_problem)
    as the portal's form does; Project.clean adds the end date's."""

    class Meta:
        model = Project
        fields = "__all__"  # noqa: DJ007 - ModelAdmin.get_form chooses the fields shown

    def clean(self):
        data = super().clean()
        deadline, start, zone = data.get("nomination_deadline"), data.get("start_date"), data.get("time_zone")
        if deadline and start and zone:
            try:
                closing = Project.closing_date_for(deadline, zoneinfo.ZoneInfo(zone))
            except (zoneinfo.ZoneInfoNotFoundError, ValueError):
                return data  # the time zone field names its own error
            problem = services.closing_date_problem(closing, project=Project(start_date=start, time_zone=zone))
            if problem:
                self.add_error("nomination_deadline", problem)
        return data


@admin.register(Project)
class ProjectAdmin(admin.ModelAdmin):
    form = ProjectAdminForm
    list_display = ["code", "title", "host_country", "start_date", "end_date", "nomination_deadline"]
    search_fields = ["code", "title"]
    list_filter = ["modality", "host_country"]
    ordering = ["-start_date"]
    filter_horizontal = ["participating_countries"]
    readonly_fields = [
        "notification_issued_at",
        "selection_published_at",
        "programme_published_at",
        "certificates_issued_at",
        "created_at",
        "updated_at",
    ]

    def get_readonly_fields(self, request, obj=None):
        # Once issued, a change must go through services.update_project (the portal's edit page),
        # so that it becomes a revision of the notification and the NPOs are told.
        if obj is not None and obj.notification_issued_at:
            return [f.name for f in obj._meta.concrete_fields] + ["participating_countries"]
        return super().get_readonly_fields(request, obj)


@admin.register(AuditEntry)
class AuditEntryAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "action", "actor", "object_repr", "project"]
    list_filter = ["action", "project"]
    search_fields = ["action", "object_repr", "actor__email"]
    ordering = ["-created_at"]
    list_select_related = ["actor", "project"]


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    """Read-only: invitations are made and resent by the services (pages or the action below)."""

    list_display = [
        "user",
        "purpose",
        "country",
        "project",
        "invited_by",
        "created_at",
        "expires_at",
        "sent_at",
        "accepted_at",
    ]
    list_filter = ["purpose"]
    search_fields = ["user__email", "user__full_name"]
    ordering = ["-created_at"]
    list_select_related = ["user", "country", "project", "invited_by"]
    exclude = ["nonce", "token_hash"]
    actions = ["resend"]

    def get_queryset(self, request):
        return invitations_with_sent_at(super().get_queryset(request))

    @admin.display(description="E-mail sent", ordering="sent_at")
    def sent_at(self, obj):
        """From the outbox: when the invitation's message went out."""
        return obj.sent_at

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    @admin.action(description="Resend the invitation (new link; the old one stops working)")
    def resend(self, request, queryset):
        for invitation in queryset:
            try:
                services.resend_invitation(actor=request.user, invitation=invitation)
            except DomainError as exc:
                self.message_user(request, f"{invitation.user.email}: {exc.message}", level="warning")


@admin.register(ProjectRevision)
class ProjectRevisionAdmin(ReadOnlyAdmin):
    list_display = ["project", "number", "created_at", "created_by"]
    ordering = ["-created_at"]
    list_select_related = ["project", "created_by"]


@admin.register(OutboxMessage)
class OutboxMessageAdmin(ReadOnlyAdmin):
    """The outbox, read-only: rows are written by the services and sent by the workers; the portal's
    outbox page resends one. Personal links were never stored: the bodies show the placeholder the
    outbox page shows. The HTML part is not shown here: the outbox page renders it."""

    list_display = ["created_at", "recipient", "subject", "cause", "status", "attempts", "project", "sent_at"]
    list_filter = ["status", "cause", "project"]
    search_fields = ["recipient", "recipient_name", "subject"]
    ordering = ["-created_at"]
    list_select_related = ["project"]
    exclude = ["body_html", "key"]
    readonly_fields = ["as_the_recipient_sees_it"]

    @admin.display(description="Message")
    def as_the_recipient_sees_it(self, obj):
        return format_html('<a href="{}">Open it in the outbox</a>', reverse("outbox_message", args=[obj.pk]))
