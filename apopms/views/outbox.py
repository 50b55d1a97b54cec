"""The outbox for the Secretariat: every e-mail the portal wrote, per project and overall; a message
as its recipient sees it; resending one; writing to an audience (preview, send, CSV)."""

import csv

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.csp import CSP
from django.views.decorators.clickjacking import xframe_options_sameorigin
from django.views.decorators.csp import csp_override
from django.views.decorators.http import require_POST

from .. import audit, services
from ..enums import OutboxStatus
from ..exceptions import DomainError, add_to_form
from ..forms import AudienceMessageForm, OutboxFilterForm
from ..models import OutboxMessage
from ..permissions import get_project_or_404, secretariat_required
from ..selectors import failed_count, outbox_messages

PAGE_SIZE = 50
# The HTML part is shown in a sandboxed iframe from its own URL: the message's inline styles
# apply there, and nothing else (no scripts, no remote images, no forms).
MESSAGE_CSP = {
    "default-src": [CSP.NONE],
    "style-src": [CSP.UNSAFE_INLINE],
    "img-src": ["data:"],
    "frame-ancestors": [CSP.SELF],
    "form-action": [CSP.NONE],
    "base-uri": [CSP.NONE],
}


@secretariat_required
def outbox(request, code=None):
    project = get_project_or_404(code, request.user) if code else None
    form = OutboxFilterForm(request.GET or None)
    filters = {k: v for k, v in form.cleaned_data.items() if k != "page"} if form.is_valid() else {}
    page = Paginator(outbox_messages(project=project, **filters), PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    failed = failed_count(project) if project else OutboxMessage.objects.failed().count()
    return render(
        request,
        "apopms/outbox.html",
        {"project": project, "form": form, "page": page, "failed": failed, "query": query.urlencode()},
    )


@secretariat_required
def outbox_message(request, pk):
    message = get_object_or_404(OutboxMessage.objects.select_related("project", "created_by"), pk=pk)
    return render(
        request,
        "apopms/outbox_message.html",
        # The project's navigation (its tabs) shows for a project's message, as on its outbox list.
        {"message": message, "project": message.project, "may_resend": message.status != OutboxStatus.PENDING},
    )


@secretariat_required
@xframe_options_sameorigin
@csp_override(MESSAGE_CSP)
def outbox_message_html(request, pk):
    message = get_object_or_404(OutboxMessage.objects.only("body_html"), pk=pk)
    return HttpResponse(message.body_html, content_type="text/html; charset=utf-8")


@secretariat_required
@require_POST
def outbox_resend(request, pk):
    message = get_object_or_404(OutboxMessage, pk=pk)
    try:
        new = services.resend_message(actor=request.user, message=message)
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("outbox_message", pk=message.pk)
    messages.success(request, f"A new message to {message.recipient} is on its way.")
    return redirect("outbox_message", pk=new.pk)


@secretariat_required
def outbox_write(request, code):
    """Write to an audience: the form, then (action=preview) the message as each recipient will
    read it, then (action=send) one outbox row per recipient."""
    project = get_project_or_404(code, request.user)
    form = AudienceMessageForm(request.POST or None, project=project)
    preview = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        arguments = {
            "project": project,
            "audience": data["audience"],
            "country": data["country"],
            "subject": data["subject"],
            "body": data["body"],
        }
        try:
            if request.POST.get("action") == "send":
                rows = services.write_to_audience(actor=request.user, **arguments)
                messages.success(request, f"{len(rows)} messages are in the outbox, on their way.")
                return redirect(f"{reverse('project_outbox', kwargs={'code': project.code})}?cause=message")
            preview = services.preview_audience_message(**arguments)
        except DomainError as exc:
            add_to_form(form, exc)
    return render(request, "apopms/outbox_write.html", {"project": project, "form": form, "preview": preview})


@secretariat_required
def outbox_audience_csv(request, code):
    """The members of an audience as CSV (e-mail, name, country)."""
    project = get_project_or_404(code, request.user)
    form = AudienceMessageForm(request.GET, project=project)
    form.is_valid()  # subject and body are not needed here
    data = getattr(form, "cleaned_data", {})
    try:
        recipients = services.audience_recipients(
            project=project, audience=data.get("audience", ""), country=data.get("country")
        )
    except DomainError as exc:
        return HttpResponse(exc.message, status=400, content_type="text/plain; charset=utf-8")
    recipients = list(recipients)
    audit.record(
        "apopms.outbox.audience_exported",
        actor=request.user,
        target=project,
        audience=data["audience"],
        country=str(data.get("country") or ""),
        rows=len(recipients),
    )
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{project.code}-{data["audience"]}.csv"'
    writer = csv.writer(response)
    writer.writerow(["email", "name", "country"])
    for r in recipients:
        writer.writerow([r.email, r.name, r.country])
    return response
