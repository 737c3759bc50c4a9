from django.contrib.auth.models import AbstractUser
from django.core.validators import RegexValidator
from django.db import models
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

    # Cached per request by organizations.selectors.organization_ids_for and
    # marketplace.selectors.counter_ids_for.
    _organization_ids: list[int]
    _counter_ids: list[int]

    class Meta(AbstractUser.Meta):
        swappable = "AUTH_USER_MODEL"
        # The stub types AbstractUser.Meta's names as str; Django's own are lazy too.
        verbose_name = _("user")  # type: ignore[assignment]
        verbose_name_plural = _("users")  # type: ignore[assignment]

    def __str__(self) -> str:
        return self.get_full_name() or self.username

    def save(self, *args, **kwargs):
        # Blank phone numbers are stored as NULL so the unique constraint only
        # applies to real numbers.
        if not self.phone:
            self.phone = None
        super().save(*args, **kwargs)
