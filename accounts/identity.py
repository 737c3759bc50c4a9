"""Who an identifier names, and which identifiers a new or changed account may use.

One person signs in with a username (any letter case) or a phone number, so
both identifiers share one space: ``find_account`` is the single lookup the
sign-in backend and the lock-out counting (django-axes) both use, and
``identity_errors`` the single rule that keeps that lookup unambiguous. It is
applied by the web registration form, the API registration and profile
serializers, the registration service and the admin user forms; the database
backs it with case-insensitive unique constraints (migration 0002).

The messages never say which of the two identifiers is in use, so registering
reveals no more than signing in does.
"""

import re

from django.contrib.auth import get_user_model
from django.db.models import Q
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

StrOrPromise = str | Promise

IDENTITY_FIELDS = ("username", "email", "phone")

UNAVAILABLE = _("This username or phone number cannot be used.")
EMAIL_UNAVAILABLE = _("This e-mail address cannot be used.")
DIGITS_USERNAME = _("A username cannot be made of digits only, like a phone number.")

# A username may not look like a phone number (digits, optionally after a +):
# phone numbers sign in too, so the two must never be confused.
_PHONE_SHAPED = re.compile(r"^\+?[0-9]+\Z")


def find_account(identifier: str):
    """The account ``identifier`` (a username in any case, or a phone number)
    signs in to, or None. The oldest account wins should legacy data hold two."""
    User = get_user_model()
    if not identifier:
        return None
    return (
        User.objects.filter(Q(username__iexact=identifier) | Q(phone=identifier))
        .order_by("pk")
        .first()
    )


def lockout_username(request, credentials) -> str | None:
    """AXES_USERNAME_CALLABLE: the key django-axes counts, resets and checks
    failures under. The same for every way of naming one account: that
    account's lower-cased username; otherwise the lower-cased typed text (so
    `Nobody` and `nobody` still share a count)."""
    from django.conf import settings

    field = settings.AXES_USERNAME_FORM_FIELD
    typed = (credentials or {}).get(field)
    if typed is None and request is not None:
        typed = getattr(request, "POST", {}).get(field)
    if not isinstance(typed, str) or not typed.strip():
        return None
    typed = typed.strip()
    # axes asks several times per attempt: one lookup a request.
    memo = getattr(request, "_lockout_usernames", None) if request is not None else None
    if memo is not None and typed in memo:
        return memo[typed]
    account = find_account(typed)
    key = account.get_username().lower() if account is not None else typed.lower()[:150]
    if request is not None:
        if memo is None:
            memo = {}
            try:
                request._lockout_usernames = memo
            except AttributeError:  # an object that takes no attributes
                return key
        memo[typed] = key
    return key


def identity_errors(
    *,
    username: str | None = None,
    email: str | None = None,
    phone: str | None = None,
    user=None,
) -> dict[str, list[StrOrPromise]]:
    """Field errors for the identifiers given (None = not being set), checked
    against every account but ``user`` (the one being edited, if any)."""
    User = get_user_model()
    others = User.objects.all()
    if user is not None and user.pk is not None:
        others = others.exclude(pk=user.pk)
    errors: dict[str, list[StrOrPromise]] = {}
    if username:
        if _PHONE_SHAPED.match(username):
            errors["username"] = [DIGITS_USERNAME]
        elif others.filter(Q(username__iexact=username) | Q(phone=username)).exists():
            errors["username"] = [UNAVAILABLE]
    if phone and others.filter(Q(phone=phone) | Q(username__iexact=phone)).exists():
        errors["phone"] = [UNAVAILABLE]
    if email and others.filter(email__iexact=email).exists():
        errors["email"] = [EMAIL_UNAVAILABLE]
    return errors


def check_identity(**identifiers) -> None:
    """Raises django's ValidationError with ``identity_errors`` when there are any."""
    from django.core.exceptions import ValidationError

    errors = identity_errors(**identifiers)
    if errors:
        raise ValidationError(errors)
