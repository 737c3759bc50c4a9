"""System checks for settings that Django's own checks don't cover."""

from django.conf import settings
from django.core.checks import Error, Tags, register


@register(Tags.security, deploy=True)
def check_csp(app_configs, **kwargs):
    errors = []
    policy = getattr(settings, "SECURE_CSP", {}) or {}
    for directive in ("default-src", "object-src", "base-uri", "frame-ancestors"):
        if directive not in policy:
            errors.append(
                Error(f"SECURE_CSP has no {directive!r} directive.", id="config.E001")
            )
    if "'unsafe-inline'" in policy.get("script-src", []):
        errors.append(Error("SECURE_CSP allows inline scripts.", id="config.E002"))
    return errors
