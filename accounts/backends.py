from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend

from .identity import find_account


class UsernameOrPhoneBackend(ModelBackend):
    """Signs in with a username (any letter case) or a phone number (the same
    password). The lookup is ``accounts.identity.find_account``, the one django-axes
    counts failures by, so every spelling of an account shares one lock-out."""

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
