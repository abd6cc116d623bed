"""Gongkai settings, read from the environment only (DESIGN §5).

Every variable is optional. Without any, the portal runs on the embedded default:
a SQLite file and Celery on kombu's filesystem transport under ``var/``.
With ``DEBUG`` off the defaults are the safe production ones and ``SECRET_KEY``
must be given.
"""

import ipaddress
from datetime import timedelta
from pathlib import Path

import environ
from csp.constants import NONCE, NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(environ.Env().str("GONGKAI_VAR_DIR", default=str(BASE_DIR / "var")))

env = environ.Env()

DEBUG = env.bool("DEBUG", default=False)

# A development key is only acceptable when DEBUG is on; a production process
# without SECRET_KEY must refuse to start rather than sign cookies with a known key.
SECRET_KEY = env.str("SECRET_KEY", default="")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY is not set. Set the SECRET_KEY environment variable "
            "(or DEBUG=1 for local development)."
        )
    SECRET_KEY = "django-insecure-gongkai-development-only"

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.postgres",  # SearchVectorField / GinIndex of the search index (portal/search/)
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",  # Swagger UI served from our own static files, no CDN
    "guardian",
    "simple_history",
    "import_export",
    "django_celery_beat",
    "csp",
    "portal.apps.LoginAttemptsConfig",  # django-axes, with a translated name in the admin
    "portal.apps.PortalConfig",
    "disclosures.apps.DisclosuresConfig",
    "approvals.apps.ApprovalsConfig",
    "supervision.apps.SupervisionConfig",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "portal.headers.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    # ?original=1: content as filed instead of in the reader's script (portal.chinese).
    "portal.chinese.OriginalTextMiddleware",
    "django.middleware.common.CommonMiddleware",
    # ETag on every answer (pages, feeds, API) and 304 to a reader who already has it.
    "django.middleware.http.ConditionalGetMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # After locale, CSRF and auth (its pages are translated and set the CSRF cookie), yet
    # still before every process_view: malformed requests get a 4xx page (issue 11 §8).
    "portal.bad_requests.BadRequestMiddleware",
    # A statement cancelled by statement_timeout becomes a 503 page, not a 500.
    "portal.timeouts.StatementTimeoutMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, as django-axes asks: it turns a lockout noticed during login into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "portal.urls"
WSGI_APPLICATION = "portal.wsgi.application"

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
                "portal.care.context",
                "portal.chinese.context",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------------
DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'gongkai.sqlite3'}"),
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    VAR_DIR.mkdir(parents=True, exist_ok=True)  # the embedded default keeps its file under var/
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Chinese text, and the search index's `simple` tsvector over jieba's words (docs/search.md),
    # need a UTF-8 database; template0 lets the test database be created in UTF-8 whatever
    # the cluster's default encoding is.
    DATABASES["default"].setdefault("TEST", {}).update({"TEMPLATE": "template0", "CHARSET": "UTF8"})
    DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("CONN_MAX_AGE", default=60))
    DATABASES["default"].setdefault("CONN_HEALTH_CHECKS", True)
    # Safe behind a transaction-pooling pgbouncer, and no named cursor can outlive the
    # transaction that made it; iterators still fetch in chunks on the client.
    DATABASES["default"].setdefault("DISABLE_SERVER_SIDE_CURSORS", True)
    # Web processes (portal/wsgi.py sets GONGKAI_WEB) give every statement at most this
    # long, below gunicorn's worker timeout (30 s): PostgreSQL itself cancels a runaway
    # query, which a killed worker would leave running, and the reader gets a clear page
    # (portal.timeouts). Workers, beat and commands are not limited.
    if env.bool("GONGKAI_WEB", default=False):
        timeout_ms = env.int("GONGKAI_STATEMENT_TIMEOUT_MS", default=10_000)
        DATABASES["default"].setdefault("OPTIONS", {})["options"] = f"-c statement_timeout={timeout_ms}"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache and Celery broker ----------------------------------------------------
REDIS_URL = env.str("REDIS_URL", default="")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "portal.cache.TolerantRedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "gongkai",
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        }
    }
    CACHES["progress"] = dict(CACHES["default"])  # what web processes and workers must all see
    CELERY_BROKER_URL = REDIS_URL
    CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 3600}
else:
    # The embedded default: no server needed. A filesystem broker is shared by the
    # web process, the worker and beat on one machine.
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
        # What the web processes and the worker must all see (an import's progress):
        # files beside the embedded broker.
        "progress": {"BACKEND": "django.core.cache.backends.filebased.FileBasedCache", "LOCATION": str(VAR_DIR / "progress")},
    }
    _broker_dir = VAR_DIR / "broker"
    for _folder in ("queue", "processed", "control"):
        (_broker_dir / _folder).mkdir(parents=True, exist_ok=True)
    CELERY_BROKER_URL = "filesystem://"
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_broker_dir / "queue"),
        "data_folder_out": str(_broker_dir / "queue"),
        "processed_folder": str(_broker_dir / "processed"),
        "store_processed": False,
        "control_folder": str(_broker_dir / "control"),
    }

CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_TASK_TIME_LIMIT = 300
CELERY_TASK_SOFT_TIME_LIMIT = 240
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BROKER_CONNECTION_TIMEOUT = 2  # a web request never waits long for a dead broker
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
CELERY_TIMEZONE = "Asia/Shanghai"

# --- Auth -----------------------------------------------------------------------
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",  # first: a locked-out login is refused before any password check
    "django.contrib.auth.backends.ModelBackend",
    "guardian.backends.ObjectPermissionBackend",
]
ANONYMOUS_USER_NAME = None  # guardian: no anonymous user row; citizens need no grants
GUARDIAN_RAISE_403 = False
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "admin:login"
# Django's database sessions; a cookie that cannot be a session key is no session (portal.sessions).
SESSION_ENGINE = "portal.sessions"

# Login guessing (django-axes): after this many wrong passwords for one account from one
# address, that pair is locked out for the cool-off time. Per pair, not per account or per
# address alone: nobody can lock the supervisor out from elsewhere by guessing their
# password, and one office behind a shared address does not lock its colleagues out.
# A superuser unlocks early by deleting the pair's access attempt in the admin.
AXES_FAILURE_LIMIT = env.int("GONGKAI_LOGIN_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("GONGKAI_LOGIN_COOLOFF_MINUTES", default=30)) or None
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_CLIENT_IP_CALLABLE = "portal.throttle.client_address"
AXES_LOCKOUT_CALLABLE = "portal.login_attempts.login_locked_out"
AXES_USERNAME_CALLABLE = "portal.login_attempts.attempted_username"  # cut to an account name's length
if AXES_FAILURE_LIMIT < 1:
    raise ImproperlyConfigured("GONGKAI_LOGIN_FAILURE_LIMIT must be at least 1.")

# --- Languages and time ---------------------------------------------------------
LANGUAGE_CODE = "zh-hant"
LANGUAGES = [
    ("zh-hant", _("Traditional Chinese")),
    ("zh-hans", _("Simplified Chinese")),
    ("en", _("English")),
]
# The project's catalogue first; then Traditional Chinese for libraries that ship only Simplified
# (portal.locale_libraries).
LOCALE_PATHS = [BASE_DIR / "locale", BASE_DIR / "locale_libraries"]
LANGUAGE_COOKIE_NAME = "gongkai_language"
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

# --- Static and uploaded files --------------------------------------------------
STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(env.str("STATIC_ROOT", default=str(VAR_DIR / "staticfiles")))
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env.str("MEDIA_ROOT", default=str(VAR_DIR / "media")))
# Uploads always go through Django's storage API. Several web machines share one
# S3-compatible store when AWS_STORAGE_BUCKET_NAME is set (django-storages reads
# the other AWS_* variables itself).
AWS_STORAGE_BUCKET_NAME = env.str("AWS_STORAGE_BUCKET_NAME", default="")
if AWS_STORAGE_BUCKET_NAME:
    AWS_S3_ENDPOINT_URL = env.str("AWS_S3_ENDPOINT_URL", default=None)
    AWS_S3_REGION_NAME = env.str("AWS_S3_REGION_NAME", default=None)
    AWS_DEFAULT_ACL = None
    AWS_QUERYSTRING_AUTH = True
    _default_storage = {"BACKEND": "storages.backends.s3.S3Storage"}
else:
    _default_storage = {"BACKEND": "django.core.files.storage.FileSystemStorage"}
STORAGES = {
    "default": _default_storage,
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_PERMISSIONS = 0o640

# --- E-mail ---------------------------------------------------------------------
EMAIL_CONFIG = env.email_url("EMAIL_URL", default="consolemail://")
vars().update(EMAIL_CONFIG)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="gongkai@localhost")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# E-mail is sent by a Celery task (portal.notify); while the mail server fails it tries
# again after this many seconds, doubling each time up to an hour, eight times.
GONGKAI_EMAIL_RETRY_DELAY = env.float("GONGKAI_EMAIL_RETRY_DELAY", default=60)
# Where the site is reached from outside: links in e-mails are made absolute with it.
SITE_URL = env.str("SITE_URL", default="http://localhost:8000")

# --- Security (safe unless DEBUG) -----------------------------------------------
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=not DEBUG)
SESSION_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SECURE = not DEBUG
LANGUAGE_COOKIE_SECURE = not DEBUG
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = not DEBUG
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Content-Security-Policy on every response (django-csp 4; portal.headers adds what the admin
# and the API docs need). No inline script anywhere: our templates load script files, and the
# one library page with an inline script gets the request's nonce.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [NONE],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}
SILENCED_SYSTEM_CHECKS = []

# Reverse proxies in front of the portal: addresses or CIDR networks, comma-separated.
# Only a request whose immediate peer is one of them has its X-Forwarded-For read, from the
# right (portal.throttle.client_address). A list, not a count of proxies: with a count, a
# client reaching gunicorn directly (a health-check port, a second listener, a forgotten
# firewall rule) could name any address it liked; with a list, such a request is simply
# counted under its own address. Empty: X-Forwarded-For is never read.
GONGKAI_TRUSTED_PROXIES = env.list("GONGKAI_TRUSTED_PROXIES", default=[])
for _proxy in GONGKAI_TRUSTED_PROXIES:
    try:
        ipaddress.ip_network(_proxy.strip(), strict=False)
    except ValueError:
        raise ImproperlyConfigured(
            f"GONGKAI_TRUSTED_PROXIES: {_proxy!r} is not an address or a network (e.g. 10.0.0.5 or 10.0.0.0/24)."
        ) from None

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
}

# --- Portal ---------------------------------------------------------------------
# Anonymous public pages are cached this long at most (portal.page_cache; 0: not cached).
# Publications invalidate them at once; the limit bounds what a lost invalidation costs.
GONGKAI_PAGE_CACHE_SECONDS = env.int("GONGKAI_PAGE_CACHE_SECONDS", default=300)
# A publication's search entry is written by a Celery worker (portal.reindex_search), not
# by the publishing request; off, it is written in the web process after the commit.
GONGKAI_SEARCH_INDEX_IN_WORKER = env.bool("GONGKAI_SEARCH_INDEX_IN_WORKER", default=True)
GONGKAI_COMPLAINT_MAX_REOPENS = env.int("GONGKAI_COMPLAINT_MAX_REOPENS", default=1)
#: Working days the complainant has to rate a reply before the supervision office may close it.
GONGKAI_COMPLAINT_RATING_DAYS = env.int("GONGKAI_COMPLAINT_RATING_DAYS", default=5)
GONGKAI_UPLOAD_MAX_BYTES = env.int("GONGKAI_UPLOAD_MAX_BYTES", default=20 * 1024 * 1024)
# A citizen's whole complaint: five attachments and the text.
GONGKAI_COMPLAINT_MAX_REQUEST_BYTES = env.int(
    "GONGKAI_COMPLAINT_MAX_REQUEST_BYTES", default=5 * GONGKAI_UPLOAD_MAX_BYTES + 1024 * 1024
)
SIMPLE_HISTORY_REVERT_DISABLED = True  # history is a record; reverting is an edit in its own right
IMPORT_EXPORT_SKIP_ADMIN_LOG = False
# Import and export (portal.resources): one transaction per import, so a file with any bad
# row imports nothing; a row limit; cells a spreadsheet would run as a formula are quoted on export.
IMPORT_EXPORT_USE_TRANSACTIONS = True
IMPORT_EXPORT_ESCAPE_FORMULAE_ON_EXPORT = True
GONGKAI_IMPORT_MAX_ROWS = env.int("GONGKAI_IMPORT_MAX_ROWS", default=5000)
# Import files are refused before they are read whole when larger than this (portal.import_files):
# the file as uploaded, and what an XLSX workbook (a zip archive) unpacks to.
GONGKAI_IMPORT_MAX_BYTES = env.int("GONGKAI_IMPORT_MAX_BYTES", default=20 * 1024 * 1024)
GONGKAI_IMPORT_MAX_UNPACKED_BYTES = env.int("GONGKAI_IMPORT_MAX_UNPACKED_BYTES", default=32 * 1024 * 1024)
# A file of more rows is checked and imported by a Celery worker, its progress shown on the
# import's page (portal.import_jobs); a smaller one within the request, as before.
GONGKAI_IMPORT_SYNC_ROWS = env.int("GONGKAI_IMPORT_SYNC_ROWS", default=300)
# An uploaded import file not confirmed within this time is deleted (by the beat task
# portal.expire_import_files, and at each upload).
GONGKAI_IMPORT_KEEP_SECONDS = env.int("GONGKAI_IMPORT_KEEP_SECONDS", default=3600)

# --- The national standard catalogue (disclosures.time_limits, docs/catalogue.md) ----
# Working days counted for a time limit written without a figure: "及時公開", "實時公開",
# a periodic one ("按年度": days after the period ends), and one not understood at all.
GONGKAI_CATALOGUE_PROMPT_DAYS = env.int("GONGKAI_CATALOGUE_PROMPT_DAYS", default=5)
GONGKAI_CATALOGUE_REAL_TIME_DAYS = env.int("GONGKAI_CATALOGUE_REAL_TIME_DAYS", default=1)
GONGKAI_CATALOGUE_DEFAULT_DAYS = env.int("GONGKAI_CATALOGUE_DEFAULT_DAYS", default=20)

# --- Open-data API (portal.api, /api/v1/) -----------------------------------------
# Read-only and anonymous: no authentication is even attempted, so the API can only
# ever show what the public may read (each endpoint also asks for it explicitly).
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],  # + CSV: portal.api.ReadOnlyViewSet
    "DEFAULT_PARSER_CLASSES": [],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "URL_FORMAT_OVERRIDE": "format",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Gongkai open data",
    "DESCRIPTION": "Read-only open data of the county's government-affairs disclosures: JSON and CSV.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
}
