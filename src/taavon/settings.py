"""Django settings for Taavon, read from the environment.

TAAVON_DATA_DIR       where the SQLite file, the secret key, uploads and collected static files live (./var)
TAAVON_DATABASE_URL   e.g. postgres://postgres@127.0.0.1:5432/taavon (default: SQLite in the data dir)
TAAVON_SECRET_KEY     generated once and kept in the data dir when not given
TAAVON_DEBUG          "1"/"true" to turn debug on (off by default)
TAAVON_ALLOWED_HOSTS  comma-separated (default: 127.0.0.1,localhost)
TAAVON_HTTPS          "1" in production behind nginx, which terminates TLS: HTTPS only (redirect, HSTS for a year),
                      secure cookies, the scheme from nginx's X-Forwarded-Proto and the client's address from the last
                      entry of X-Forwarded-For. nginx must send both:
                          proxy_set_header X-Forwarded-Proto $scheme;
                          proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
                      Off by default: `make demo` serves plain http on 127.0.0.1.
TAAVON_HSTS_INCLUDE_SUBDOMAINS  with TAAVON_HTTPS: HSTS covers the subdomains too (default "1"; "0" to keep them out)
TAAVON_HSTS_PRELOAD   with TAAVON_HTTPS: ask browsers to preload HSTS (default "0": a commitment not made by default)
TAAVON_BEHIND_PROXY   the client's address is the last in X-Forwarded-For (default: as TAAVON_HTTPS)
TAAVON_OTP_REQUIRED_ROLES  comma-separated staff roles (admin, provincial, county, viewer) that must sign in with a
                      one-time code (TOTP); empty by default: the second step is optional
"""

import os
import secrets
from pathlib import Path

import dj_database_url

BASE_DIR = Path(__file__).resolve().parent


def _flag(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


DATA_DIR = Path(os.environ.get("TAAVON_DATA_DIR", "var")).resolve()
DATA_DIR.mkdir(parents=True, exist_ok=True)


def _secret_key() -> str:
    given = os.environ.get("TAAVON_SECRET_KEY")
    if given:
        return given
    path = DATA_DIR / "secret_key"
    if not path.exists():
        # written aside, then linked into place: two processes starting at once (test workers, gunicorn's) never
        # read a half-written key, and the first one's key is the one kept
        aside = path.with_name(f"secret_key.{os.getpid()}")
        aside.write_text(secrets.token_urlsafe(50))
        aside.chmod(0o600)
        try:
            os.link(aside, path)
        except FileExistsError:
            pass
        finally:
            aside.unlink()
    return path.read_text().strip()


SECRET_KEY = _secret_key()
DEBUG = _flag("TAAVON_DEBUG")
ALLOWED_HOSTS = [
    h.strip() for h in os.environ.get("TAAVON_ALLOWED_HOSTS", "127.0.0.1,localhost").split(",") if h.strip()
]
if _flag("TAAVON_TESTING"):
    ALLOWED_HOSTS.append("testserver")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",  # Swagger UI's files for /api/v1/docs/, from our own static files
    "simple_history",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "csp",
    "django_tasks",
    "django_tasks_db",
    "taavon.core",
    "taavon.places",
    "taavon.accounts",
    "taavon.registry",
    "taavon.projects",
    "taavon.members",
    "taavon.triage",
    "taavon.servicedesk",
    "taavon.visits",
    "taavon.events",
    "taavon.festival",
    "taavon.imports",
    "taavon.reports",
    "taavon.public",
    "taavon.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",  # static files leave here, before the middleware below
    "csp.middleware.CSPMiddleware",
    "taavon.core.memo.RequestMemoMiddleware",  # what a request computes twice, once (taavon.core.memo)
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "taavon.core.middleware.LanguageMiddleware",  # the user's, else the cookie's, else Persian
    "django_otp.middleware.OTPMiddleware",
    "taavon.core.middleware.PrivateResponsesMiddleware",
    "taavon.core.middleware.IdleSessionMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "taavon.accounts.middleware.OTPRequiredMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "taavon.urls"
WSGI_APPLICATION = "taavon.wsgi.application"

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
                "django.template.context_processors.i18n",
            ],
            "builtins": ["django.templatetags.i18n", "taavon.core.templatetags.persian"],
        },
    }
]

_db_url = os.environ.get("TAAVON_DATABASE_URL", "").strip()
if _db_url:
    DATABASES = {"default": dj_database_url.parse(_db_url, conn_max_age=60)}
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": DATA_DIR / "taavon.sqlite3",
            "OPTIONS": {
                # cache_size: up to 128 MB of pages per connection (grown only when used); a large import's
                # transaction otherwise spills its pages to the WAL and reads them back (5× slower at 100,000 rows)
                "init_command": (
                    "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON; "
                    "PRAGMA cache_size=-131072; PRAGMA temp_store=MEMORY;"
                ),
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
            },
            # a new connection parses the whole schema (≈550 tables, indexes, triggers: 3–7 ms): keep it
            "CONN_MAX_AGE": 600,
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = ["axes.backends.AxesStandaloneBackend", "django.contrib.auth.backends.ModelBackend"]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 8}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "accounts:login"

# Failed logins lock the pair (user name, address): wrong passwords for a user from one address never lock that user
# out of other addresses. Attempts while locked are not recorded (the lockout is not extended); a successful login
# clears the pair's failures. A known device (one the user signed in from before: accounts.lockout) is never locked
# out; its own failures slow it down instead (accounts.lockout.known_device_wait).
AXES_FAILURE_LIMIT = 8
AXES_COOLOFF_TIME = 0.25  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "taavon.accounts.lockout.lockout_response"  # accounts/locked.html, with when to retry
AXES_WHITELIST_CALLABLE = "taavon.accounts.lockout.is_known_device"
AXES_CLIENT_IP_CALLABLE = "taavon.accounts.lockout.client_ip"
# The signed cookie that makes a browser a known device for the users who signed in with it (a year).
TAAVON_DEVICE_COOKIE_AGE = 365 * 24 * 60 * 60

# Sessions end after a working day without a request (the expiry moves forward with use: core.middleware).
SESSION_COOKIE_AGE = 8 * 60 * 60
TAAVON_SESSION_REFRESH_SECONDS = 60

# The optional second step (TOTP, django-otp): any staff member may enrol a device (accounts:otp_setup); once
# enrolled, they give its code after the password. These roles must enrol before using the system.
TAAVON_OTP_REQUIRED_ROLES = [
    r.strip() for r in os.environ.get("TAAVON_OTP_REQUIRED_ROLES", "").split(",") if r.strip()
]
OTP_TOTP_ISSUER = "Taavon"
OTP_ADMIN_HIDE_SENSITIVE_DATA = True  # the admin removes a lost device; it never shows a device's secret
TAAVON_OTP_PENDING_SECONDS = 5 * 60  # between the password and the code
TAAVON_OTP_MAX_TRIES = 5  # wrong codes before the password is asked again

LANGUAGE_CODE = "fa"
LANGUAGES = [("fa", "فارسی"), ("en", "English")]  # each in its own language: the switch shows them so
LANGUAGE_COOKIE_NAME = "taavon_language"
LANGUAGE_COOKIE_AGE = 365 * 24 * 60 * 60
LANGUAGE_COOKIE_SAMESITE = "Lax"
LANGUAGE_COOKIE_HTTPONLY = True
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Tehran"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = DATA_DIR / "media"
WHITENOISE_USE_FINDERS = True
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
TAAVON_EVIDENCE_MAX_BYTES = 10 * 1024 * 1024
# Uploaded documents are served by core.views.document after the jurisdiction check; behind nginx, the internal
# location that maps to MEDIA_ROOT (X-Accel-Redirect), or X-Sendfile for Apache/lighttpd.
TAAVON_X_ACCEL_REDIRECT = os.environ.get("TAAVON_X_ACCEL_REDIRECT", "")
TAAVON_X_SENDFILE = _flag("TAAVON_X_SENDFILE")
# An annual return is late when filed more than this many months after the fiscal year's end.
# the service desk: a closed request reopens within these days; offices open on Thursdays or not; office hours
# A visit's photo as sent from a phone (the page resizes it to 1600 px first; a larger one is refused).
TAAVON_VISIT_PHOTO_MAX_BYTES = 5 * 1024 * 1024
TAAVON_REOPEN_DAYS = int(os.environ.get("TAAVON_REOPEN_DAYS", "7"))
TAAVON_THURSDAY_OPEN = os.environ.get("TAAVON_THURSDAY_OPEN", "") == "1"
TAAVON_OFFICE_HOURS = os.environ.get("TAAVON_OFFICE_HOURS", "07:30-14:30")
# where replies' SMS go: "console" (the log) or "file" (a file in the data directory); no provider is called
TAAVON_SMS_BACKEND = os.environ.get("TAAVON_SMS_BACKEND", "taavon.servicedesk.sms.FileBackend")
TAAVON_RETURN_DEADLINE_MONTHS = int(os.environ.get("TAAVON_RETURN_DEADLINE_MONTHS", "4"))

SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True

# Production (TAAVON_HTTPS=1, behind nginx): HTTPS only; `taavon check --deploy` is clean with it.
TAAVON_HTTPS = _flag("TAAVON_HTTPS")
TAAVON_BEHIND_PROXY = _flag("TAAVON_BEHIND_PROXY", TAAVON_HTTPS)
if TAAVON_HTTPS:
    SECURE_SSL_REDIRECT = True
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = 365 * 24 * 60 * 60
    SECURE_HSTS_INCLUDE_SUBDOMAINS = _flag("TAAVON_HSTS_INCLUDE_SUBDOMAINS", True)
    SECURE_HSTS_PRELOAD = _flag("TAAVON_HSTS_PRELOAD")
    # Either choice, made on purpose, is not a warning of `check --deploy`.
    SILENCED_SYSTEM_CHECKS = [
        *([] if SECURE_HSTS_INCLUDE_SUBDOMAINS else ["security.W005"]),
        *([] if SECURE_HSTS_PRELOAD else ["security.W021"]),
    ]

# Content-Security-Policy (django-csp): only this site's own scripts, styles, fonts and images; no inline script or
# style (templates use static files, and <script type="application/json"> for data); never framed. Images also from
# data: URIs (Bootstrap's CSS draws its icons with them).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:", "blob:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

REST_FRAMEWORK = {
    # JSON only: the browsable HTML API's pages carry inline styles the Content-Security-Policy refuses
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_AUTHENTICATION_CLASSES": ["rest_framework.authentication.SessionAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    # the open data API (public.api): requests per client address
    "DEFAULT_THROTTLE_RATES": {"public_api": os.environ.get("TAAVON_API_RATE", "120/minute")},
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Taavon API",
    "VERSION": "1",
    "DESCRIPTION": "Open data of the cooperatives' register: read-only, anonymous, public fields only. Dates are ISO"
    " (Gregorian) with the Jalali date beside them; amounts are in rials. Data: CC BY 4.0; county names and"
    " identifiers: © OpenStreetMap contributors, ODbL. Bulk files: /opendata/.",
    "LICENSE": {"name": "CC BY 4.0 (data)", "url": "https://creativecommons.org/licenses/by/4.0/"},
    "SERVE_PERMISSIONS": ["rest_framework.permissions.AllowAny"],
    "SERVE_AUTHENTICATION": [],
}
# The bulk downloads (public.opendata): built here, rebuilt when older than a day (see docs/open-data.md).
TAAVON_OPENDATA_DIR = Path(os.environ.get("TAAVON_OPENDATA_DIR", DATA_DIR / "opendata"))

# Background work (imports): a database queue, run by `taavon db_worker` (started by `taavon serve`).
TASKS = {"default": {"BACKEND": os.environ.get("TAAVON_TASKS_BACKEND", "django_tasks_db.DatabaseBackend")}}
# Shared by the web workers and the background worker (import progress).
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
        "LOCATION": DATA_DIR / "cache",
    },
    # public pages for anonymous visitors (public.page_cache): in each worker's memory, keyed on the data's version
    "public_pages": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "taavon-public-pages",
        "OPTIONS": {"MAX_ENTRIES": 2000},
    },
}

# The province this installation serves (ISO 3166-2); the demo is Lorestan.
TAAVON_HOME_PROVINCE = os.environ.get("TAAVON_HOME_PROVINCE", "IR-15")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"quiet_refusals": {"()": "taavon.core.logs.QuietRefusals"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "filters": ["quiet_refusals"]}},
    "root": {"handlers": ["console"], "level": "WARNING"},
}
