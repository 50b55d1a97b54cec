"""The outbox for the Secretariat: every e-mail the portal wrote, per project and overall; a message
as its recipient sees it; resending one."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.csp import CSP
from django.views.decorators.clickjacking import xframe_options_sameorigin
from django.views.decorators.csp import csp_override
from django.views.decorators.http import require_POST

from .. import services
from ..enums import OutboxStatus
from ..exceptions import DomainError
from ..forms import OutboxFilterForm
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
        {"message": message, "may_resend": message.status != OutboxStatus.PENDING},
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
