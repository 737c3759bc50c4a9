"""Absolute links the site hands out: in API answers, calendar files, QR
codes and e-mails. One rule, used everywhere:

- development (DEBUG on) with a request: the host and port the request came
  to (``request.build_absolute_uri``), so a link followed from a dev server on
  another port, or from a phone on the LAN, works;
- production, or no request at all (the e-mail worker): ``SITE_URL``. A link
  stays canonical whoever asked, and the Host header, which the client
  chooses (ALLOWED_HOSTS only narrows it), never ends up in a link the site
  hands out or caches.
"""

from urllib.parse import urlsplit

from django.conf import settings
from django.http import HttpRequest


def absolute_url(path: str, request: HttpRequest | None = None) -> str:
    """``path`` (a site path, "/tours/...") as an absolute URL; an empty value or
    one that is absolute already (a MEDIA_URL on another host) is returned as is."""
    if not path or urlsplit(path).scheme:
        return path
    if request is not None and settings.DEBUG:
        return request.build_absolute_uri(path)
    site = settings.SITE_URL.rstrip("/")
    return f"{site}{path}" if path.startswith("/") else f"{site}/{path}"
