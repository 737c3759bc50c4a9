"""The kernel's models: the abstract bases every app builds on (``DemoFlag``,
``StatusEvent``) and the API's idempotency keys."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _


class DemoFlag(models.Model):
    """A row that may have been invented for the demo rather than taken from
    the report. Pages label such rows, so the two are never confused."""

    is_demo = models.BooleanField(
        _("demo data"), default=False, help_text=_("Invented for the demo, not from the report.")
    )

    # Fields that say where a row comes from rather than what it is: forms list
    # them after the content (see core.admin_tools.ProvenanceLastMixin),
    # although Django puts the fields of abstract bases first.
    PROVENANCE_FIELDS: tuple[str, ...] = ("is_demo",)

    class Meta:
        abstract = True


class StatusEvent(models.Model):
    """One line of an audit trail: a status change, when it happened and why.

    Each app's event model adds what changed (an order, a booking…) and who
    changed it (empty: the system, e.g. an expiry job), and is written only by
    that app's one transition function, so the trail is complete.
    """

    from_status = models.CharField(_("from"), max_length=20, blank=True)
    to_status = models.CharField(_("to"), max_length=20)
    at = models.DateTimeField(_("when"), default=timezone.now, db_index=True)
    reason = models.TextField(_("why"), blank=True)

    class Meta:
        abstract = True
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.from_label or '∅'} → {self.to_label}"

    def status_choices(self) -> type[models.TextChoices] | None:
        """The audited model's status choices, so a trail shows "已预订", not
        "placed": a ``statuses`` class attribute, or this method overridden."""
        return getattr(self, "statuses", None)

    def status_label(self, value: str) -> str:
        choices = self.status_choices()
        if not value or choices is None or value not in choices.values:
            return value
        return str(choices(value).label)

    @property
    def from_label(self) -> str:
        return self.status_label(self.from_status)

    @property
    def to_label(self) -> str:
        return self.status_label(self.to_status)

    @property
    def reason_label(self) -> str:
        """The reason in the reader's language. A reason the system writes
        ("pickup deadline passed") is stored as its English msgid, marked with
        ``gettext_noop`` where it is written, and translated here; what a
        person typed is not in the catalogue and shows as typed."""
        return gettext(self.reason) if self.reason else ""


class IdempotencyKey(models.Model):
    """The first answer to a create request sent with an ``Idempotency-Key`` header.

    A retry with the same key and body gets the stored answer; the same key with
    another body is a conflict. Rows older than a day may be deleted.
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    scope = models.CharField(max_length=40)
    key = models.CharField(max_length=255)
    request_hash = models.CharField(max_length=64)
    response_status = models.PositiveSmallIntegerField()
    response_body = models.JSONField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        # The table kept its name when the model moved here from accounts.
        db_table = "accounts_idempotencykey"
        constraints = [
            models.UniqueConstraint(fields=["user", "scope", "key"], name="idempotency_key_unique")
        ]

    def __str__(self) -> str:
        return f"{self.scope}:{self.key}"


class OfflineAction(models.Model):
    """One action a staff desk recorded (often offline) and sent, applied at most once.

    The desk draws a one-time ``nonce`` (a UUID) when the clerk taps; the row
    is inserted in the same transaction as the action itself, so the unique
    nonce makes a second upload of it (a retry, a second tab, two uploads at
    once) a duplicate instead of a second hand-over. A conflict (already
    collected elsewhere, cancelled meanwhile) is kept here too, for the clerk
    to see and resolve; ``resolved_at`` marks it done.
    """

    class Result(models.TextChoices):
        APPLIED = "applied", _("applied")
        CONFLICT = "conflict", _("conflict")

    nonce = models.UUIDField(_("one-time key"), unique=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("by")
    )
    desk = models.CharField(_("desk"), max_length=20)
    kind = models.CharField(_("action"), max_length=20)
    code = models.CharField(_("code"), max_length=20)
    payment_method = models.CharField(_("payment method"), max_length=20, blank=True)
    scanned_at = models.DateTimeField(_("scanned"))
    received_at = models.DateTimeField(_("received"), default=timezone.now)
    result = models.CharField(_("result"), max_length=10, choices=Result.choices)
    conflict_code = models.CharField(_("conflict"), max_length=40, blank=True)
    message = models.TextField(_("message"), blank=True)
    resolved_at = models.DateTimeField(_("resolved"), null=True, blank=True)

    class Meta:
        verbose_name = _("desk action")
        verbose_name_plural = _("desk actions")
        ordering = ["scanned_at", "pk"]
        indexes = [
            models.Index(
                fields=["user", "desk"],
                condition=models.Q(result="conflict", resolved_at__isnull=True),
                name="offline_open_conflicts",
            )
        ]

    def __str__(self) -> str:
        return f"{self.desk}:{self.kind} {self.code} ({self.result})"
