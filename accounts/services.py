from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from rest_framework.authtoken.models import Token

from .identity import UNAVAILABLE, check_identity

User = get_user_model()


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


def token_for(*, user: User) -> str:
    token, _ = Token.objects.get_or_create(user=user)
    return token.key
