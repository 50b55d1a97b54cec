"""Pages anyone may see: the home page, the public project page, the status answer and the icon."""

from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.templatetags.static import static
from django.utils.cache import patch_cache_control

from ..fragments import anonymous_fragment, project_key_parts
from ..models import Project
from ..permissions import get_project_or_404
from ..selectors import public_project


def home(request):
    projects = Project.objects.published().select_related("host_country").order_by("-start_date", "code")
    return render(request, "apopms/home.html", {"projects": projects})


def project_detail(request, code):
    """The public project page, laid out like the project notification."""
    try:
        project = public_project(code)
    except Project.DoesNotExist:
        # A draft: the Secretariat and the project's implementers may preview it.
        if request.user.is_authenticated:
            project = get_project_or_404(code, request.user)
        else:
            raise Http404("No such project.") from None
    notification = anonymous_fragment(
        request,
        "project-notification",
        (*project_key_parts(project), getattr(project, "last_revision", None)),
        "apopms/_notification.html",
        lambda: {"project": project, "revisions": project.revisions.order_by("-number")},
    )
    return render(request, "apopms/project_detail.html", {"project": project, "notification": notification})


def personal_data(request):
    """The portal's privacy notice: what is held about whom, why, who sees it, how long (apopms.privacy)."""
    return render(request, "apopms/personal_data.html")


def status(request):
    """ "ok" through the whole middleware stack and URL routing (unlike /healthz, answered before
    them): the smallest Django view, the baseline of the load benchmark."""
    return HttpResponse("ok", content_type="text/plain; charset=utf-8")


def favicon(request):
    """/favicon.ico, which browsers ask for where a page names no icon (a PDF opened in a tab): the
    portal's icon. Pages name it themselves (`base.html`)."""
    response = HttpResponseRedirect(static("img/favicon.svg"))
    patch_cache_control(response, public=True, max_age=24 * 3600)
    return response
