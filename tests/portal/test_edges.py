"""What machines read: robots.txt, sitemap.xml (three languages, hreflang
alternates with x-default), hreflang and canonical links in every page's head,
Open Graph tags on route and product pages, /favicon.ico and the web app
manifest. Every absolute URL is SITE_URL's, whatever Host the request named."""

import io
import json
import re
import xml.etree.ElementTree as ET

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import IcoImagePlugin, Image

from marketplace.models import ProductImage
from tests.marketplace.factories import ProductFactory
from tests.tours.factories import RouteFactory

pytestmark = pytest.mark.django_db

SITE = "https://huairou.example.org"
NS = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9", "x": "http://www.w3.org/1999/xhtml"}
TAGS = {"zh-Hans": "", "zh-Hant": "/zh-hant", "en": "/en"}


@pytest.fixture(autouse=True)
def _site(settings):
    settings.SITE_URL = SITE
    settings.ALLOWED_HOSTS = ["*"]


@pytest.fixture
def route():
    return RouteFactory(slug="qianmen-yanqi", title="前门+雁栖湖", title_en="Qianmen + Yanqi Lake")


@pytest.fixture
def product():
    product = ProductFactory(slug="chestnuts", name="怀柔板栗", name_en="Huairou chestnuts")
    out = io.BytesIO()
    Image.new("RGB", (64, 48), (150, 80, 20)).save(out, "JPEG")
    ProductImage(
        product=product,
        image=SimpleUploadedFile("c.jpg", out.getvalue(), content_type="image/jpeg"),
        alt_text="板栗",
    ).save()
    return product


def meta(html: str, prop: str) -> list[str]:
    return re.findall(rf'<meta property="{re.escape(prop)}" content="([^"]*)">', html)


def test_robots_txt_keeps_crawlers_out_of_private_pages_and_names_the_sitemap(client):
    response = client.get("/robots.txt", HTTP_HOST="evil.example")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    text = response.content.decode()
    assert text.startswith("User-agent: *\n")
    for path in ("/admin/", "/vendor/", "/api/", "/account/", "/en/account/", "/orders/"):
        assert f"Disallow: {path}\n" in text
    assert "Disallow: /zh-hant/tours/bookings/\n" in text
    assert f"Sitemap: {SITE}/sitemap.xml" in text
    assert "evil.example" not in text


def test_the_sitemap_lists_each_page_in_three_languages_with_alternates(client, route, product):
    # when a crawler fetches it through any host name
    response = client.get("/sitemap.xml", HTTP_HOST="evil.example")
    # then it is a sitemap of SITE_URL's absolute URLs
    assert response.status_code == 200
    assert "evil.example" not in response.content.decode()
    root = ET.fromstring(response.content)
    urls = {
        url.findtext("s:loc", namespaces=NS): {
            link.get("hreflang"): link.get("href") for link in url.findall("x:link", NS)
        }
        for url in root.findall("s:url", NS)
    }
    for path in ("/", "/tours/", "/products/", "/tours/qianmen-yanqi/", "/products/chestnuts/"):
        expected = {tag: f"{SITE}{prefix}{path}" for tag, prefix in TAGS.items()}
        expected["x-default"] = f"{SITE}{path}"
        for prefix in TAGS.values():
            # each language's URL is listed, with all four alternates
            assert urls[f"{SITE}{prefix}{path}"] == expected, path
    assert all(loc.startswith(SITE + "/") for loc in urls)
    # nothing private is listed
    assert not [loc for loc in urls if re.search(r"/(account|orders|cart|vendor|admin)/", loc)]


def test_an_unpublished_route_and_a_product_off_sale_are_not_in_the_sitemap(client):
    RouteFactory(slug="hidden", is_published=False)
    ProductFactory(slug="gone", is_active=False)
    text = client.get("/sitemap.xml").content.decode()
    assert "/hidden/" not in text and "/gone/" not in text


@pytest.mark.parametrize("path", ["/", "/tours/qianmen-yanqi/", "/en/products/chestnuts/"])
def test_every_page_has_absolute_hreflang_links_x_default_and_a_canonical(
    client, route, product, path
):
    html = client.get(path, HTTP_HOST="evil.example").content.decode()
    bare = re.sub(r"^/(en|zh-hant)/", "/", path)
    links = dict(re.findall(r'<link rel="alternate" hreflang="([^"]+)" href="([^"]+)">', html))
    assert links == {
        **{tag: f"{SITE}{prefix}{bare}" for tag, prefix in TAGS.items()},
        "x-default": f"{SITE}{bare}",
    }
    assert f'<link rel="canonical" href="{SITE}{path}">' in html
    assert "evil.example" not in html


def test_a_route_page_has_open_graph_tags_in_its_language(client, route):
    html = client.get("/en/tours/qianmen-yanqi/").content.decode()
    assert meta(html, "og:title") == ["Qianmen + Yanqi Lake"]
    assert meta(html, "og:url") == [f"{SITE}/en/tours/qianmen-yanqi/"]
    assert meta(html, "og:locale") == ["en_US"]
    assert meta(html, "og:locale:alternate") == ["zh_CN", "zh_TW"]
    assert meta(html, "og:description")
    # no stop has a picture: the app icon, absolute
    assert meta(html, "og:image") == [f"{SITE}/static/img/icon-512.png"]


def test_a_product_page_shows_its_picture_as_the_open_graph_image(client, product):
    html = client.get("/products/chestnuts/").content.decode()
    (image,) = meta(html, "og:image")
    rendition = ProductImage.objects.get().medium_jpeg.url
    assert image == f"{SITE}{rendition}"
    assert client.get(rendition).status_code == 200
    assert meta(html, "og:title") == ["怀柔板栗"]
    assert meta(html, "og:type") == ["product"]
    assert meta(html, "og:locale") == ["zh_CN"]
    assert meta(html, "og:image:alt") == ["板栗"]


def test_favicon_ico_is_a_real_icon(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/x-icon"
    # core.images lets Image.open read only upload formats: read the ICO directly
    icon = IcoImagePlugin.IcoImageFile(io.BytesIO(response.content))
    assert icon.format == "ICO"
    assert {(16, 16), (32, 32), (48, 48)} <= set(icon.info["sizes"])
    # the design of favicon.svg: the dark red square
    assert icon.convert("RGB").getpixel((2, 24)) == pytest.approx((0x9B, 0x1C, 0x1C), abs=8)


def test_the_web_app_manifest_names_the_site_and_its_icons(client):
    html = client.get("/").content.decode()
    assert '<link rel="manifest" href="/manifest.webmanifest">' in html
    assert '<link rel="icon" href="/favicon.ico"' in html
    response = client.get("/manifest.webmanifest")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/manifest+json")
    manifest = json.loads(response.content)
    assert manifest["name"] == "东城–怀柔结对协作"
    assert manifest["start_url"] == "/" and manifest["display"] == "standalone"
    sizes = {}
    for icon in manifest["icons"]:
        image = client.get(icon["src"])
        assert image.status_code == 200, icon["src"]
        png = Image.open(io.BytesIO(b"".join(image.streaming_content)))
        assert png.format == "PNG"
        sizes[icon["sizes"]] = png.size
    assert sizes == {"192x192": (192, 192), "512x512": (512, 512)}
