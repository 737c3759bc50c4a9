"""The partner panel (/vendor/) in Traditional Chinese: each panel role's pages
are crawled with a Traditional browser (Accept-Language: zh-Hant) over the
demo data, and what a reader sees may hold no character OpenCC would still
convert, as on the public /zh-hant/ pages (tests/portal/test_traditional_pages.py)."""

import re
from collections import defaultdict

import pytest
from django.apps import apps
from django.core.management import call_command
from django.db import models
from django.test import Client

from accounts.models import User
from core import hant
from marketplace.models import Product
from tests.organizations.test_panel_translations import PROJECT_APPS, SKIP, VisibleText
from tests.portal.test_traditional_pages import ALLOWED, MARKED_SIMPLIFIED

pytestmark = pytest.mark.django_db


def typed_by_people() -> list[str]:
    """What people wrote in columns that have no Traditional sibling: their
    names, contact names, notes and reasons. Shown as written (a person's
    name is not content to convert); every content field (names,
    descriptions…) has a ``*_zh_hant`` column and must show it."""
    texts: set[str] = set()
    for app in (*PROJECT_APPS, "auth"):
        for model in apps.get_app_config(app).get_models():
            names = {f.name for f in model._meta.concrete_fields}
            fields = [
                f.name
                for f in model._meta.concrete_fields
                if isinstance(f, models.CharField | models.TextField)
                and not f.choices
                and not re.search(r"_(zh_hans|zh_hant|en)$", f.name)
                and f"{f.name}_zh_hant" not in names
                and f.name not in ("search_name", "search_text", "password")
            ]
            for row in model._default_manager.values_list(*fields) if fields else ():
                texts.update(str(value) for value in row if value)
    for user in User.objects.all():
        texts.add(user.get_full_name())
        texts.add(str(user))
    # longest first, so a name is removed whole before a shorter one inside it
    return sorted((t for t in texts if t), key=len, reverse=True)


def simplified_on(user: User, people: list[str], limit: int = 150) -> dict[str, dict[str, str]]:
    """Crawls /vendor/ as ``user`` in zh-Hant (links within the panel, one
    page per kind) and returns, per page, each Simplified character left in
    its visible text with a little context."""
    client = Client(HTTP_ACCEPT_LANGUAGE="zh-Hant")
    client.force_login(user)
    todo, seen, found = ["/vendor/"], set(), {}
    kinds: dict[str, int] = defaultdict(int)
    while todo and len(seen) < limit:
        url = todo.pop(0)
        if url in seen:
            continue
        seen.add(url)
        response = client.get(url)
        assert response.status_code in (200, 302, 403, 404), (url, response.status_code)
        if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
            continue
        html = response.content.decode()
        assert '<html lang="zh-hant"' in html, url
        if leftovers := simplified_in(html, people):
            found[url] = leftovers
        parser = VisibleText()
        parser.feed(html)
        for href in parser.links:
            href = href.split("#")[0]
            if href.startswith("?"):
                href = url.split("?")[0] + href
            if not href.startswith("/vendor/") or any(s in href for s in SKIP):
                continue
            base = href.split("?")[0]
            kind = re.sub(r"/\d+/", "/<id>/", base) + ("?" if "?" in href else "")
            if href not in seen and href not in todo and kinds[kind] < 1:
                kinds[kind] += 1
                todo.append(href)
    assert len(seen) > 5, seen  # the crawl reached the panel's pages
    return found


def simplified_in(html: str, people: list[str]) -> dict[str, str]:
    """Each Simplified character of the page's visible text (leaving out what
    the page marks as Simplified and what people typed) with its context."""
    parser = VisibleText()
    parser.feed(MARKED_SIMPLIFIED.sub("", html))
    text = "\n".join(parser.parts)
    for typed in people:
        if typed in text:
            text = text.replace(typed, " ")
    leftovers = {}
    for character in hant.still_simplified(text) - ALLOWED:
        at = text.index(character)
        leftovers[character] = text[max(0, at - 12) : at + 12]
    return leftovers


PANEL_ROLES = [
    "producer1",  # a vendor (producer): products, variants, stock, sales, bulk orders
    "centre1",  # a centre manager: counters, orders, the ledger
    "counter1",  # counter staff
    "operator1",  # a tour operator: routes, departures, bookings, the manifest
]


def test_every_panel_page_in_traditional_has_no_simplified_character():
    # given the demo data, written in Simplified Chinese and English only
    call_command("load_demo", verbosity=0)
    # when each panel role's pages are crawled in zh-Hant
    people = typed_by_people()
    report = {}
    for username in PANEL_ROLES:
        if found := simplified_on(User.objects.get(username=username), people):
            report[username] = found
    # then nothing is left in Simplified (page: character → context)
    assert report == {}


def test_the_panel_scan_notices_a_simplified_name():
    # given a product name nobody converted (written past save(), as a bulk update would)
    call_command("load_demo", verbosity=0)
    producer = User.objects.get(username="producer1")
    product = Product.objects.filter(producer__memberships__user=producer).first()
    Product.objects.filter(pk=product.pk).update(name_zh_hant=None, name_zh_hans="怀柔板栗礼盒")
    client = Client(HTTP_ACCEPT_LANGUAGE="zh-TW")
    client.force_login(producer)
    # when
    html = client.get("/vendor/marketplace/product/").content.decode()
    # then: the panel speaks Traditional, and the fallback to Simplified is reported
    assert '<html lang="zh-hant"' in html
    assert "盒" not in simplified_in(html, typed_by_people())
    assert "礼" in simplified_in(html, typed_by_people())


def test_the_staff_sites_stay_simplified_for_other_browsers():
    client = Client(HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert '<html lang="zh-hans"' in client.get("/vendor/login/").content.decode()
    client = Client(HTTP_ACCEPT_LANGUAGE="zh-HK")
    assert '<html lang="zh-hant"' in client.get("/admin/login/").content.decode()
