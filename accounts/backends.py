import contextlib
import logging

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.core.cache import cache
from django.db import transaction

from .identity import find_account

logger = logging.getLogger(__name__)


def _user_key(user_id) -> str:
    return f"auth-user:{user_id}"


def forget_user(user_id) -> None:
    """Drops the cached row of ``user_id`` (a change to the user): now, and
    again once the change is committed, so no request re-caches the old row
    from before it in between."""
    key = _user_key(user_id)

    def drop():
        try:
            cache.delete(key)
        except Exception:  # while the cache is down, reads go to the database
            logger.warning("could not drop the cached user %s", user_id, exc_info=True)

    drop()
    transaction.on_commit(drop)


class UsernameOrPhoneBackend(ModelBackend):
    """Signs in with a username (any letter case) or a phone number (the same
    password). The lookup is ``accounts.identity.find_account``, the one django-axes
    counts failures by, so every spelling of an account shares one lock-out.

    The signed-in user of a request comes from the shared cache
    (AUTH_USER_CACHE_SECONDS, when Redis is configured) instead of a query:
    every signed-in request asked the database for the same row. Every save
    or deletion of a user drops it (accounts.apps), so a deactivated account
    or a new password counts at once; Django still checks the session's
    password hash against the cached row."""

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
        seconds = settings.AUTH_USER_CACHE_SECONDS
        if not seconds:
            return super().get_user(user_id)
        key = _user_key(user_id)
        try:
            user = cache.get(key)
        except Exception:
            return super().get_user(user_id)
        if user is None:
            user = super().get_user(user_id)  # a fresh row: nothing memoised on it yet
            if user is None:
                return None
            with contextlib.suppress(Exception):  # a cache outage: read again next time
                cache.set(key, user, seconds)
        return user if self.user_can_authenticate(user) else None
