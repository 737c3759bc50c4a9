"""What machines read at the site's root: /robots.txt, /sitemap.xml (see
portal.sitemaps), /favicon.ico and /manifest.webmanifest (the web app
manifest: install to a phone's home screen)."""

import json
from functools import cache

from django.conf import settings
from django.contrib.sitemaps.views import sitemap as sitemap_view
from django.http import HttpRequest, HttpResponse
from django.templatetags.static import static
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from core.context_processors import html_lang
from core.links import absolute_url

from .sitemaps import SITEMAPS

# Pages that are someone's own, or forms, or staff sites: nothing a search
# engine should list (they need a sign-in or answer 4xx/redirects anyway).
PRIVATE_PATHS = (
    "/account/",
    "/cart/",
    "/checkout/",
    "/orders/",
    "/bulk/",
    "/tours/bookings/",
    "/tours/waitlist/",
    "/search/",
)
STAFF_PATHS = ("/admin/", "/vendor/", "/api/")
ICON = settings.BASE_DIR / "static" / "img" / "favicon.ico"


def _language_prefixes() -> list[str]:
    return [""] + [
        f"/{code}" for code, _name in settings.LANGUAGES if code != settings.LANGUAGE_CODE
    ]


@require_safe
def robots_txt(request: HttpRequest) -> HttpResponse:
    lines = ["User-agent: *"]
    lines += [f"Disallow: {path}" for path in STAFF_PATHS]
    lines += [
        f"Disallow: {prefix}{path}" for prefix in _language_prefixes() for path in PRIVATE_PATHS
    ]
    # a booking's own page ends in /book/ under each route
    lines += [f"Disallow: {prefix}/tours/*/book/" for prefix in _language_prefixes()]
    lines += ["", f"Sitemap: {absolute_url(reverse('sitemap'), request)}", ""]
    return HttpResponse("\n".join(lines), content_type="text/plain; charset=utf-8")


@require_safe
def sitemap_xml(request: HttpRequest) -> HttpResponse:
    return sitemap_view(request, sitemaps=SITEMAPS)


@cache
def _icon_bytes() -> bytes:
    return ICON.read_bytes()


@require_safe
def favicon(request: HttpRequest) -> HttpResponse:
    """The .ico browsers and feed readers ask for at the root, whatever the page says."""
    response = HttpResponse(_icon_bytes(), content_type="image/x-icon")
    response["Cache-Control"] = "public, max-age=86400"
    return response


@require_safe
def manifest(request: HttpRequest) -> HttpResponse:
    """The web app manifest, in the site's default language (Simplified Chinese)."""
    with translation.override(settings.LANGUAGE_CODE):
        body = {
            "name": _("Dongcheng–Huairou Cooperation"),
            "short_name": _("Dongcheng–Huairou"),
            "description": _(
                "Joint tours, Huairou farm products at Dongcheng counters, and the figures "
                "of the Dongcheng–Huairou paired cooperation."
            ),
            "lang": html_lang(settings.LANGUAGE_CODE),
            "dir": "ltr",
            "id": "/",
            "start_url": "/",
            "scope": "/",
            "display": "standalone",
            "background_color": "#fffdf8",
            "theme_color": "#9b1c1c",
            "icons": [
                {
                    "src": static(f"img/icon-{size}.png"),
                    "sizes": f"{size}x{size}",
                    "type": "image/png",
                    "purpose": "any",
                }
                for size in (192, 512)
            ],
        }
    return HttpResponse(
        json.dumps(body, ensure_ascii=False, indent=2),
        content_type="application/manifest+json; charset=utf-8",
    )
