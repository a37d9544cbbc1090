"""Settings for Beijing Benefits Finder, read from the environment.

With nothing set the site runs in development mode on an embedded SQLite file, so the README's
first command works on a fresh clone. Production sets SECRET_KEY, DEBUG=0, ALLOWED_HOSTS and
DATABASE_URL (PostgreSQL).
"""

import datetime as dt
import os
from pathlib import Path

import dj_database_url
from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG", True)
SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise RuntimeError("SECRET_KEY must be set when DEBUG is off.")
    SECRET_KEY = "dev-only-insecure-key-not-for-production-use-0123456789abcdef"

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1],testserver")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_htmx",
    "crispy_forms",
    "crispy_bootstrap5",
    "ninja",
    "simple_history",
    "import_export",
    "config.apps.AxesConfig",  # django-axes, named for staff
    "django_tasks_db",
    "benefits",
    "eligibility",
]

MIDDLEWARE = [
    "config.observability.RequestLogMiddleware",
    "config.middleware.PermissionsPolicyMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "config.observability.ServiceUnavailableMiddleware",
    # Under /api/: every error in the JSON envelope, the Catalogue-Publication header.
    "eligibility.api_http.ApiResponseMiddleware",
    "config.middleware.IdleSessionMiddleware",
    "config.middleware.ChosenLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    # A NUL byte or invalid UTF-8 anywhere: 400 before any view (or database) sees it.
    "config.middleware.BadBytesMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "config.middleware.StaffFormLimitsMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "benefits.middleware.PublishedCatalogueMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "axes.middleware.AxesMiddleware",
    "django_ratelimit.middleware.RatelimitMiddleware",
]

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",  # refuses logins while locked out
    "django.contrib.auth.backends.ModelBackend",
]
# Staff logins (config/staff_login.py): a username is locked at one address after 5 failures,
# an address after 20 failures across usernames; never a username everywhere, so nobody can
# lock a colleague out from elsewhere. Locks lift by themselves after 30 minutes.
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"], "ip_address"]
AXES_FAILURE_LIMIT = "config.staff_login.login_failure_limit"
AXES_HANDLER = "config.staff_login.StaffLoginHandler"
AXES_CLIENT_IP_CALLABLE = "config.staff_login.login_address"  # the rate limits' address
AXES_COOLOFF_TIME = dt.timedelta(minutes=30)
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "config.errors.staff_locked_out"  # the lockout page, in Chinese
# axes.W006 asks to lock by IP too; deliberately not done: a whole bureau behind one address
# would be locked out by one mistyping colleague. Guessing is slowed per username instead.
SILENCED_SYSTEM_CHECKS = ["axes.W006", "django_ratelimit.W001"]
SILENCED_SYSTEM_CHECKS = ["django_ratelimit.W001"]

ROOT_URLCONF = "config.urls"
CSRF_FAILURE_VIEW = "config.errors.csrf_failure"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "eligibility.context_processors.preferences",
            ],
        },
    },
]

WHITENOISE_USE_FINDERS = DEBUG  # development serves static files straight from the apps

WSGI_APPLICATION = "config.wsgi.application"

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "60")),
    )
}

if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # A slow database fails fast (the resident gets the 503 page) instead of piling up workers.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"connect_timeout": 5, "options": "-c statement_timeout=5000"}
    )

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Sessions live in the database: the cookie carries only a random key, so a resident's answers
# are never readable in it, it cannot grow, and a logout revokes the session on the server.
# Residents' sessions end after 2 idle hours (every request renews them, writing the row at most
# once in 5 minutes: config/sessions.py); staff sessions end 8 hours after login however active
# (benefits/staff_sessions.py). `manage.py clearsessions` deletes ended sessions: run it daily
# (cron), like purge_expired_results.
SESSION_ENGINE = "config.sessions"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = 2 * 60 * 60

# Security headers. Production (DEBUG=0) sits behind a TLS-terminating proxy (nginx).
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if not DEBUG:
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", str(365 * 24 * 3600)))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    # Cookies only over HTTPS (SECURE_COOKIES=0 only for plain-HTTP load tests on loopback).
    SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = LANGUAGE_COOKIE_SECURE = env_bool(
        "SECURE_COOKIES", True
    )
# Every cookie (session, CSRF, language, large text) is sent on same-site requests and
# top-level links only; in production only over HTTPS (the large-text cookie follows the
# session's setting, see eligibility.views.toggle_elderly_mode).
CSRF_COOKIE_SAMESITE = LANGUAGE_COOKIE_SAMESITE = "Lax"
SECURE_CSP: dict[str, list[str]] = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "object-src": [CSP.NONE],
}

# Rate limits (django-ratelimit): per client address, counted in their own cache, never the
# page cache (whose evictions would forget them). By default each process's memory: with N
# processes a client gets up to N times the rate, still a hard bound; RATELIMIT_REDIS_URL
# shares the counters between processes. django-ratelimit refuses the database cache.
# RATELIMIT_ENABLE=0 turns them off (load benchmarks).
RATELIMIT_ENABLE = env_bool("RATELIMIT_ENABLE", True)
RATELIMIT_VIEW = "eligibility.throttling.rate_limited"
RATELIMIT_USE_CACHE = "ratelimit"
RATELIMIT_SCREEN = os.environ.get("RATELIMIT_SCREEN", "120/m")
# Unknown saved-sheet codes a client may try (/r/<code>/, its PDF, GET /api/v1/sheets/{code}).
RATELIMIT_CODE_MISSES = os.environ.get("RATELIMIT_CODE_MISSES", "20/10m")
RATELIMIT_REDIS_URL = os.environ.get("RATELIMIT_REDIS_URL", "")
# Renders a result sheet's PDF in a given number of minutes per client address (the PDF is then
# kept; eligibility.sheet_pdfs). Serving a stored PDF is not counted.
RATELIMIT_PDF_RENDERS = os.environ.get("RATELIMIT_PDF_RENDERS", "5/m")
# Each worker looks for a newer catalogue publication at most this often (one small query);
# the requests in between make none. The worker that publishes drops its snapshot at once.
CATALOGUE_CHECK_SECONDS = float(os.environ.get("CATALOGUE_CHECK_SECONDS", "2"))
# Template fragments ({% cache %}: the pages' chrome) in each process's memory. (Whole rendered
# pages are kept by eligibility.pagecache, at most 16 MB per worker.)
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "OPTIONS": {"MAX_ENTRIES": 300},
    },
    "ratelimit": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache"
        if RATELIMIT_REDIS_URL
        else "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": RATELIMIT_REDIS_URL or "ratelimit",
        "OPTIONS": {} if RATELIMIT_REDIS_URL else {"MAX_ENTRIES": 100_000},
    },
}

# Errors are reported: with DEBUG off every 500 is mailed to ADMINS (comma-separated addresses),
# through the SMTP server EMAIL_HOST, without residents' answers, cookies or sheet codes
# (config.observability.PrivateErrorReporter).
ADMINS = env_list("ADMINS", "")
SERVER_EMAIL = os.environ.get("SERVER_EMAIL", "benefits-finder@localhost")
MAILERS = {
    "default": {
        "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "OPTIONS": {
            "host": os.environ.get("EMAIL_HOST", "localhost"),
            "port": int(os.environ.get("EMAIL_PORT", "25")),
            "username": os.environ.get("EMAIL_HOST_USER", ""),
            "password": os.environ.get("EMAIL_HOST_PASSWORD", ""),
            "use_tls": env_bool("EMAIL_USE_TLS", False),
            "timeout": 10,
        },
    }
}
DEFAULT_EXCEPTION_REPORTER = "config.observability.PrivateErrorReporter"
DEFAULT_EXCEPTION_REPORTER_FILTER = "config.observability.PrivateErrorFilter"
# Background tasks (Django's tasks framework) are queued in the database and run by
# `manage.py db_worker` (django-tasks-db), started by scripts/serve and in deploy/: rendering a
# sheet's PDF (~0.5 s of CPU, ~200 MB of WeasyPrint memory) stays off the web workers.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
# A PDF queued this many seconds while no worker started or finished any task (none running) is
# rendered by the web request that asks for it, within the client's render limit.
PDF_INLINE_AFTER_SECONDS = int(os.environ.get("PDF_INLINE_AFTER_SECONDS", "15"))

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"json": {"()": "config.observability.JsonFormatter"}},
    "filters": {
        "redact_sheet_codes": {"()": "config.observability.RedactSheetCodes"},
        "require_debug_false": {"()": "django.utils.log.RequireDebugFalse"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "json",
            "filters": ["redact_sheet_codes"],
        },
        "mail_admins": {
            "level": "ERROR",
            "class": "django.utils.log.AdminEmailHandler",
            "filters": ["require_debug_false", "redact_sheet_codes"],
            "include_html": False,
        },
    },
    "loggers": {
        "requests": {"handlers": ["console"], "level": "INFO", "propagate": False},
        "django": {"handlers": ["console", "mail_admins"], "level": "WARNING"},
        "eligibility": {"handlers": ["console"], "level": "WARNING"},
    },
}

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", _("简体中文")), ("en", _("English"))]
# The project's messages (makemessages writes there), then Chinese for third-party apps that
# ship none (django-axes' admin pages), kept apart so makemessages leaves it alone.
LOCALE_PATHS = [BASE_DIR / "locale", BASE_DIR / "locale_vendor"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = BASE_DIR / "staticfiles"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        # Hashed, compressed files served by WhiteNoise in production (run collectstatic).
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}

# A bad import file changes nothing: each import runs in one transaction.
IMPORT_EXPORT_USE_TRANSACTIONS = True

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# The screening API refuses bodies over 64 KiB (413); Django enforces the same limit on forms.
DATA_UPLOAD_MAX_MEMORY_SIZE = 64 * 1024
# Signed-in staff in the admin only (config.middleware.StaffFormLimitsMiddleware): a gazette
# document's full text or a long table with its rows is saved in one form.
ADMIN_DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
ADMIN_DATA_UPLOAD_MAX_NUMBER_FIELDS = 20_000

# Where the catalogue YAML lives; `manage.py load_catalogue` reads it.
CATALOGUE_DIR = Path(os.environ.get("CATALOGUE_DIR", BASE_DIR / "benefits" / "catalogue"))

NINJA_PAGINATION_PER_PAGE = 200
