"""Abstract models every app builds on (``cooperation`` is the lowest layer:
marketplace and tours import it, it imports neither)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class DemoFlag(models.Model):
    """A row that may have been invented for the demo rather than taken from
    the report. Pages label such rows, so the two are never confused."""

    is_demo = models.BooleanField(
        _("demo data"), default=False, help_text=_("Invented for the demo, not from the report.")
    )

    # Fields that say where a row comes from rather than what it is: forms list
    # them after the content (see cooperation.admin_mixins.ProvenanceLastMixin),
    # although Django puts the fields of abstract bases first.
    PROVENANCE_FIELDS: tuple[str, ...] = ("is_demo",)

    class Meta:
        abstract = True
