from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ToursConfig(AppConfig):
    name = "tours"
    verbose_name = _("Tours")

    def ready(self) -> None:
        # The dashboard's impact roll-up counts the tours' bookings too.
        from core import figures

        from .selectors import impact_rows

        figures.register_impact(impact_rows)

        from . import signals

        signals.connect()
