"""The back office of the programme. Changes go through the same services as the portal."""

from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect

from apopms.exceptions import DomainError

from . import services
from .models import AgendaItem, ProgrammeVersion, ResourcePerson, Session
from .selectors import versions_with_notified_at


class ServiceAdmin(admin.ModelAdmin):
    """Saves and deletes through services; a DomainError is shown as a message, nothing is saved."""

    def _run(self, request, call):
        try:
            return call()
        except DomainError as error:
            self.message_user(request, error.message, level=messages.ERROR)
            raise ValidationError(error.message) from error

    def _delete(self, request, call):
        try:
            call()
        except DomainError as error:
            self.message_user(request, error.message, level=messages.ERROR)

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            self.delete_model(request, obj)

    def changeform_view(self, request, *args, **kwargs):
        try:
            return super().changeform_view(request, *args, **kwargs)
        except ValidationError:
            # The service refused (the message says why) and the transaction was rolled back.
            return redirect(request.path)


@admin.register(Session)
class SessionAdmin(ServiceAdmin):
    list_display = ["title", "project", "start_at", "end_at", "revision"]
    list_filter = ["project"]
    search_fields = ["title", "project__code"]
    fields = ["project", "title", "start_at", "end_at", "join_url", "room", "revision"]
    readonly_fields = ["revision"]

    def get_readonly_fields(self, request, obj=None):
        return ["project", "revision"] if obj else ["revision"]

    def save_model(self, request, obj, form, change):
        data = {f: form.cleaned_data[f] for f in ("title", "start_at", "end_at", "join_url", "room")}
        if change:
            self._run(request, lambda: services.update_session(session=obj, actor=request.user, **data))
        else:
            new = self._run(
                request,
                lambda: services.create_session(project=form.cleaned_data["project"], actor=request.user, **data),
            )
            obj.pk = new.pk

    def delete_model(self, request, obj):
        self._delete(request, lambda: services.delete_session(session=obj, actor=request.user))


@admin.register(AgendaItem)
class AgendaItemAdmin(ServiceAdmin):
    list_display = ["title", "session", "position", "kind", "start_at", "end_at"]
    list_filter = ["kind", "session__project"]
    search_fields = ["title", "session__title"]
    fields = ["session", "kind", "title", "start_at", "end_at", "topics", "description", "speakers", "position"]
    readonly_fields = ["position"]
    filter_horizontal = ["speakers"]

    def get_readonly_fields(self, request, obj=None):
        return ["session", "position"] if obj else ["position"]

    def save_model(self, request, obj, form, change):
        d = form.cleaned_data
        data = {f: d[f] for f in ("kind", "title", "start_at", "end_at", "topics", "description")}
        if change:
            self._run(
                request,
                lambda: services.update_agenda_item(item=obj, actor=request.user, speakers=list(d["speakers"]), **data),
            )
        else:
            new = self._run(
                request,
                lambda: services.create_agenda_item(
                    session=d["session"], actor=request.user, speakers=list(d["speakers"]), **data
                ),
            )
            obj.pk = new.pk

    def save_related(self, request, form, formsets, change):
        # The speakers were set by the service.
        for formset in formsets:
            self.save_formset(request, form, formset, change=change)

    def delete_model(self, request, obj):
        self._delete(request, lambda: services.delete_agenda_item(item=obj, actor=request.user))


@admin.register(ResourcePerson)
class ResourcePersonAdmin(ServiceAdmin):
    list_display = ["name", "project", "organization", "country", "category", "local_honorarium"]
    list_filter = ["category", "local_honorarium", "project"]
    search_fields = ["name", "organization", "email"]
    fields = [
        "project",
        "name",
        "title",
        "organization",
        "country",
        "email",
        "category",
        "biography",
        "local_honorarium",
    ]

    def get_readonly_fields(self, request, obj=None):
        return ["project"] if obj else []

    def save_model(self, request, obj, form, change):
        data = {f: form.cleaned_data[f] for f in services.PERSON_FIELDS}
        if change:
            self._run(request, lambda: services.update_resource_person(person=obj, actor=request.user, **data))
        else:
            new = self._run(
                request,
                lambda: services.create_resource_person(
                    project=form.cleaned_data["project"], actor=request.user, **data
                ),
            )
            obj.pk = new.pk

    def delete_model(self, request, obj):
        self._delete(request, lambda: services.delete_resource_person(person=obj, actor=request.user))


@admin.register(ProgrammeVersion)
class ProgrammeVersionAdmin(admin.ModelAdmin):
    """Published versions are records: read only. Publish from the portal's programme editor."""

    list_display = ["project", "number", "published_at", "published_by", "with_participants", "notified_at"]

    def get_queryset(self, request):
        return versions_with_notified_at(super().get_queryset(request))

    @admin.display(description="First notice sent", ordering="notified_at")
    def notified_at(self, obj):
        """From the outbox: when the first of this version's notices went out."""
        return obj.notified_at

    list_filter = ["project"]
    readonly_fields = [
        "project",
        "number",
        "published_at",
        "published_by",
        "change_note",
        "with_participants",
        "changes",
        "snapshot",
    ]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
