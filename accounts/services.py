import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from .backends import forget_token
from .identity import UNAVAILABLE, check_identity
from .models import ApiToken, User


@transaction.atomic
def user_register(
    *, username: str, password: str, email: str = "", phone: str = "", first_name: str = ""
) -> User:
    """Creates a customer account. Raises django ValidationError (a dict of
    field errors) on a weak password or an identifier that can't be used
    (``accounts.identity``: unique across usernames and phones, any case)."""
    check_identity(username=username, email=email, phone=phone)
    user = User(username=username, email=email, phone=phone or None, first_name=first_name)
    try:
        validate_password(password, user)
    except ValidationError as exc:
        raise ValidationError({"password": exc.messages}) from exc
    user.set_password(password)
    user.full_clean(exclude=["password"])
    try:
        with transaction.atomic():
            user.save()
    except IntegrityError as exc:
        # Someone registered the same identifier between the check and the save.
        raise ValidationError({"username": [UNAVAILABLE]}) from exc
    return user


# --- API tokens ----------------------------------------------------------------------------

# last_used_at is written at most this often, not on every request.
TOKEN_USE_RESOLUTION = timedelta(minutes=1)


@dataclass(frozen=True)
class IssuedToken:
    """A new token: ``key`` exists only here, the database keeps its hash."""

    key: str
    token: ApiToken

    @property
    def expires_at(self) -> datetime:
        return self.token.expires_at


def token_hash(key: str) -> str:
    # Keys are 160 random bits: a plain SHA-256 can't be reversed by guessing.
    return hashlib.sha256(key.encode()).hexdigest()


@transaction.atomic
def token_issue(*, user: User, name: str = "") -> IssuedToken:
    """A fresh token for one sign-in (each device its own), valid for
    ``API_TOKEN_TTL_DAYS``. The user's expired tokens are cleared on the way."""
    now = timezone.now()
    ApiToken.objects.filter(user=user, expires_at__lte=now).delete()
    key = secrets.token_hex(20)
    token = ApiToken.objects.create(
        user=user,
        key_hash=token_hash(key),
        prefix=key[:8],
        name=name[:200],
        expires_at=now + timedelta(days=settings.API_TOKEN_TTL_DAYS),
    )
    return IssuedToken(key=key, token=token)


def token_touch(*, token: ApiToken) -> None:
    """Records that a token was used, at most once per TOKEN_USE_RESOLUTION."""
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at >= TOKEN_USE_RESOLUTION:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
        forget_token(token.key_hash)  # an update() sends no signal: the cached copy is old


def token_revoke(*, token: ApiToken) -> int:
    """Signs one token out. Returns how many were revoked (0 if already gone)."""
    return ApiToken.objects.filter(pk=token.pk).delete()[0]


def token_revoke_all(*, user: User) -> int:
    """Signs every API token of ``user`` out: sign-out everywhere, and what a
    password change (web form, admin) calls. Returns how many were revoked."""
    return ApiToken.objects.filter(user=user).delete()[0]
