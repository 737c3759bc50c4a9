from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    """The site as a whole: the home and account pages, the health check, media
    serving and `load_demo`, which bring the domain apps together."""

    name = "portal"
    verbose_name = _("Site")
