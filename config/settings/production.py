"""Production: refuses to start without a real secret key, HTTPS everywhere.

Run behind a TLS-terminating proxy that sets ``X-Forwarded-Proto`` and
``X-Forwarded-For``, and say so with TRUSTED_PROXIES (see the README). Every app
server is stateless: sessions in PostgreSQL (cached in Redis), the cache,
page-cache version counters, API throttling and sign-in lock-outs in the
database or Redis, so any number of servers can share one PostgreSQL and one
Redis. ``manage.py check --deploy`` is clean with these settings (tested).
"""

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import DATABASE_TASKS, DEV_SECRET_KEY, SECRET_KEY, TRUSTED_PROXIES, env

DEBUG = env.bool("DEBUG", default=False)
if not DEBUG and (
    SECRET_KEY == DEV_SECRET_KEY
    or len(SECRET_KEY) < 50
    or len(set(SECRET_KEY)) < 5
    or SECRET_KEY.startswith("django-insecure-")
):
    raise ImproperlyConfigured(
        "SECRET_KEY must be set to a random value of at least 50 characters in production "
        "(e.g. python -c 'import secrets; print(secrets.token_urlsafe(60))')."
    )

# --- Background tasks ---------------------------------------------------------------
# E-mails are queued in the database, in the transaction of the change they
# report, and sent by `manage.py db_worker` (run it beside the app servers): a
# slow or failing mail server never holds up or fails an order or a booking.
TASKS = {"default": {"BACKEND": env("TASKS_BACKEND", default=DATABASE_TASKS)}}

# --- Transport ----------------------------------------------------------------------
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
# The load balancer probes /healthz over plain HTTP inside the network.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=60 * 60 * 24 * 365)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True

# The client's address (sign-in lock-outs, API and registration throttles, the
# request log) is core.middleware.client_ip: REMOTE_ADDR unless TRUSTED_PROXIES
# (base.py, default 0) says how many proxies in front append to X-Forwarded-For.
# Only then is the TLS proxy's X-Forwarded-Proto believed too, and with
# TRUSTED_PROXY_ADDRESSES set only on requests coming from those addresses
# (core.middleware.ProxyHeadersMiddleware drops it on any other).
if TRUSTED_PROXIES:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# --- Cookies ------------------------------------------------------------------------
# __Host- cookies are only accepted over HTTPS, with no Domain and Path=/, so a
# sibling subdomain can neither read nor plant them.
SESSION_COOKIE_SECURE = True
SESSION_COOKIE_NAME = "__Host-sessionid"
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SECURE = True
CSRF_COOKIE_NAME = "__Host-csrftoken"
CSRF_COOKIE_HTTPONLY = True
CSRF_COOKIE_SAMESITE = "Lax"
LANGUAGE_COOKIE_SECURE = True
LANGUAGE_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SAMESITE = "Lax"

# --- Static files -------------------------------------------------------------------
# Hashed names + far-future caching; needs `manage.py collectstatic` at deploy.
STORAGES = {
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
WHITENOISE_MAX_AGE = 60 * 60 * 24 * 365

# --- Logging ------------------------------------------------------------------------
# Errors (with tracebacks) as JSON lines on stderr, like the request log.
LOGGING = {
    **LOGGING,  # noqa: F405
    "loggers": {
        **LOGGING["loggers"],  # noqa: F405
        "django.request": {"handlers": ["console"], "level": "ERROR", "propagate": False},
        "dh.cache": {"handlers": ["console"], "level": "WARNING", "propagate": False},
    },
}
