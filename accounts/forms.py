from django import forms
from django.contrib.auth import get_user_model
from django.contrib.auth.forms import (
    AdminUserCreationForm,
    AuthenticationForm,
    UserChangeForm,
    UserCreationForm,
)
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from .identity import IDENTITY_FIELDS, identity_errors


class SignInForm(AuthenticationForm):
    username = forms.CharField(
        label=_("Username or phone number"),
        widget=forms.TextInput(attrs={"autofocus": True, "autocomplete": "username"}),
    )


class IdentityFormMixin:
    """Checks the username, e-mail and phone a form sets against
    ``accounts.identity`` (case-insensitive, across both sign-in identifiers,
    one neutral message) instead of Django's per-field "already exists"."""

    def clean_username(self):
        # UserCreationForm's own check says "already exists"; ours is neutral.
        return self.cleaned_data.get("username")

    def _identity_exclusions(self) -> set[str]:
        # A mixin of ModelForms: the form's own exclusions, plus the identity fields.
        return self._get_validation_exclusions() | set(IDENTITY_FIELDS)  # type: ignore[attr-defined]

    def validate_unique(self):
        try:
            self.instance.validate_unique(exclude=self._identity_exclusions())
        except ValidationError as exc:
            self._update_errors(exc)
        changed = {
            name: self.cleaned_data.get(name)
            for name in IDENTITY_FIELDS
            if name in self.fields and name in self.changed_data and name not in self.errors
        }
        if changed:
            errors = identity_errors(**changed, user=self.instance)
            for name, messages in errors.items():
                self.add_error(name, messages)

    def validate_constraints(self):
        try:
            self.instance.validate_constraints(exclude=self._identity_exclusions())
        except ValidationError as exc:
            self._update_errors(exc)


class RegisterForm(IdentityFormMixin, UserCreationForm):
    class Meta:
        model = get_user_model()
        fields = ("username", "email", "phone")


class AdminAddUserForm(IdentityFormMixin, AdminUserCreationForm):
    class Meta(AdminUserCreationForm.Meta):
        model = get_user_model()


class AdminChangeUserForm(IdentityFormMixin, UserChangeForm):
    class Meta(UserChangeForm.Meta):
        model = get_user_model()
