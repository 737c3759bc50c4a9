import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.production")
application = get_asgi_application()

from core.server import load_and_freeze  # noqa: E402 (needs the settings)

load_and_freeze()
