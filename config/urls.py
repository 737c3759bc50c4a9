"""Root URLs: public pages under i18n_patterns (Chinese unprefixed, English at
/en/), staff sites, the versioned API and its schema."""

from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path, re_path
from django.utils.translation import gettext_lazy
from drf_spectacular.views import SpectacularAPIView

from core import desk as desk_shell
from core.api.docs import ApiDocsView
from marketplace import views as marketplace_views
from marketplace.desk import pickup_desk
from organizations.vendor import vendor_site
from portal import edges, views
from tours.desk import check_in_desk

handler404 = "portal.views.page_not_found"

# In the reader's language, like the rest of the admin (Django's default
# title, "Django site administration", would show in every page's title).
admin.site.site_header = gettext_lazy("Dongcheng–Huairou paired cooperation · district admin")
admin.site.site_title = gettext_lazy("District admin")

urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
    # What machines read at the root (portal.edges): crawlers, browsers, launchers.
    path("robots.txt", edges.robots_txt, name="robots"),
    path("sitemap.xml", edges.sitemap_xml, name="sitemap"),
    path("favicon.ico", edges.favicon, name="favicon"),
    path("manifest.webmanifest", edges.manifest, name="manifest"),
    path("admin/", admin.site.urls),
    # The staff desks (task-focused, installable, offline-first), before the panel.
    path("vendor/desk/sw.js", desk_shell.service_worker, name="desk_sw"),
    path(
        "vendor/",
        include(
            desk_shell.desk_views(pickup_desk, login=vendor_site.admin_view)
            + desk_shell.desk_views(check_in_desk, login=vendor_site.admin_view)
        ),
    ),
    path("vendor/", vendor_site.urls),
    path("api/v1/", include("config.api_urls")),
    # OCTO, the open standard travel resellers book through (resellers.api).
    path("api/octo/", include("resellers.api.urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", ApiDocsView.as_view(url_name="api-schema"), name="api-docs"),
    path("media/<path:path>", views.media, name="media"),
    # A lot's QR code (GS1 Digital Link, core.gs1) opens its trace page here, in
    # the browser's language; /en/ and /zh-hant/ serve it too (marketplace.urls).
    re_path(
        r"^01/(?P<gtin>[0-9]{1,14})/10/(?P<lot>[A-Za-z0-9-]{1,20})/?$",
        marketplace_views.lot_trace,
        name="lot_trace",
    ),
    re_path(r"^01/(?P<gtin>[0-9]{1,14})/?$", marketplace_views.gtin_product, name="gtin_product"),
]

if settings.BENCH_VIEWS:
    # The benchmark's yardstick: the cheapest answer Django can give (scripts/bench.py).
    urlpatterns.append(path("bench/bare", views.bench_bare, name="bench-bare"))

urlpatterns += i18n_patterns(
    path("", views.home, name="home"),
    path("search/", views.search_page, name="search"),
    path("account/", views.account, name="account"),
    path("account/", include("accounts.urls")),
    path("cooperation/", include("cooperation.urls")),
    path("tours/", include("tours.urls")),
    path("", include("marketplace.urls")),
    prefix_default_language=False,
)
