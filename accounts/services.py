from django.contrib.auth.password_validation import validate_password
from django.db import transaction
from rest_framework.authtoken.models import Token

from .models import User


@transaction.atomic
def user_register(
    *, username: str, password: str, email: str = "", phone: str = "", first_name: str = ""
) -> User:
    """Creates a customer account. Raises django ValidationError on a weak password."""
    user = User(username=username, email=email, phone=phone or None, first_name=first_name)
    validate_password(password, user)
    user.set_password(password)
    user.full_clean(exclude=["password"])
    user.save()
    return user


def token_for(*, user: User) -> str:
    token, _ = Token.objects.get_or_create(user=user)
    return token.key
