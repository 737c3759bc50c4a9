"""Settings shared by every environment, read from the environment.

No variable set gives a working development site on SQLite (see dev.py); the
production module refuses to start without a real secret key. Every variable is
listed in the README.
"""

import ipaddress
import warnings
from pathlib import Path
from typing import Any

import environ
from django.utils.csp import CSP

from core.sms import parse_templates as sms_templates
from core.sms import parse_url as sms_url

BASE_DIR = Path(__file__).resolve().parent.parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEV_SECRET_KEY = "dev-insecure-key-only-for-local-runs-never-in-production"
SECRET_KEY = env("SECRET_KEY", default=DEV_SECRET_KEY)
DEBUG = env.bool("DEBUG", default=False)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    # modeltranslation patches the admin, so it must come before it.
    "modeltranslation",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    # /sitemap.xml (portal.sitemaps); no sites framework: SITE_URL is the domain.
    "django.contrib.sitemaps",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "axes",
    # The queue of background tasks (e-mails) in PostgreSQL, run by `manage.py db_worker`.
    "django_tasks_db",
    "core",
    "accounts",
    "organizations",
    "cooperation",
    "marketplace",
    "tours",
    "resellers",
    "portal",
]

MIDDLEWARE = [
    # X-Forwarded-Proto is believed only from a trusted proxy (TRUSTED_PROXIES).
    "core.middleware.ProxyHeadersMiddleware",
    "core.middleware.RequestLogMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # ETag/Last-Modified -> 304, for cached and uncached answers alike.
    "django.middleware.http.ConditionalGetMiddleware",
    # The language comes from the URL (or Accept-Language for the API), not
    # the session, so it can run before the page cache, which keys on it.
    "core.middleware.LocaleMiddleware",
    # Anonymous answers come from here without touching sessions or the database.
    # Answers to a signed-in user or to credentials: Cache-Control private.
    "core.middleware.PrivateCacheMiddleware",
    "core.middleware.PublicCacheMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    # Public pages for visitors with a session, stored with holes for the CSRF
    # token (core.personal); inside the CSRF and CSP middleware, which fill
    # the cookie and the header around it.
    "core.personal.SessionPageCacheMiddleware",
    # axes must be last: it turns a locked-out sign-in into its lockout response.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "core.context_processors.site",
                "marketplace.context_processors.cart",
                # Last: markers for the per-answer values of a cached page.
                "core.personal.holes",
            ],
        },
    },
]

# --- Data -------------------------------------------------------------------
# An empty DATABASE_URL (`DATABASE_URL=` in a shell or .env) means the default too.
DATABASES = {
    "default": env.db_url_config(
        env.str("DATABASE_URL", default="") or f"sqlite:///{BASE_DIR / 'db.sqlite3'}"
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Persistent connections: each gunicorn worker keeps one open connection
    # (sync workers serve one request at a time, so one is all it can use), and
    # a health check replaces it after a database restart.
    DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=600)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
else:
    # SQLite: wait for a lock rather than fail at once, and take the write
    # lock at the start of a transaction so select_for_update-style code can't
    # deadlock on a lock upgrade.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"timeout": 20, "transaction_mode": "IMMEDIATE"}
    )
# The hand-written statements of placing an order and booking seats are
# prepared once per connection on PostgreSQL (core.db); false behind a pooler in
# transaction mode that can't keep prepared statements.
DATABASE_PREPARED_STATEMENTS = env.bool("DATABASE_PREPARED_STATEMENTS", default=True)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = env("REDIS_URL", default="")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "core.redis_cache.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": env("CACHE_KEY_PREFIX", default="dh"),
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# Whole anonymous pages and API lists (core.middleware.PublicCacheMiddleware):
# a content change is visible at once (core.cache.bump); this only bounds
# what changes with the clock alone. 0 turns the page cache off.
PUBLIC_CACHE_SECONDS = env.int("PUBLIC_CACHE_SECONDS", default=60)
# Pages for visitors with a session (core.personal): at most this long, and
# never past what the page itself says changes with the clock.
PERSONAL_CACHE_SECONDS = env.int("PERSONAL_CACHE_SECONDS", default=300)
# The signed-in user's row from the shared cache rather than a query a
# request (accounts.backends): only with Redis, which every process shares
# (a per-process cache would not hear of another process's change).
AUTH_USER_CACHE_SECONDS = env.int("AUTH_USER_CACHE_SECONDS", default=300 if REDIS_URL else 0)
# What a public page's header shows a visitor with a session, beside whether
# they are signed in: the context processors its cached copies vary by.
PERSONAL_PAGE_VARY = ["marketplace.context_processors.cart"]
# Adds /bench/bare, the benchmark's yardstick (scripts/bench.py); never in production.
BENCH_VIEWS = env.bool("BENCH_VIEWS", default=False)

# Sessions live in the database (and in Redis as a read-through cache when it
# is configured), so any app server can serve any visitor.
SESSION_ENGINE = (
    "django.contrib.sessions.backends.cached_db"
    if REDIS_URL
    else "django.contrib.sessions.backends.db"
)

# Background work (e-mails) goes through Django's tasks framework (see
# config/tasks.py). Here, in development and in tests, the immediate backend
# runs a task in-process right after the commit; production queues tasks in the
# database for `manage.py db_worker` (django-tasks-db). TASKS_BACKEND overrides.
IMMEDIATE_TASKS = "django.tasks.backends.immediate.ImmediateBackend"
DATABASE_TASKS = "django_tasks_db.DatabaseBackend"
TASKS = {"default": {"BACKEND": env("TASKS_BACKEND", default=IMMEDIATE_TASKS)}}

# --- Accounts ------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "accounts.backends.UsernameOrPhoneBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "account"
LOGOUT_REDIRECT_URL = "home"

# Sign-in throttling (django-axes): after AXES_FAILURE_LIMIT failures for the
# same account or from the same address, sign-in is locked for AXES_COOLOFF_TIME.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = env.float("AXES_COOLOFF_HOURS", default=0.25)
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_RESET_ON_SUCCESS = True
AXES_USERNAME_FORM_FIELD = "username"
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_IPWARE_META_PRECEDENCE_ORDER = ["REMOTE_ADDR"]
# Failures count per account, whichever spelling or identifier was typed
# (`Lock_x`, `LOCK_X` or the phone number are one account), and per address as
# decided by the one client-address rule below.
AXES_USERNAME_CALLABLE = "accounts.identity.lockout_username"
AXES_CLIENT_IP_CALLABLE = "core.middleware.client_ip"

# --- Client address (core.middleware.client_ip) -------------------------------
# How many proxies in front append to X-Forwarded-For. 0 (the default): none,
# the header is ignored (any client can write it) and so is X-Forwarded-Proto.
# Behind a TLS-terminating proxy set it to the number of hops, and preferably
# list the proxies' addresses or networks in TRUSTED_PROXY_ADDRESSES: then the
# headers are believed only on requests that come from them.
TRUSTED_PROXIES = env.int("TRUSTED_PROXIES", default=0)
TRUSTED_PROXY_ADDRESSES = env.list("TRUSTED_PROXY_ADDRESSES", default=[])
for _entry in TRUSTED_PROXY_ADDRESSES:
    ipaddress.ip_network(_entry, strict=False)  # a typo fails at start, not per request

# --- Languages and time -------------------------------------------------------
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("zh-hant", "繁體中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
TIME_ZONE = "Asia/Shanghai"
USE_TZ = True
MODELTRANSLATION_DEFAULT_LANGUAGE = "zh-hans"
# zh-hant columns are filled from zh-hans on save (core.hant); an empty one
# (a row written by update/bulk_create, not yet caught up) falls back to it.
MODELTRANSLATION_FALLBACK_LANGUAGES = ("zh-hans", "en")

# --- Static and media -----------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = Path(env("STATIC_ROOT", default=str(BASE_DIR / "staticfiles")))
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env("MEDIA_ROOT", default=str(BASE_DIR / "media")))
# In development and tests WhiteNoise serves straight from the app folders;
# production serves the collected, hashed, compressed files (production.py).
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG
# ...so an empty STATIC_ROOT before the first collectstatic is expected, not a
# problem worth a warning on every start.
warnings.filterwarnings("ignore", message="No directory at", category=UserWarning)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Uploads: requests above this are refused before the view sees them; the
# image validator applies its own, smaller cap per file.
DATA_UPLOAD_MAX_MEMORY_SIZE = 12 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
IMAGE_MAX_BYTES = env.int("IMAGE_MAX_BYTES", default=8 * 1024 * 1024)
IMAGE_MAX_PIXELS = env.int("IMAGE_MAX_PIXELS", default=40_000_000)

# --- Security (production.py tightens the transport settings) ---------------------
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    # The staff desks' service worker (static/js/desk/sw.js) and their manifests.
    "worker-src": [CSP.SELF],
    "manifest-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}

# --- E-mail ---------------------------------------------------------------------
# EMAIL_URL, e.g. smtp+tls://user:password@smtp.example.org:587; unset = the console.
_email = env.email_url("EMAIL_URL", default="consolemail://")
MAILERS = {
    "default": {
        "BACKEND": _email["EMAIL_BACKEND"],
        "OPTIONS": {
            key.lower(): _email[f"EMAIL_{key}"]
            for key in ("HOST", "PORT", "USE_TLS", "USE_SSL")
            if _email.get(f"EMAIL_{key}") not in (None, "")
        }
        | (
            {"username": _email["EMAIL_HOST_USER"], "password": _email["EMAIL_HOST_PASSWORD"]}
            if _email.get("EMAIL_HOST_USER")
            else {}
        ),
    }
}
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="东城怀柔结对协作 <noreply@example.org>")
SITE_URL = env("SITE_URL", default="http://127.0.0.1:8000")

# --- Text messages (core.sms) ------------------------------------------------------
# SMS_URL, parsed like EMAIL_URL: console:// (default), locmem://, file:///path,
# aliyun://KEY_ID:KEY_SECRET@dysmsapi.aliyuncs.com/?sign_name=...&region=cn-hangzhou.
SMS = sms_url(env("SMS_URL", default="console://"))
# kind=TEMPLATE_CODE pairs of the provider's approved templates (aliyun only).
SMS_TEMPLATES = sms_templates(env("SMS_TEMPLATES", default=""))

# --- API -----------------------------------------------------------------------------
# An API token (accounts.ApiToken) is refused this many days after sign-in.
API_TOKEN_TTL_DAYS = env.int("API_TOKEN_TTL_DAYS", default=30)

REST_FRAMEWORK: dict[str, Any] = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        # accounts.ApiToken keys: `Authorization: Token <key>` or `Bearer <key>`.
        "accounts.api.authentication.ApiTokenAuthentication",
        "accounts.api.authentication.BearerTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticatedOrReadOnly"],
    "DEFAULT_PAGINATION_CLASS": "core.api.pagination.PageNumberPagination",
    "PAGE_SIZE": 20,
    "DEFAULT_FILTER_BACKENDS": ["core.api.filters.StrictFilterBackend"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "core.api.exceptions.exception_handler",
    "DEFAULT_THROTTLE_CLASSES": [
        # Both key anonymous clients on core.middleware.client_ip.
        "core.api.throttling.AnonRateThrottle",
        "core.api.throttling.UserRateThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {
        "anon": env("THROTTLE_ANON", default="120/min"),
        "user": env("THROTTLE_USER", default="600/min"),
        "auth": env("THROTTLE_AUTH", default="10/min"),
        "write": env("THROTTLE_WRITE", default="60/min"),
    },
    # A JSON API: form and multipart bodies can't carry its nested input (order
    # lines), and accepting them would only widen what fuzzing has to cover.
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_RENDERER_CLASSES": [
        "rest_framework.renderers.JSONRenderer",
        "rest_framework.renderers.BrowsableAPIRenderer",
    ],
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Dongcheng–Huairou cooperation API",
    "DESCRIPTION": "Tours, Huairou farm products at Dongcheng counters, and the cooperation programme.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "SCHEMA_PATH_PREFIX": "/api/v1",
    # One clear name for each choice set the apps share across serializers.
    "ENUM_NAME_OVERRIDES": {
        "DepartureStatusEnum": "tours.models.Departure.Status",
        "ProjectStatusEnum": "cooperation.models.Project.Status",
        "TravellerTypeEnum": "tours.models.TravellerType",
    },
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "core.api.schema.postprocess_schema",
    ],
}

# --- Logging: one structured line a request (see core.middleware) -----------------
LOGGING: dict[str, Any] = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"json": {"()": "core.logging.JsonFormatter"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "json"}},
    "loggers": {
        "dh.request": {
            "handlers": ["console"],
            "level": env("REQUEST_LOG_LEVEL", default="INFO"),
            "propagate": False,
        },
        "django": {"handlers": ["console"], "level": "WARNING"},
    },
}

# --- Business rules ---------------------------------------------------------------
PICKUP_DAYS = env.int("PICKUP_DAYS", default=3)
WAITLIST_HOLD_HOURS = env.int("WAITLIST_HOLD_HOURS", default=24)
# How long a desk's hand-over or check-in can be undone (by whoever made it or a manager).
DESK_UNDO_MINUTES = env.int("DESK_UNDO_MINUTES", default=10)
# Caps per customer, so one account cannot empty a counter or a departure:
# units of one variant in a customer's open orders at one counter, seats on one
# departure (bookings and waitlist entries), and waitlist entries waiting at once.
MAX_OPEN_UNITS_PER_ITEM = env.int("MAX_OPEN_UNITS_PER_ITEM", default=20)
MAX_SEATS_PER_CUSTOMER = env.int("MAX_SEATS_PER_CUSTOMER", default=10)
MAX_OPEN_WAITLIST_ENTRIES = env.int("MAX_OPEN_WAITLIST_ENTRIES", default=5)
