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

    # Cached per request by organizations.selectors.organization_kinds_for and
    # marketplace.selectors.counter_ids_for.
    _organization_kinds: dict[int, str]
    _counter_ids: list[int]

    class Meta(AbstractUser.Meta):
        swappable = "AUTH_USER_MODEL"
        # The stub types AbstractUser.Meta's names as str; Django's own are lazy too.
        verbose_name = _("user")  # type: ignore[assignment]
        verbose_name_plural = _("users")  # type: ignore[assignment]
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


class ApiToken(models.Model):
    """One API sign-in (a device, an app): the key is shown once, only its
    SHA-256 is stored, so a copy of the database holds no usable key.

    Expires ``API_TOKEN_TTL_DAYS`` after it was issued; revoking deletes the row
    (``accounts.services``: sign-out, sign-out everywhere, a password change).
    """

    user = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="api_tokens", verbose_name=_("user")
    )
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    # The key's first characters, to tell a user's tokens apart; not enough to use one.
    prefix = models.CharField(_("key prefix"), max_length=8, editable=False)
    name = models.CharField(
        _("name"), max_length=200, blank=True, help_text=_("The device or app it was issued to.")
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    expires_at = models.DateTimeField(_("expires"))
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        indexes = [models.Index(fields=["user", "expires_at"], name="apitoken_user_expires")]

    def __str__(self) -> str:
        return f"{self.prefix}… ({self.user})"
