"""System checks run at start-up (the web container runs `migrate` first) and by `check --deploy`."""

from django.conf import settings
from django.core import checks


@checks.register(checks.Tags.security)
def proxy_count_set_in_production(app_configs, **kwargs):
    """In production the portal sits behind a TLS proxy: without PROXY_COUNT every visitor has its address."""
    if settings.DEBUG or getattr(settings, "PROXY_COUNT", 0):
        return []
    return [
        checks.Warning(
            "PROXY_COUNT is 0 with DEBUG off: behind the TLS proxy every visitor appears with the "
            "proxy's address, so one person's failed log-ins lock others out and one visitor's "
            "verification requests rate-limit everyone.",
            hint="Set PROXY_COUNT to the number of proxies in front of the portal (1 in docker-compose.yml), "
            "or to 0 only if visitors connect directly.",
            id="apopms.W001",
        )
    ]
