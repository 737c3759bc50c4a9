"""Every QR code the site shows is read by a real decoder, as a phone would.

Chromium renders each page (the demo visitor's account page, order pages and
booking pages, in the light and the dark colour scheme); each QR code is
screenshotted as the browser drew it and decoded by zbar's ``zbarimg`` (which,
like most phone cameras and WeChat's scanner, reads no Micro QR). What it reads
must be the code printed beside it: the pickup code itself, or the booking's
check-in URL that carries the booking code. ``make e2e-deps`` installs zbar-tools.
"""

import re
import shutil
import subprocess
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

from tests.e2e.conftest import SCREENSHOTS, sign_in

ZBARIMG = shutil.which("zbarimg") or "/usr/bin/zbarimg"


@pytest.fixture
def demo_visitor(transactional_db):
    from accounts.demo import DEMO_PASSWORD
    from marketplace import demo as marketplace_demo
    from tours import demo as tours_demo

    marketplace_demo.load()
    tours_demo.load()
    return "visitor", DEMO_PASSWORD


def decode(png: Path) -> list[str]:
    """The QR codes zbarimg finds in ``png`` (only QR: no bar codes guessed)."""
    if not Path(ZBARIMG).exists():
        pytest.fail("zbarimg is missing: run `make e2e-deps` (apt-get install zbar-tools)")
    result = subprocess.run(
        [ZBARIMG, "--quiet", "--raw", "-Sdisable", "-Sqrcode.enable", str(png)],
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
    )
    # exit 4: nothing found, which the assertion below reports
    assert result.returncode in (0, 4), result.stderr
    return [line for line in result.stdout.splitlines() if line]


def qr_codes_on(page, name: str) -> list[tuple[str, str, str]]:
    """(kind, printed code, decoded text) for each QR code on the page."""
    found = []
    cards = page.locator(".order-card:has(.qr svg), .booking-card:has(.qr svg)")
    for i in range(cards.count()):
        card = cards.nth(i)
        kind = "order" if "order-card" in (card.get_attribute("class") or "") else "booking"
        printed = card.locator(".pickup-code").first.inner_text().strip()
        png = SCREENSHOTS / f"qr-{name}-{i}.png"
        card.locator(".qr svg").screenshot(path=str(png))
        (text,) = decode(png) or ["(nothing read)"]
        found.append((kind, printed, text))
    return found


def matches(kind: str, printed: str, text: str) -> bool:
    if kind == "order":
        # printed in two groups of three ("ABC 234"), encoded as typed
        return text == printed.replace(" ", "")
    url = urlsplit(text)
    return url.scheme in ("http", "https") and parse_qs(url.query).get("code") == [printed]


def detail_pages(username: str) -> list[str]:
    """The visitor's order pages, their cancel questions and booking pages."""
    from django.urls import reverse

    from marketplace.models import Order
    from tours.models import Booking

    orders = Order.objects.filter(customer__username=username).order_by("pk")
    bookings = Booking.objects.filter(customer__username=username).order_by("pk")
    return [
        *(order.get_absolute_url() for order in orders),
        *(reverse("marketplace:order_cancel", args=[order.pk]) for order in orders),
        *(reverse("tours:booking", kwargs={"code": b.code}) for b in bookings),
    ]


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_every_qr_code_reads_back_as_the_code_printed_beside_it(
    browser, live_server, demo_visitor, scheme
):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    context = browser.new_context(
        viewport={"width": 390, "height": 844}, locale="zh-CN", color_scheme=scheme
    )
    page = context.new_page()
    page.base_url = live_server.url
    sign_in(page, *demo_visitor)
    page.wait_for_url(re.compile(r"/account/$"))

    pages = ["/account/", *detail_pages(demo_visitor[0])]
    seen = {"order": 0, "booking": 0}
    for n, path in enumerate(pages):
        page.goto(live_server.url + path)
        for kind, printed, text in qr_codes_on(page, f"{scheme}-{n}"):
            assert matches(kind, printed, text), f"{path}: {kind} {printed!r} reads {text!r}"
            seen[kind] += 1
    context.close()
    # the demo visitor has open orders and bookings, each shown with its code
    assert seen["order"] >= 4 and seen["booking"] >= 2, seen
