"""The partner panel (/vendor/) and the district admin (/admin/) are in
Chinese on every page: each role's pages are crawled in zh-hans over the demo
data and their visible text (and the alt, title, placeholder and button
texts) may hold no English word but codes, names and other data. The choices
the panel shows are translated, and so are the strings Django 6.1's own
catalogue lacks (core/locale_gaps.py)."""

import re
from collections import defaultdict
from html.parser import HTMLParser

import pytest
from django.apps import apps
from django.core.management import call_command
from django.db import models
from django.test import Client
from django.utils import translation

from accounts.models import User

pytestmark = pytest.mark.django_db

PROJECT_APPS = ("accounts", "organizations", "cooperation", "marketplace", "tours")
# A run of Latin letters (with what joins them in codes, e-mails, file names).
TOKEN = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.@+*/:%’'-]*")
# Tokens that are codes or data by their look: SKUs and pickup or booking
# codes, e-mail addresses, slugs, file paths, URLs, a password hash's parts.
DATA_LIKE = [
    re.compile(p)
    for p in (
        r"^[A-Z0-9]+(-[A-Z0-9]+)+$",  # HR-CHESTNUT-500
        r"^[A-Z0-9]{6,8}$",  # K43XSV, GE2JPFJV
        r"^[\w.+-]+@[\w.-]+$",
        r"^[a-z0-9]+([-_][a-z0-9]+)+$",  # slugs and codes: fund-size, green_ecology
        r"^[\w-]+/[\w./-]+$",  # products/….jpg
        r"^https?://",
        r"^[\w*]*\*{4,}[\w*]*$",  # a password hash shown masked
        r"^[A-Za-z]?\d",  # 2.5kg, 13800000206
    )
]
# Words that are not English UI text: language tags of bilingual fields
# ("名称 [en]"), brand and key names in Django's translated help text
# ("按住 Control 键或 Mac 上的 Command 键"), file formats, the hash algorithm.
ALLOWED = {"en", "zh-hans", "zh-hant", "ZH-HANS", "ZH-HANT", "EN", "Control", "Command", "Mac"}
ALLOWED |= {"CSV", "SKU", "QR", "pbkdf2_sha256"}
# The bar code standard's names, untranslated on Chinese packaging too.
ALLOWED |= {"GTIN", "GS1", "EAN"}
# The pickup desk and check-in pages are being replaced by the desks at
# /vendor/desk/ (their own tests); deletion and history pages are Django's.
SKIP = ("logout", "/r/", "/delete/", "/history/", "/pickup/", "/check-in/", "jsi18n", "_popup")


class VisibleText(HTMLParser):
    """What a reader sees or hears: text outside script, style and text
    areas (a bilingual field's English content is data), plus the alt,
    title, aria-label and placeholder attributes and the buttons' values."""

    HIDDEN = {"script", "style", "textarea", "noscript", "template"}

    def __init__(self):
        super().__init__()
        self.parts: list[str] = []
        self.links: list[str] = []
        self._hidden = 0

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag in self.HIDDEN:
            self._hidden += 1
        if tag == "a" and attrs.get("href"):
            self.links.append(attrs["href"])
        for name in ("alt", "title", "aria-label", "placeholder"):
            if attrs.get(name):
                self.parts.append(attrs[name])
        if tag == "input" and attrs.get("type") in ("submit", "button") and attrs.get("value"):
            self.parts.append(attrs["value"])

    def handle_endtag(self, tag):
        if tag in self.HIDDEN:
            self._hidden -= 1

    def handle_data(self, data):
        if not self._hidden and data.strip():
            self.parts.append(data.strip())


def data_words() -> set[str]:
    """Every Latin token in the demo's own text (names, addresses, English
    content shown read-only, what people typed), but not the stored status
    values, kinds or the system's reasons, which must show translated."""
    words: set[str] = set()
    with translation.override("zh-hans"):
        for app in (*PROJECT_APPS, "auth"):  # auth: the groups' names
            for model in apps.get_app_config(app).get_models():
                fields = [
                    f.name
                    for f in model._meta.concrete_fields
                    if isinstance(f, models.CharField | models.TextField | models.FileField)
                    and not f.choices
                    and f.name not in ("from_status", "to_status", "password")
                ]
                if not fields:
                    continue
                for row in model._default_manager.values_list(*fields):
                    for name, value in zip(fields, row, strict=True):
                        if not value:
                            continue
                        value = str(value)
                        if name == "reason" and translation.gettext(value) != value:
                            continue  # a system reason: shown translated
                        words.update(TOKEN.findall(value))
    return words


def english_on(user: User, site: str, allowed: set[str], limit: int = 120) -> dict[str, set[str]]:
    """Crawls ``/site/`` as the user (links within the site, one change page
    and one filtered list per page kind) and returns each English token with
    the pages it is on."""
    client = Client(HTTP_ACCEPT_LANGUAGE="zh-hans")
    client.force_login(user)
    todo, seen, found = [f"/{site}/"], set(), defaultdict(set)
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
        parser = VisibleText()
        parser.feed(response.content.decode())
        for part in parser.parts:
            for token in TOKEN.findall(part):
                token = token.strip(".,:;'’-")
                if (
                    re.search(r"[A-Za-z]{2}", token)
                    and token not in allowed
                    and not any(p.search(token) for p in DATA_LIKE)
                ):
                    found[token].add(url)
        for href in parser.links:
            href = href.split("#")[0]
            if href.startswith("?"):
                href = url.split("?")[0] + href
            if not href.startswith(f"/{site}/") or any(s in href for s in SKIP):
                continue
            base = href.split("?")[0]
            kind = re.sub(r"/\d+/", "/<id>/", base) + ("?" if "?" in href else "")
            if href not in seen and href not in todo and kinds[kind] < 1:
                kinds[kind] += 1
                todo.append(href)
    return found


ROLES = [
    ("producer1", "vendor"),  # a producer: products, variants, stock, sales, bulk orders
    ("centre1", "vendor"),  # a centre manager: counters, orders, stock, the ledger
    ("counter1", "vendor"),  # counter staff
    ("operator1", "vendor"),  # a tour operator: routes, departures, bookings, waitlist
    ("buyer1", "vendor"),  # a business buyer's purchases
    ("district", "admin"),  # district staff: the whole admin
]


def test_every_panel_and_admin_page_is_in_chinese():
    # given the demo data (every status, event and kind of row) and its own words
    call_command("load_demo", verbosity=0)
    allowed = data_words() | ALLOWED
    # when each role's pages are crawled in zh-hans
    report = {}
    for username, site in ROLES:
        english = english_on(User.objects.get(username=username), site, allowed)
        if english:
            report[username] = {token: sorted(urls)[:2] for token, urls in english.items()}
    # then no English UI word is left (token: the first pages it is on)
    assert report == {}


def test_the_choices_the_panel_shows_are_translated():
    # every status, kind and method of every model, as a select or a list shows it
    untranslated = []
    with translation.override("zh-hans"):
        for app in PROJECT_APPS:
            for model in apps.get_app_config(app).get_models():
                for field in model._meta.fields:
                    for value, label in field.flatchoices:
                        text = str(label)
                        if value not in ("", None) and not re.search(r"[\u4e00-\u9fff]", text):
                            untranslated.append(f"{model._meta.label}.{field.name}: {text}")
    assert untranslated == []


def test_django_admin_strings_its_catalogue_lacks_are_translated():
    from django.db.models.fields import BLANK_CHOICE_LABEL

    from core.locale_gaps import DJANGO_GAPS

    with translation.override("zh-hans"):
        assert str(BLANK_CHOICE_LABEL) == "- 请选择 -"
        for msgid in DJANGO_GAPS:
            assert translation.gettext(msgid) != msgid, msgid
        # the shop's order is 订单; a route stop's order (its place) is 顺序
        assert translation.gettext("order") == "订单"
        assert translation.pgettext("place in a sequence", "order") == "顺序"


def test_the_admin_javascript_strings_django_lacks_are_translated():
    # the calendar's and clock's labels and the time-zone note (djangojs.po)
    client = Client(HTTP_ACCEPT_LANGUAGE="zh-hans")
    client.force_login(User.objects.create_user("staff", password="x", is_staff=True))
    catalog = client.get("/admin/jsi18n/").content.decode()
    for msgid, chinese in (
        ("Today (%(date)s)", "\\u4eca\\u5929"),  # 今天
        ("Next (%(month)s %(year)s)", "\\u4e0b\\u4e00\\u6708"),  # 下一月
        ("server", "\\u670d\\u52a1\\u5668"),  # 服务器
    ):
        # the catalogue is JSON in a script: Chinese as \\u escapes
        assert re.search(re.escape(f'"{msgid}": ') + r"\[?\s*\"" + re.escape(chinese), catalog), (
            msgid
        )
