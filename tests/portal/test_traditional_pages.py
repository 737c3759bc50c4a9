"""The site in Traditional Chinese (/zh-hant/): every public page, with the demo
data loaded, reads in Traditional characters only."""

import re

import pytest
from django.core.management import call_command

from cooperation.models import Agreement, Project
from core import hant
from marketplace.models import Product
from organizations.models import Organization
from tours.models import Route

pytestmark = pytest.mark.django_db

# Text the page itself marks as Simplified (lang="zh-Hans"), such as the
# language switch naming 简体中文 in its own script, is meant to stay so.
MARKED_SIMPLIFIED = re.compile(r'<(\w+)\b[^>]*\blang="zh-Hans"[^>]*>.*?</\1>', re.S)
# Characters allowed although OpenCC would still change them. Empty: the
# Traditional output of OpenCC converts to itself (proper nouns included).
ALLOWED: set[str] = set()


def _leftovers(html: str) -> dict[str, str]:
    """Simplified characters on the page, each with a little of its context."""
    text = MARKED_SIMPLIFIED.sub("", html)
    found = {}
    for character in hant.still_simplified(text) - ALLOWED:
        at = text.index(character)
        found[character] = text[max(0, at - 15) : at + 15]
    return found


@pytest.fixture
def demo():
    call_command("load_demo", verbosity=0)


def _public_pages() -> list[str]:
    pages = [
        "/zh-hant/",
        "/zh-hant/tours/",
        "/zh-hant/products/",
        "/zh-hant/centres/",
        "/zh-hant/cooperation/",
        "/zh-hant/cooperation/agreements/",
        "/zh-hant/cooperation/projects/",
        "/zh-hant/cooperation/fund/",
        "/zh-hant/cooperation/pairings/",
        "/zh-hant/search/?q=%E6%9D%BF%E6%A0%97",  # 板栗, typed in Simplified
        "/zh-hant/search/?q=%E6%87%B7%E6%9F%94",  # 懷柔, typed in Traditional
        "/zh-hant/account/login/",
        "/zh-hant/account/register/",
    ]
    pages += [f"/zh-hant/tours/{slug}/" for slug in Route.objects.values_list("slug", flat=True)]
    pages += [
        f"/zh-hant/products/{slug}/" for slug in Product.objects.values_list("slug", flat=True)
    ]
    pages += [
        f"/zh-hant/cooperation/agreements/{slug}/"
        for slug in Agreement.objects.values_list("slug", flat=True)
    ]
    pages += [
        f"/zh-hant/cooperation/projects/{slug}/"
        for slug in Project.objects.values_list("slug", flat=True)
    ]
    producers = Organization.objects.filter(products__isnull=False).distinct()
    pages += [f"/zh-hant/producers/{slug}/" for slug in producers.values_list("slug", flat=True)]
    return pages


def test_every_public_traditional_page_has_no_simplified_character(client, demo):
    # given: the demo data, written in Simplified Chinese and English only
    pages = _public_pages()
    assert len(pages) > 20
    # when
    problems = {}
    for path in pages:
        response = client.get(path)
        assert response.status_code == 200, path
        html = response.content.decode()
        assert '<html lang="zh-Hant">' in html, path
        if found := _leftovers(html):
            problems[path] = found
    # then
    assert problems == {}


def test_the_scan_notices_a_simplified_character(client, demo):
    # given: a name nobody converted (written past save(), as a bulk update would)
    route = Route.objects.filter(is_published=True).first()
    Route.objects.filter(pk=route.pk).update(title_zh_hant=None, title_zh_hans="前门+雁栖湖")
    # when
    html = client.get(f"/zh-hant/tours/{route.slug}/").content.decode()
    # then: it falls back to the Simplified text, which the scan reports
    assert "雁栖湖" in html
    assert "栖" in _leftovers(html)


SITE = "http://127.0.0.1:8000"  # the test settings' SITE_URL


@pytest.mark.parametrize(
    ("path", "lang", "text"),
    [("/", "zh-Hans", "东城"), ("/zh-hant/", "zh-Hant", "東城"), ("/en/", "en", "Dongcheng")],
)
def test_each_language_has_its_pages_and_a_switch_to_the_other_two(client, path, lang, text):
    # when
    html = client.get(path + "cooperation/").content.decode()
    # then
    assert f'<html lang="{lang}">' in html
    assert text in html
    switch = re.search(r'<nav class="lang-switch".*?</nav>', html, re.S).group(0)
    for other, tag, name in (
        ("/cooperation/", "zh-Hans", "简体中文"),
        ("/zh-hant/cooperation/", "zh-Hant", "繁體中文"),
        ("/en/cooperation/", "en", "English"),
    ):
        assert name in switch
        if other != path + "cooperation/":
            assert f'href="{other}" hreflang="{tag}"' in switch
            # search engines want absolute hreflang URLs (SITE_URL's host)
            assert f'<link rel="alternate" hreflang="{tag}" href="{SITE}{other}">' in html
    assert f'<link rel="alternate" hreflang="x-default" href="{SITE}/cooperation/">' in html


SUGGESTION = '<a href="/zh-hant/tours/" hreflang="zh-Hant">本頁的繁體中文版</a>'


@pytest.mark.parametrize(
    ("header", "suggested"),
    [
        ("zh-TW,zh;q=0.9", True),
        ("zh-HK", True),
        ("zh-Hant", True),
        ("zh-CN,zh;q=0.9", False),
        ("en-US,en;q=0.9", False),
        (None, False),
    ],
)
def test_a_browser_preferring_traditional_is_offered_the_traditional_page(
    client, header, suggested
):
    # when
    extra = {"HTTP_ACCEPT_LANGUAGE": header} if header else {}
    html = client.get("/tours/", **extra).content.decode()
    # then: the page stays Simplified, with a link to its Traditional version
    assert '<html lang="zh-Hans">' in html
    assert (SUGGESTION in html) is suggested


def test_the_traditional_page_itself_offers_nothing(client):
    html = client.get("/zh-hant/tours/", HTTP_ACCEPT_LANGUAGE="zh-TW").content.decode()
    assert "language-suggestion" not in html


def test_the_page_cache_keeps_the_suggestion_to_the_browsers_that_get_it(client, settings):
    # given: the page cache on, and the page cached for a Traditional browser first
    settings.PUBLIC_CACHE_SECONDS = 60
    first = client.get("/tours/", HTTP_ACCEPT_LANGUAGE="zh-TW")
    # when
    simplified = client.get("/tours/", HTTP_ACCEPT_LANGUAGE="zh-CN")
    again = client.get("/tours/", HTTP_ACCEPT_LANGUAGE="zh-HK")
    # then
    assert SUGGESTION in first.content.decode()
    assert SUGGESTION not in simplified.content.decode()
    assert SUGGESTION in again.content.decode()
    assert again.wsgi_request._page_cache == "hit"
    assert "Accept-Language" in simplified["Vary"]
