from django.contrib.auth import views as auth_views
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render

from .forms import EmailAuthenticationForm
from .models import Project
from .permissions import get_project_or_404, secretariat_required
from .selectors import audit_entries_for_project, public_project


def home(request):
    projects = Project.objects.published().select_related("host_country").order_by("-start_date", "code")
    return render(request, "apopms/home.html", {"projects": projects})


def project_detail(request, code):
    """The public project page, laid out like the project notification."""
    try:
        project = public_project(code)
    except Project.DoesNotExist:
        if request.user.is_authenticated and request.user.is_secretariat:
            project = get_project_or_404(code, request.user)
        else:
            raise Http404("No such project.") from None
    return render(request, "apopms/project_detail.html", {"project": project})


@secretariat_required
def audit_log(request, code):
    project = get_project_or_404(code, request.user)
    page = Paginator(audit_entries_for_project(project), 100).get_page(request.GET.get("page"))
    return render(request, "apopms/audit_log.html", {"project": project, "page": page})


class LoginView(auth_views.LoginView):
    authentication_form = EmailAuthenticationForm
    redirect_authenticated_user = True
