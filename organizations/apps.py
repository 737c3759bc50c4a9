from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrganizationsConfig(AppConfig):
    """Who is who: districts, areas, organizations and their members, and the
    partner panel /vendor/ where members work on their own organization's objects."""

    name = "organizations"
    verbose_name = _("Organizations")

    def ready(self) -> None:
        from . import signals

        signals.connect()
