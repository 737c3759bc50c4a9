import contextlib
import logging

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.core.cache import cache
from django.db import transaction

from .identity import find_account

logger = logging.getLogger(__name__)


# Every signed-in request needs its user's row (and an API request its
# token's): they come from the shared cache (AUTH_USER_CACHE_SECONDS, when Redis
# is configured) instead of a query each. Every save or deletion of a user or
# a token drops its copy (accounts.apps), so a deactivated account, a new
# password or a revoked token counts at once. A token's entry holds its user
# too (one round trip for an API request): a change to the user drops the
# entries of the user's tokens with the user's own.


def _user_key(user_id) -> str:
    return f"auth-user:{user_id}"


def _token_key(key_hash: str) -> str:
    return f"auth-token:{key_hash}"


def _forget(*keys: str) -> None:
    """Drops cached rows: now, and again once the change is committed, so no
    request re-caches an old row from before it in between."""

    def drop():
        try:
            cache.delete_many(keys)
        except Exception:  # while the cache is down, reads go to the database
            logger.warning("could not drop the cached rows %s", keys, exc_info=True)

    drop()
    transaction.on_commit(drop)


def forget_user(user_id) -> None:
    from .models import ApiToken

    hashes = ApiToken.objects.filter(user_id=user_id).values_list("key_hash", flat=True)
    _forget(_user_key(user_id), *map(_token_key, hashes))


def forget_token(key_hash: str) -> None:
    _forget(_token_key(key_hash))


def _cached(key: str, load, seconds: int):
    if not seconds:
        return load()
    try:
        found = cache.get(key)
    except Exception:
        return load()
    if found is None:
        found = load()  # a fresh row: nothing memoised on it yet
        if found is not None:
            with contextlib.suppress(Exception):  # a cache outage: read again next time
                cache.set(key, found, seconds)
    return found


def cached_user(user_id):
    """The user row ``user_id`` (None if there is none)."""
    User = get_user_model()
    return _cached(
        _user_key(user_id),
        lambda: User._default_manager.filter(pk=user_id).first(),
        settings.AUTH_USER_CACHE_SECONDS,
    )


def cached_token(key_hash: str):
    """The ApiToken with this key hash and its user (None if there is none)."""
    from .models import ApiToken

    return _cached(
        _token_key(key_hash),
        lambda: ApiToken.objects.select_related("user").filter(key_hash=key_hash).first(),
        settings.AUTH_USER_CACHE_SECONDS,
    )


class UsernameOrPhoneBackend(ModelBackend):
    """Signs in with a username (any letter case) or a phone number (the same
    password). The lookup is ``accounts.identity.find_account``, the one django-axes
    counts failures by, so every spelling of an account shares one lock-out.

    The signed-in user of a request is ``cached_user``; Django still checks
    the session's password hash against it."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        User = get_user_model()
        if username is None:
            username = kwargs.get(User.USERNAME_FIELD)
        if not username or password is None:
            return None
        user = find_account(username)
        if user is None:
            # Same cost as a real check, so timing doesn't reveal which accounts exist.
            User().set_password(password)
            return None
        if user.check_password(password) and self.user_can_authenticate(user):
            return user
        return None

    def get_user(self, user_id):
        user = cached_user(user_id)
        return user if user is not None and self.user_can_authenticate(user) else None
