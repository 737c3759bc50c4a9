from django.contrib.auth.models import AbstractUser
from django.core.validators import RegexValidator
from django.db import models
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _

phone_validator = RegexValidator(
    r"^\+?[0-9]{7,15}$", _("Enter a phone number of 7 to 15 digits, optionally starting with +.")
)


class User(AbstractUser):
    """A person: a customer, a member of an organization, or district staff."""

    phone = models.CharField(
        _("phone number"),
        max_length=16,
        blank=True,
        null=True,
        unique=True,
        validators=[phone_validator],
        help_text=_("Used to sign in and to reach you about orders and bookings."),
    )

    class Meta(AbstractUser.Meta):
        swappable = "AUTH_USER_MODEL"
        verbose_name = _("user")
        verbose_name_plural = _("users")
        # Sign-in ignores letter case, so "Alice" and "alice" must be one account
        # (accounts.identity checks first, with a neutral message; these catch
        # what slips past it, e.g. two registrations at once).
        constraints = [
            models.UniqueConstraint(
                Lower("username"),
                name="user_username_ci_unique",
                violation_error_message=_("This username or phone number cannot be used."),
            ),
            models.UniqueConstraint(
                Lower("email"),
                condition=~models.Q(email=""),
                name="user_email_ci_unique",
                violation_error_message=_("This e-mail address cannot be used."),
            ),
        ]

    def __str__(self) -> str:
        return self.get_full_name() or self.username

    def save(self, *args, **kwargs):
        # Blank phone numbers are stored as NULL so the unique constraint only
        # applies to real numbers.
        if not self.phone:
            self.phone = None
        super().save(*args, **kwargs)
