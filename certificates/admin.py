"""The back office shows certificates read-only; issuing and revoking go through the services."""

from django.contrib import admin, messages

from apopms.exceptions import DomainError

from . import services
from .models import Certificate, IssueBatch, IssueFailure


@admin.register(Certificate)
class CertificateAdmin(admin.ModelAdmin):
    list_display = ["number", "participant", "project", "issued_at", "revoked_at"]
    list_filter = ["project"]
    search_fields = ["number", "participant__certificate_name", "verification_code"]
    readonly_fields = [f.name for f in Certificate._meta.fields]
    actions = ["issue_again_if_missing"]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.action(description="Issue a certificate to these holders if they have no live one (eligibility checked)")
    def issue_again_if_missing(self, request, queryset):
        for certificate in queryset.select_related("participant__project"):
            try:
                services.queue_certificate(participant=certificate.participant, actor=request.user)
            except DomainError as exc:
                self.message_user(request, f"{certificate.participant}: {exc.message}", messages.ERROR)


class IssueFailureInline(admin.TabularInline):
    model = IssueFailure
    extra = 0
    readonly_fields = ["participant", "reason", "attempts", "failed_at"]
    can_delete = False


@admin.register(IssueBatch)
class IssueBatchAdmin(admin.ModelAdmin):
    list_display = ["project", "started_at", "started_by", "eligible_at_start", "finished_at"]
    readonly_fields = ["project", "started_at", "started_by", "eligible_at_start", "finished_at"]
    inlines = [IssueFailureInline]

    def has_add_permission(self, request):
        return False
