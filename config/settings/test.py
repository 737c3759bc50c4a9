"""Tests: fast hashing, tasks run at once, no throttling noise (the test runner
swaps every mailer for the in-memory one)."""

from .base import *  # noqa: F403
from .base import REST_FRAMEWORK

# Text messages land in core.sms.outbox (cleared before each test by tests/conftest.py).
SMS = {"backend": "locmem"}
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
MEDIA_ROOT = BASE_DIR / "artifacts" / "test-media"  # noqa: F405
# Throttling is tested on its own with explicit rates; elsewhere it would make
# the suite depend on its own speed.
REST_FRAMEWORK = {
    **REST_FRAMEWORK,
    "DEFAULT_THROTTLE_RATES": dict.fromkeys(REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"], "100000/min"),
}
AXES_ENABLED = True
# Factories change rows without the services' cache bumps; the page cache is
# tested on its own (tests/config/test_cache.py) with it switched on.
PUBLIC_CACHE_SECONDS = 0
PERSONAL_CACHE_SECONDS = 0  # tests that measure the personal page cache turn it on
AUTH_USER_CACHE_SECONDS = 0  # likewise (tests/accounts/test_user_cache.py)
STORAGES = {
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
