"""A lot's label in the partner panel, as Chromium draws it, read by zbar's
``zbarimg`` like a phone camera: its QR code is the lot's GS1 Digital Link
(``<site>/01/<GTIN>/10/<lot>``), and that link opens the lot's public trace
page, in the phone's language, showing the lot and no one's name."""

from urllib.parse import urlsplit

import pytest
from django.test import Client

from core import links
from tests.e2e.conftest import SCREENSHOTS
from tests.e2e.test_qr_codes import decode


@pytest.fixture
def demo(transactional_db):
    from marketplace import demo as marketplace_demo

    marketplace_demo.load()


def test_a_lot_label_reads_back_as_its_digital_link_and_opens_its_trace(browser, live_server, demo):
    from accounts.models import User
    from marketplace.models import Lot

    lot = (
        Lot.objects.filter(counter__assignments__user__username="counter1", recorded=True)
        .exclude(variant__gtin="")
        .select_related("variant")
        .first()
    )
    expected = links.absolute_url(f"/01/{lot.variant.gtin}/10/{lot.code}")
    # signed in as the demo's counter staff (a session made by the test client)
    client = Client()
    client.force_login(User.objects.get(username="counter1"))
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-GB")
    context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )
    page = context.new_page()
    page.goto(f"{live_server.url}/vendor/marketplace/lot/{lot.pk}/label/")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    png = SCREENSHOTS / "qr-lot-label.png"
    page.locator(".lot-label .qr svg").first.screenshot(path=str(png))
    assert decode(png) == [expected]
    page.screenshot(path=str(SCREENSHOTS / "lot-label-page.png"), full_page=True)

    # the link, opened on this server, is the lot's public trace page
    visitor = browser.new_context(locale="en-GB", extra_http_headers={"Accept-Language": "en"})
    trace = visitor.new_page()
    response = trace.goto(live_server.url + urlsplit(expected).path)
    assert response.status == 200
    assert trace.locator("html").get_attribute("lang") == "en"
    text = trace.locator("main").inner_text()
    assert lot.code in text and lot.variant.gtin in text
    assert "counter1" not in text
    trace.screenshot(path=str(SCREENSHOTS / "lot-trace.png"), full_page=True)
    context.close()
    visitor.close()
