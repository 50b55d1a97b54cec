from django.db import connection
from django.http import HttpResponse
from django.utils.cache import patch_cache_control


class HealthCheckMiddleware:
    """Answer /healthz before host checks and HTTPS redirects, for container health checks."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path == "/healthz":
            with connection.cursor() as cursor:
                cursor.execute("SELECT 1")
            return HttpResponse("ok", content_type="text/plain")
        return self.get_response(request)


class PrivatePagesMiddleware:
    """Every response to a signed-in user: `Cache-Control: private, no-store`.

    Such pages carry personal data (nominations, passports, certificates), which no shared
    proxy nor the browser's disk cache should keep. Directives a view set itself are kept
    (e.g. `no-cache`), except that `public` gives way to `private`: nothing a signed-in user
    sees is cacheable by others. Pages for visitors are left as the view made them.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            patch_cache_control(response, private=True, no_store=True)
        return response
