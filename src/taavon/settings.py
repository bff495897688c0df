"""Django settings for Taavon, read from the environment.

TAAVON_DATA_DIR       where the SQLite file, the secret key, uploads and collected static files live (./var)
TAAVON_DATABASE_URL   e.g. postgres://postgres@127.0.0.1:5432/taavon (default: SQLite in the data dir)
TAAVON_SECRET_KEY     generated once and kept in the data dir when not given
TAAVON_DEBUG          "1"/"true" to turn debug on (off by default)
TAAVON_ALLOWED_HOSTS  comma-separated (default: 127.0.0.1,localhost)
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
    "simple_history",
    "axes",
    "django_tasks",
    "django_tasks_db",
    "taavon.core",
    "taavon.places",
    "taavon.accounts",
    "taavon.registry",
    "taavon.projects",
    "taavon.members",
    "taavon.imports",
    "taavon.reports",
    "taavon.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
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
            "builtins": ["taavon.core.templatetags.persian"],
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

AXES_FAILURE_LIMIT = 8
AXES_COOLOFF_TIME = 0.25  # hours
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_LOCKOUT_TEMPLATE = "accounts/locked.html"

LANGUAGE_CODE = "fa"
LANGUAGES = [("fa", "فارسی"), ("en", "English")]
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
TAAVON_RETURN_DEADLINE_MONTHS = int(os.environ.get("TAAVON_RETURN_DEADLINE_MONTHS", "4"))

SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True

REST_FRAMEWORK = {
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_AUTHENTICATION_CLASSES": ["rest_framework.authentication.SessionAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
}
SPECTACULAR_SETTINGS = {"TITLE": "Taavon API", "VERSION": "1"}

# Background work (imports): a database queue, run by `taavon db_worker` (started by `taavon serve`).
TASKS = {"default": {"BACKEND": os.environ.get("TAAVON_TASKS_BACKEND", "django_tasks_db.DatabaseBackend")}}
# Shared by the web workers and the background worker (import progress).
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
        "LOCATION": DATA_DIR / "cache",
    }
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
