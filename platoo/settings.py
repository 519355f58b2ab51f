"""Platoo settings: one module, read from environment variables.

Every default runs with no setup: SQLite under ./var, console email, immediate tasks.
Set DATABASE_URL to a postgres:// URL for the production path.
"""

import contextlib
import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.getenv("PLATOO_VAR_DIR", BASE_DIR / "var"))
VAR_DIR.mkdir(parents=True, exist_ok=True)  # the default SQLite file and uploads live here


def envbool(name: str, default: bool) -> bool:
    value = os.getenv(name)
    if value is None or value == "":
        return default
    if value.lower() in ("1", "true", "yes", "on"):
        return True
    if value.lower() in ("0", "false", "no", "off"):
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {value!r}")


def envint(name: str, default: int) -> int:
    value = os.getenv(name)
    if value is None or value == "":
        return default
    try:
        return int(value)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {value!r}") from exc


def envsecret(name: str, default: str) -> str:
    """A secret from NAME, or from the file named by NAME_FILE."""
    path = os.getenv(f"{name}_FILE")
    if path:
        return Path(path).read_text().strip()
    return os.getenv(name, default)


DEBUG = envbool("DEBUG", False)
SECRET_KEY = envsecret("SECRET_KEY", "platoo-development-key-change-me-in-production-0123456789")
ALLOWED_HOSTS = os.getenv("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver").split(",")
CSRF_TRUSTED_ORIGINS = [o for o in os.getenv("CSRF_TRUSTED_ORIGINS", "").split(",") if o]
SITE_NAME = os.getenv("SITE_NAME", "Platoo")
SITE_URL = os.getenv("SITE_URL", "http://127.0.0.1:8000")

# "open": anyone may sign up; "invite": only with an invitation from staff.
SIGNUP_MODE = os.getenv("SIGNUP_MODE", "open")
if SIGNUP_MODE not in ("open", "invite"):
    raise ImproperlyConfigured("SIGNUP_MODE must be 'open' or 'invite'")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "ninja",  # API v1 docs: Swagger UI from its own static files, not a CDN
    "django_tasks",
    "django_tasks_db",
    "platoo.accounts",
    "platoo.activity",
    "platoo.network",
    "platoo.knowledge",
    "platoo.communities",
    "platoo.events",
    "platoo.cycle",
    "platoo.search",
    "platoo.netmap",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "platoo.lib.middleware.ThaiFirstLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "platoo.urls"
WSGI_APPLICATION = "platoo.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "platoo" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "platoo.lib.context.site",
            ],
            "builtins": ["platoo.lib.templatetags.platoo"],
        },
    }
]

DATABASE_URL = os.getenv("DATABASE_URL", f"sqlite:///{VAR_DIR / 'platoo.sqlite3'}")
DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=envint("DB_CONN_MAX_AGE", 60))}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = {
        # WAL lets readers and one writer work at once; IMMEDIATE avoids upgrade deadlocks.
        "transaction_mode": "IMMEDIATE",
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=5000;"
            # Memory-mapped reads: search touches thousands of scattered rows per query.
            f" PRAGMA mmap_size={envint('SQLITE_MMAP_MB', 1024) * 1024 * 1024}; PRAGMA cache_size=-65536;"
            # Search's intermediate results (tens of thousands of hits) are sorted and grouped in memory.
            " PRAGMA temp_store=MEMORY;"
        ),
    }
DATABASES["default"]["TEST"] = {"NAME": os.getenv("TEST_DATABASE_NAME") or None}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "home"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "th"
LANGUAGES = [("th", _("Thai")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "platoo" / "locale"]
TIME_ZONE = "Asia/Bangkok"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(os.getenv("STATIC_ROOT", VAR_DIR / "static"))
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # whitenoise expects it even before collectstatic
STATICFILES_DIRS = [BASE_DIR / "platoo" / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.getenv("MEDIA_ROOT", VAR_DIR / "media"))
STORAGES = {
    # FileSystemStorage by default; any S3-compatible storage (django-storages) plugs in here.
    "default": {"BACKEND": os.getenv("FILE_STORAGE", "django.core.files.storage.FileSystemStorage")},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if envbool("STATIC_MANIFEST", not DEBUG)
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = DEBUG

# Uploads: a clear limit, checked by the forms before anything is stored.
MAX_UPLOAD_MB = envint("MAX_UPLOAD_MB", 20)
MAX_IMAGE_MB = envint("MAX_IMAGE_MB", 5)
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

EMAIL_BACKEND = os.getenv("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = os.getenv("EMAIL_HOST", "localhost")
EMAIL_PORT = envint("EMAIL_PORT", 25)
EMAIL_HOST_USER = os.getenv("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = envsecret("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = envbool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = os.getenv("DEFAULT_FROM_EMAIL", "Platoo <noreply@platoo.local>")

# Background work: immediate by default (and in tests); TASK_BACKEND=database with `manage.py db_worker`.
TASKS = {
    "default": {
        "BACKEND": "django_tasks_db.DatabaseBackend"
        if os.getenv("TASK_BACKEND") == "database"
        else "django_tasks.backends.immediate.ImmediateBackend"
    }
}

# A CoP "meets continuously" (the network's indicator) with no gap between meetings longer than this.
COP_MEETING_INTERVAL_DAYS = envint("COP_MEETING_INTERVAL_DAYS", 62)

# The annual fair (platoo/events/fair.py) waits for a network this old, holding this many verified stories.
FAIR_MIN_NETWORK_YEARS = envint("FAIR_MIN_NETWORK_YEARS", 2)
FAIR_MIN_VERIFIED_STORIES = envint("FAIR_MIN_VERIFIED_STORIES", 30)

# The critical knowledge cycle (platoo/cycle): expert panels of this many experts review critical knowledge.
CYCLE_PANEL_MIN_EXPERTS = envint("CYCLE_PANEL_MIN_EXPERTS", 5)
CYCLE_PANEL_MAX_EXPERTS = envint("CYCLE_PANEL_MAX_EXPERTS", 7)
# A panel is reminded of knowledge due for re-verification again after this many days without action.
CYCLE_REVERIFY_REMIND_DAYS = envint("CYCLE_REVERIFY_REMIND_DAYS", 14)

# The network map (platoo/netmap): how much a browser is asked to draw, and when measures are left to
# the background worker (see platoo/netmap/measures.py for the cost model these numbers feed).
NETMAP_NODE_BUDGET = envint("NETMAP_NODE_BUDGET", 1500)
NETMAP_EDGE_BUDGET = envint("NETMAP_EDGE_BUDGET", 6000)
NETMAP_MEASURES_SYNC_MS = envint("NETMAP_MEASURES_SYNC_MS", 1000)
NETMAP_MEASURES_MAX_AGE_MINUTES = envint("NETMAP_MEASURES_MAX_AGE_MINUTES", 60)
NETMAP_EXACT_BETWEENNESS_NODES = envint("NETMAP_EXACT_BETWEENNESS_NODES", 2000)
NETMAP_BETWEENNESS_SAMPLES = envint("NETMAP_BETWEENNESS_SAMPLES", 200)

CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": os.environ["REDIS_URL"]}
    if os.getenv("REDIS_URL")
    else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
}

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = envbool("SECURE_COOKIES", False)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.getenv("LOG_LEVEL", "WARNING")},
}

with contextlib.suppress(ImportError):
    from .local_settings import *  # noqa: F403
