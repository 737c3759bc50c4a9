"""/sitemap.xml: every public page in its three languages, each URL listing
its alternates (``hreflang`` zh-Hans, zh-Hant, en and x-default, the
unprefixed Simplified page), as django.contrib.sitemaps writes them with
``i18n``, ``alternates`` and ``x_default``.

Absolute URLs follow core.links.absolute_url: SITE_URL's scheme and host, never
the request's Host header (which the client chooses), except in development,
where the request's host is used like every other link the site hands out.
"""

from types import SimpleNamespace
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from cooperation.models import Agreement, Project
from core.context_processors import html_lang
from marketplace import selectors as market_selectors
from marketplace.models import Product
from tours import selectors as tour_selectors


class SiteSitemap(Sitemap):
    i18n = True
    alternates = True
    x_default = True

    def get_urls(self, page=1, site=None, protocol=None):
        if not settings.DEBUG or site is None:
            url = urlsplit(settings.SITE_URL)
            site, protocol = SimpleNamespace(domain=url.netloc), url.scheme
        urls = super().get_urls(page=page, site=site, protocol=protocol)
        for url_info in urls:  # hreflang as the pages' <link> tags write it
            for alternate in url_info["alternates"]:
                if alternate["lang_code"] != "x-default":
                    alternate["lang_code"] = html_lang(alternate["lang_code"])
        return urls


class PagesSitemap(SiteSitemap):
    """The list pages and dashboards."""

    changefreq = "daily"
    names = (
        "home",
        "tours:list",
        "marketplace:product_list",
        "marketplace:centre_list",
        "cooperation:dashboard",
        "cooperation:agreement_list",
        "cooperation:project_list",
        "cooperation:fund",
        "cooperation:pairing_list",
        "cooperation:data",  # the open data: it links every download
    )

    def items(self):
        return list(self.names)

    def location(self, item):
        return reverse(item)


class RouteSitemap(SiteSitemap):
    changefreq = "daily"

    def items(self):
        return tour_selectors.published_routes().order_by("pk").only("slug", "updated_at")

    def lastmod(self, item):
        return item.updated_at


class ProductSitemap(SiteSitemap):
    changefreq = "daily"

    def items(self):
        return Product.objects.filter(is_active=True).order_by("pk").only("slug", "updated_at")

    def lastmod(self, item):
        return item.updated_at


class ProducerSitemap(SiteSitemap):
    def items(self):
        return market_selectors.producers()

    def location(self, item):
        return reverse("marketplace:producer_detail", kwargs={"slug": item.slug})


class AgreementSitemap(SiteSitemap):
    def items(self):
        return Agreement.objects.order_by("pk").only("slug")


class ProjectSitemap(SiteSitemap):
    def items(self):
        return Project.objects.order_by("pk").only("slug")


SITEMAPS: dict[str, type[Sitemap] | Sitemap] = {
    "pages": PagesSitemap,
    "routes": RouteSitemap,
    "products": ProductSitemap,
    "producers": ProducerSitemap,
    "agreements": AgreementSitemap,
    "projects": ProjectSitemap,
}
