from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MarketplaceConfig(AppConfig):
    name = "marketplace"
    verbose_name = _("Marketplace")

    def ready(self) -> None:
        # The dashboard shows the consumption-support sales beside the report's figures.
        from core import figures

        from .selectors.reports import consumption_support_figures, impact_rows
        from .selectors.shares import institutional_share_figures

        figures.register(consumption_support_figures)
        figures.register(institutional_share_figures)
        figures.register_impact(impact_rows)

        from . import signals

        signals.connect()
