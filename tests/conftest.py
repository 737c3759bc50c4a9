import pytest
from django.conf import settings
from django.core.cache import cache
from django.utils import translation
from rest_framework.test import APIClient

from tests.factories import UserFactory

PASSWORD = "correct-horse-battery"


@pytest.fixture(autouse=True)
def _clear_cache():
    # Throttles, axes and page caches live in the cache; no test sees another's.
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def smsoutbox():
    """The text messages sent during the test (core.sms's locmem backend, the
    test settings' SMS), like pytest-django's mailoutbox."""
    from core import sms

    sms.outbox.clear()
    yield sms.outbox
    sms.outbox.clear()


@pytest.fixture(autouse=True)
def _default_language():
    # A request through the test client leaves its language active in this
    # thread (/en/ pages, Accept-Language on the API). Factories then wrote
    # `name=` into the English column (modeltranslation follows the active
    # language), and a later test's Chinese data silently became English:
    # every test starts in the site's default language. The one reset for
    # the whole suite: the apps' conftests have none of their own.
    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture
def api_client():
    return APIClient()


@pytest.fixture
def user(db):
    return UserFactory(username="alice", phone="13900000001")


@pytest.fixture
def user_api(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


@pytest.fixture
def password():
    return PASSWORD


def pytest_collection_modifyitems(config, items):
    """Race tests need real row locks: they run on PostgreSQL (as in CI) and are
    skipped, with the reason shown, on SQLite."""
    from django.conf import settings

    if settings.DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
        return
    skip = pytest.mark.skip(reason="race tests need PostgreSQL (set DATABASE_URL)")
    for item in items:
        if "race" in item.keywords:
            item.add_marker(skip)
