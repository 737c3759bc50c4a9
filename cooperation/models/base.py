"""Abstract models every app builds on (``cooperation`` is the lowest layer:
marketplace and tours import it, it imports neither)."""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class DemoFlag(models.Model):
    """A row that may have been invented for the demo rather than taken from
    the report. Pages label such rows, so the two are never confused."""

    is_demo = models.BooleanField(
        _("demo data"), default=False, help_text=_("Invented for the demo, not from the report.")
    )

    # Fields that say where a row comes from rather than what it is: forms list
    # them after the content (see cooperation.admin_tools.ProvenanceLastMixin),
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
        return f"{self.from_status or '∅'} → {self.to_status}"
