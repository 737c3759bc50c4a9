"""System checks for settings that Django's own checks don't cover.

The ``deploy=True`` ones run with ``manage.py check --deploy``; production
settings pass them all (tests/config/test_deploy.py).
"""

from django.conf import settings
from django.core.checks import Error, Tags, Warning, register

REQUIRED_CSP = ("default-src", "script-src", "object-src", "base-uri", "frame-ancestors")
UNSAFE_SCRIPT_SOURCES = {"'unsafe-inline'", "'unsafe-eval'", "*", "http:", "https:", "data:"}


@register(Tags.security, deploy=True)
def check_csp(app_configs, **kwargs):
    errors = []
    policy = getattr(settings, "SECURE_CSP", {}) or {}
    for directive in REQUIRED_CSP:
        if directive not in policy:
            errors.append(Error(f"SECURE_CSP has no {directive!r} directive.", id="core.E001"))
    script_src = set(policy.get("script-src", policy.get("default-src", [])))
    if script_src & UNSAFE_SCRIPT_SOURCES:
        errors.append(
            Error(
                "SECURE_CSP allows inline, eval'd or any-host scripts.",
                hint="Use CSP.NONCE for the few inline scripts that are needed.",
                id="core.E002",
            )
        )
    if list(policy.get("object-src", [])) != ["'none'"]:
        errors.append(Error("SECURE_CSP must set object-src 'none'.", id="core.E003"))
    return errors


@register(Tags.security, deploy=True)
def check_host_cookies(app_configs, **kwargs):
    errors = []
    for name in ("SESSION_COOKIE_NAME", "CSRF_COOKIE_NAME"):
        if not getattr(settings, name).startswith("__Host-"):
            errors.append(
                Warning(
                    f"{name} has no __Host- prefix.",
                    hint="A __Host- cookie can't be set or read by another subdomain.",
                    id="core.W001",
                )
            )
    return errors


@register(Tags.caches, deploy=True)
def check_shared_cache(app_configs, **kwargs):
    """Throttling, lock-outs and page-cache versions must be shared by every
    app server; a per-process cache silently breaks all three."""
    backend = settings.CACHES["default"]["BACKEND"]
    if backend.endswith(("LocMemCache", "DummyCache")) and not settings.DEBUG:
        return [
            Warning(
                "The default cache is per process: throttling, sign-in lock-outs and the "
                "page cache are not shared between app servers.",
                hint="Set REDIS_URL.",
                id="core.W002",
            )
        ]
    return []


@register(Tags.security, deploy=True)
def check_axes(app_configs, **kwargs):
    if not getattr(settings, "AXES_ENABLED", True):
        return [Error("django-axes is disabled: sign-in is not throttled.", id="core.E004")]
    if settings.MIDDLEWARE[-1] != "axes.middleware.AxesMiddleware":
        return [Error("AxesMiddleware must be the last middleware.", id="core.E005")]
    return []
