"""Pages anyone may see: the home page, the public project page, and the status answer."""

from django.http import Http404, HttpResponse
from django.shortcuts import render

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
    revisions = getattr(project, "revision_list", None)
    if revisions is None:
        revisions = list(project.revisions.order_by("-number"))
    return render(request, "apopms/project_detail.html", {"project": project, "revisions": revisions})


def status(request):
    """ "ok" through the whole middleware stack and URL routing (unlike /healthz, answered before
    them): the smallest Django view, the baseline of the load benchmark."""
    return HttpResponse("ok", content_type="text/plain; charset=utf-8")
