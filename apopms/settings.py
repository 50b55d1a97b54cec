"""Settings for apopms, read from the environment (django-environ).

With nothing set the portal runs embedded: SQLite, Celery tasks executed eagerly,
e-mail printed to the console, DEBUG on. Production values come only from the
environment (see README "Production").
"""

from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP

from apopms import logs

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG = env.bool("DEBUG", default=True)
# The fallback key only ever serves the embedded development setup.
SECRET_KEY = env.str("SECRET_KEY", default="django-insecure-apopms-development-only")
if not DEBUG and SECRET_KEY.startswith("django-insecure-"):
    raise ImproperlyConfigured("Set SECRET_KEY in the environment when DEBUG is off.")
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "crispy_forms",
    "crispy_bootstrap5",
    "import_export",
    "axes",
    "django_htmx",
    # Ours, in dependency order: each app may import only those above it.
    "apopms.apps.CoreConfig",
    "nominations.apps.NominationsConfig",
    "sessions.apps.AgendaConfig",
    "certificates.apps.CertificatesConfig",
    "evaluations.apps.EvaluationsConfig",
    "workspace.apps.WorkspaceConfig",
    "reports.apps.ReportsConfig",
]

MIDDLEWARE = [
    "apopms.middleware.HealthCheckMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "apopms.middleware.PrivatePagesMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # Last, so that it sees the outcome of the authentication views.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "apopms.urls"
WSGI_APPLICATION = "apopms.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "apopms.context_processors.roles",
            ],
        },
    },
]

DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=0)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "apopms.User"
AUTHENTICATION_BACKENDS = [
    # Axes first: it refuses a locked-out (account, address) pair before any password check.
    "axes.backends.AxesStandaloneBackend",
    # Django's ModelBackend, whose user knows whether they take part in a project (apopms/backends.py).
    "apopms.backends.PortalBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "workspace:landing"
LOGOUT_REDIRECT_URL = "home"
# Invitation and password links: nominations often arrive weeks before a project.
PASSWORD_RESET_TIMEOUT = 21 * 24 * 3600
INVITATION_VALID_DAYS = 21

# Throttle failed logins per account *and* address together, so one person's
# mistakes do not lock out a whole ministry behind one NAT address.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = env.float("AXES_COOLOFF_HOURS", default=0.25)  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_USERNAME_FORM_FIELD = "username"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_VERBOSE = False
# Failures are counted per address as login matches it (case and spaces ignored).
AXES_USERNAME_CALLABLE = "apopms.security.login_username"
AXES_CLIENT_IP_CALLABLE = "apopms.security.client_address"
# How many trusted proxies (the TLS proxy) sit in front of the portal: the visitor's address
# is then read from X-Forwarded-For (login throttling, verification rate limit). 0: direct.
PROXY_COUNT = env.int("PROXY_COUNT", default=0)

LANGUAGE_CODE = "en"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = Path(env.str("STATIC_ROOT", default=str(BASE_DIR / "staticfiles")))
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_ROOT = Path(env.str("MEDIA_ROOT", default=str(BASE_DIR / "media")))
MEDIA_URL = "/media-not-served/"  # private files are only served by permission-checked views
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": env.str(
            "STATICFILES_STORAGE",
            default="django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage",
        )
    },
}
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
DATA_UPLOAD_MAX_MEMORY_SIZE = 12 * 1024 * 1024

# Cache: Redis when available, local memory otherwise.
REDIS_URL = env.str("REDIS_URL", default="")
if REDIS_URL:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}}
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# Celery: a real broker with REDIS_URL, eager execution without one.
# The in-memory broker of the embedded default names its host: with none, kombu warns
# "No hostname was supplied. Reverting to default 'localhost'" at start and with every task.
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default=REDIS_URL or "memory://localhost/")
CELERY_RESULT_BACKEND = env.str("CELERY_RESULT_BACKEND", default=REDIS_URL or None) or None
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=not REDIS_URL)
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_TIME_LIMIT = 600
CELERY_TASK_SOFT_TIME_LIMIT = 540
# A new pool process readies the PDF renderer before it reports itself up (certificates.tasks.
# warm_pdf_renderer): seconds under load. Celery's default 4 s would kill it and start another,
# in a loop (found by `make prod-smoke` on a busy machine after a child was killed).
CELERY_WORKER_PROC_ALIVE_TIMEOUT = env.float("CELERY_WORKER_PROC_ALIVE_TIMEOUT", default=60.0)
CELERY_WORKER_MAX_MEMORY_PER_CHILD = env.int("CELERY_WORKER_MAX_MEMORY_PER_CHILD", default=400_000)  # KiB
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TIMEZONE = "UTC"
# The outbox's sweep: rows whose after-commit task was lost are sent from here (`make beat`).
# Its timings (seconds) are settable so that the tests which kill a worker process need not wait minutes.
OUTBOX_SWEEP_EVERY = env.float("OUTBOX_SWEEP_EVERY", default=60.0)
OUTBOX_SWEEP_AFTER = env.int("OUTBOX_SWEEP_AFTER", default=180)  # a pending row's wait before the sweep
OUTBOX_LEASE = env.int("OUTBOX_LEASE", default=300)  # a claimed row's lease: a lost sender's row waits this
OUTBOX_BACKOFF = env.int("OUTBOX_BACKOFF", default=60)  # the first retry's wait; it doubles, at most 60 of it
OUTBOX_MAX_ATTEMPTS = env.int("OUTBOX_MAX_ATTEMPTS", default=8)
# The workers log through Django's LOGGING (one line per event), not Celery's own format.
CELERY_WORKER_HIJACK_ROOT_LOGGER = False
# A message taken by a worker whose main process dies (acks late: not acknowledged yet) goes back
# to the queue after this many seconds (Redis transport). Longer than any task runs or waits for a
# retry (time limit 600 s, backoff at most 600 s), so a slow task is never run twice meanwhile.
CELERY_VISIBILITY_TIMEOUT = env.int("CELERY_VISIBILITY_TIMEOUT", default=3600)
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": CELERY_VISIBILITY_TIMEOUT}
# A certificate batch in which nothing happened for this long lost its tasks (a worker's main
# process died holding them): the sweep queues its missing certificates again, long before the
# visibility timeout. Duplicates are harmless: a participant holds one live certificate.
CERTIFICATE_STALL_SECONDS = env.int("CERTIFICATE_STALL_SECONDS", default=300)
# Beat: the outbox's sweep (rows whose after-commit task was lost: broker down at commit, a worker
# killed), the certificate batches' sweep and the expired sessions' clean-up (`make beat`).
# Retention of personal data (apopms.privacy), the defaults a project's own limits override.
PRIVACY_CV_RETENTION_DAYS = env.int("PRIVACY_CV_RETENTION_DAYS", default=90)
PRIVACY_NOMINEE_RETENTION_MONTHS = env.int("PRIVACY_NOMINEE_RETENTION_MONTHS", default=12)
PRIVACY_PARTICIPANT_RETENTION_YEARS = env.int("PRIVACY_PARTICIPANT_RETENTION_YEARS", default=5)
PRIVACY_PURGE_EVERY = env.float("PRIVACY_PURGE_EVERY", default=24 * 60 * 60.0)  # seconds; daily

CELERY_BEAT_SCHEDULE = {
    "apply-retention": {
        "task": "workspace.tasks.apply_retention",
        "schedule": PRIVACY_PURGE_EVERY,
        "options": {"expires": PRIVACY_PURGE_EVERY * 0.9},
    },
    "sweep-outbox": {
        "task": "apopms.tasks.sweep_outbox",
        "schedule": OUTBOX_SWEEP_EVERY,
        "options": {"expires": OUTBOX_SWEEP_EVERY * 0.9},
    },
    "clear-expired-sessions": {
        "task": "apopms.tasks.clear_expired_sessions",
        "schedule": 24 * 60 * 60.0,
        "options": {"expires": 23 * 60 * 60.0},
    },
    "resume-stalled-certificate-batches": {
        "task": "certificates.tasks.resume_stalled_batches",
        "schedule": env.float("CERTIFICATE_SWEEP_SECONDS", default=120.0),
        "options": {"expires": 55},
    },
}

# E-mail: Django 6.1's MAILERS, built from one EMAIL_URL (smtp+tls://user:pass@host:587, consolemail://).
_email = env.email_url("EMAIL_URL", default="consolemail://")
if _email["EMAIL_BACKEND"] == "django.core.mail.backends.console.EmailBackend":
    # Decoded headers and UTF-8 (8bit) parts rather than the wire's quoted-printable.
    _email["EMAIL_BACKEND"] = "apopms.console_mail.EmailBackend"
_smtp_options = {
    "host": _email.get("EMAIL_HOST"),
    "port": _email.get("EMAIL_PORT"),
    "username": _email.get("EMAIL_HOST_USER"),
    "password": _email.get("EMAIL_HOST_PASSWORD"),
    "use_tls": _email.get("EMAIL_USE_TLS", False),
    "use_ssl": _email.get("EMAIL_USE_SSL", False),
    "timeout": env.int("EMAIL_TIMEOUT", default=20),
}
MAILERS = {
    "default": {
        "BACKEND": _email["EMAIL_BACKEND"],
        "OPTIONS": _smtp_options if _email["EMAIL_BACKEND"].endswith("smtp.EmailBackend") else {},
    }
}
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="APO Secretariat <no-reply@apo-tokyo.org>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# Absolute links in e-mails and certificates (QR codes) start with this.
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000").rstrip("/")

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# A strict Content-Security-Policy: no inline scripts or styles anywhere.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Django's database sessions, read by a query compiled once per process (apopms/session_store.py).
SESSION_ENGINE = "apopms.session_store"
SESSION_COOKIE_HTTPONLY = True
if not DEBUG:
    SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31_536_000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True

# One line per event (time, level, web/worker/beat, logger) on stderr; see apopms/logs.py.
LOGGING = logs.logging_config(env.str("LOG_LEVEL", default="INFO"))
# Errors to Sentry (Django and Celery integrations) only when SENTRY_DSN is set; off otherwise.
SENTRY_ENABLED = logs.init_sentry(
    env.str("SENTRY_DSN", default=""),
    environment=env.str("SENTRY_ENVIRONMENT", default="production"),
    traces_sample_rate=env.float("SENTRY_TRACES_SAMPLE_RATE", default=0.0),
    release=env.str("SENTRY_RELEASE", default=""),
)

ADMIN_PATH = env.str("ADMIN_PATH", default="admin").strip("/")
# Development and tests serve static files from the finders; production from STATIC_ROOT.
WHITENOISE_AUTOREFRESH = DEBUG
WHITENOISE_USE_FINDERS = DEBUG
