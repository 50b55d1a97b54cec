"""Views of the certificates: the Secretariat's page, downloads and public verification. Thin."""

import zipfile

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.http import Http404, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from apopms import audit, confirm
from apopms.exceptions import DomainError, add_to_form
from apopms.permissions import get_project_or_404, secretariat_required
from apopms.security import client_address
from nominations.models import Participant
from sessions.selectors import last_session_end

from . import codes, selectors, services
from .forms import NameCorrectionForm, NumberAndNameForm, RevokeForm, VerificationLookupForm
from .models import Certificate

# Public verification: at most this many look-ups per address and window (seconds).
VERIFY_RATE = getattr(settings, "CERTIFICATE_VERIFY_RATE", (30, 600))


def _project_context(project):
    batch = selectors.latest_batch(project)
    return {
        "project": project,
        "batch": batch,
        "counts": selectors.project_counts(project),
        "failures": selectors.batch_failures(batch),
    }


@secretariat_required
def index(request):
    return render(request, "certificates/index.html", {"projects": selectors.projects_overview()})


@secretariat_required
def project_page(request, code):
    project = get_project_or_404(code, request.user)
    context = _project_context(project)
    context.update(
        can_start=selectors.issuing_open(project),
        certificates=selectors.project_certificates(project),
        to_revoke=selectors.to_revoke(project),
        waiting=selectors.eligible_without_certificate(project),
        not_eligible=selectors.not_eligible(project),
        last_session_end=last_session_end(project),
    )
    return render(request, "certificates/project.html", context)


@secretariat_required
def progress(request, code):
    """The counters alone, polled by htmx while a batch runs."""
    project = get_project_or_404(code, request.user)
    return render(request, "certificates/_progress.html", _project_context(project))


def _back(project):
    return redirect("certificates:project", code=project.code)


@require_POST
@secretariat_required
def start(request, code):
    project = get_project_or_404(code, request.user)
    if not confirm.confirmed(request):
        request.confirm_project = project
        return confirm.ask(
            request,
            title=f"Issue the certificates of {project.code}",
            consequence=(
                "A numbered certificate is made for every participant who attended every session, and each "
                "is e-mailed a link to it. Issued certificates cannot be taken back, only revoked one by one."
            ),
            button="Issue the certificates",
            back_url=reverse("certificates:project", kwargs={"code": project.code}),
            danger=False,
        )
    try:
        services.start_issuing(project=project, actor=request.user)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, "Issuing started: the counters below refresh by themselves.")
    return _back(project)


@require_POST
@secretariat_required
def retry(request, code):
    project = get_project_or_404(code, request.user)
    batch = selectors.latest_batch(project)
    if batch is None:
        raise Http404("No batch.")
    count = services.retry_failures(batch=batch, actor=request.user)
    messages.success(request, f"{count} failed certificate(s) queued again.")
    return _back(project)


@require_POST
@secretariat_required
def issue_one(request, code, participant_id):
    project = get_project_or_404(code, request.user)
    participant = get_object_or_404(Participant, pk=participant_id, project=project)
    try:
        services.queue_certificate(participant=participant, actor=request.user)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request, f"The certificate of {participant.certificate_name} is being made: the counters below refresh."
        )
    return _back(project)


@secretariat_required
def correct_name(request, code, participant_id):
    project = get_project_or_404(code, request.user)
    participant = get_object_or_404(Participant.objects.select_related("country"), pk=participant_id, project=project)
    form = NameCorrectionForm(
        request.POST or None,
        initial={"certificate_name": participant.certificate_name, "native_name": participant.native_name},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.correct_certificate_name(participant=participant, actor=request.user, **form.cleaned_data)
        except DomainError as exc:
            add_to_form(form, exc)
        else:
            messages.success(request, "Name corrected.")
            return _back(project)
    return render(
        request, "certificates/correct_name.html", {"project": project, "participant": participant, "form": form}
    )


def _certificate_for_secretariat(number):
    return get_object_or_404(Certificate.objects.select_related("project", "participant__country"), number=number)


@secretariat_required
def revoke(request, number):
    certificate = _certificate_for_secretariat(number)
    form = RevokeForm(request.POST or None)
    reissue = request.POST.get("reissue") == "1" or request.GET.get("reissue") == "1"
    # This page states the consequence; only its own form (with the confirmation token) revokes.
    if request.method == "POST" and not confirm.confirmed(request):
        form.add_error(None, "Nothing was revoked: confirm on this page, after reading what revoking does.")
    elif request.method == "POST" and form.is_valid():
        try:
            if reissue:
                services.queue_reissue(certificate=certificate, actor=request.user, reason=form.cleaned_data["reason"])
                messages.success(
                    request, f"{certificate.number} revoked; a new certificate is being made in its place."
                )
            else:
                services.revoke_certificate(
                    certificate=certificate, actor=request.user, reason=form.cleaned_data["reason"]
                )
                messages.success(request, f"Certificate {certificate.number} revoked.")
        except DomainError as exc:
            add_to_form(form, exc)
        else:
            return _back(certificate.project)
    return render(
        request,
        "certificates/revoke.html",
        {
            "certificate": certificate,
            "project": certificate.project,
            "form": form,
            "reissue": reissue,
            "confirm_token": confirm.token(request),
        },
    )


class _Sink:
    """A write-only buffer for zipfile, drained after each member."""

    def __init__(self):
        self.chunks = []

    def write(self, data):
        self.chunks.append(bytes(data))
        return len(data)

    def flush(self):
        pass

    def drain(self):
        data, self.chunks = b"".join(self.chunks), []
        return data


def _zip_stream(certificates):
    sink = _Sink()
    with zipfile.ZipFile(sink, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        for certificate in certificates.iterator(chunk_size=200):
            with certificate.pdf.open("rb") as handle:
                archive.writestr(f"{certificate.number}.pdf", handle.read())
            yield sink.drain()
    yield sink.drain()


@secretariat_required
def download_zip(request, code):
    project = get_project_or_404(code, request.user)
    certificates = Certificate.objects.live().filter(project=project).order_by("serial").only("number", "pdf")
    audit.record(
        "certificates.certificate.zip_downloaded", actor=request.user, target=project, rows=certificates.count()
    )
    response = StreamingHttpResponse(_zip_stream(certificates), content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="certificates-{project.code}.zip"'
    return response


@login_required
def download(request, number):
    """The stored PDF (never re-rendered): for its holder, the holder's NPO and the Secretariat."""
    certificate = selectors.visible_certificate(request.user, number)
    if certificate is None:
        raise Http404("No such certificate.")
    # A certificate is tens of kilobytes: read it whole, so no file handle outlives the response.
    with certificate.pdf.open("rb") as handle:
        content = handle.read()
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="APO-certificate-{certificate.number}.pdf"'
    return response


def _rate_limited(request):
    limit, window = VERIFY_RATE
    key = f"certificates:verify:{client_address(request)}"
    cache.add(key, 0, timeout=window)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=window)
        count = 1
    return count > limit


def _too_many():
    return HttpResponse(
        "Too many verification requests from your address. Please wait ten minutes and try again.",
        status=429,
        content_type="text/plain; charset=utf-8",
        headers={"Retry-After": str(VERIFY_RATE[1])},
    )


def verify_lookup(request):
    """Public, also on the home page: by the code printed on a certificate (GET; sends the visitor to
    its page), or by its number and the full printed name (POST, so no name lands in a URL or a log).

    The number-and-name look-up counts against the same per-address limit as the verification page,
    and a wrong name answers exactly as an unknown number does.
    """
    form = VerificationLookupForm(request.GET or None)
    by_name = NumberAndNameForm(request.POST if request.method == "POST" else None)
    if request.method == "POST":
        if by_name.is_valid():
            if _rate_limited(request):
                return _too_many()
            certificate = selectors.certificate_by_number_and_name(
                by_name.cleaned_data["number"], by_name.cleaned_data["name"]
            )
            if certificate is None:
                return render(request, "certificates/verify_not_found.html", {"by_name": True}, status=404)
            return _verdict(request, certificate)
    elif form.is_valid():
        typed = codes.candidates(form.cleaned_data["code"])
        if typed and "/" not in typed[-1]:
            return redirect("certificates:verify", code=typed[-1])
        return render(request, "certificates/verify_not_found.html", status=404)
    return render(request, "certificates/verify_lookup.html", {"form": form, "by_name": by_name})


def _verdict(request, certificate):
    replacement = selectors.valid_replacement(certificate) if certificate.revoked_at else None
    return render(
        request,
        "certificates/verify.html",
        {"certificate": certificate, "s": certificate.snapshot, "replacement": replacement},
    )


def verify(request, code):
    """Public: is this certificate genuine? Valid or revoked, name, project and dates; nothing more."""
    if _rate_limited(request):
        return _too_many()
    certificate = selectors.certificate_by_code(code)
    if certificate is None:
        return render(request, "certificates/verify_not_found.html", status=404)
    return _verdict(request, certificate)
