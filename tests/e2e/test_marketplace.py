"""The marketplace journey in a real (phone-sized) browser: search the
products in Chinese, open one, add it to the cart, reserve it at a counter,
and find the pickup code and its QR code on the account page. No page asks
another host; axe checks each page on the way."""

import re

import pytest

from tests.e2e.conftest import sign_in, wider_than_the_screen


@pytest.fixture
def shop(transactional_db):
    from accounts.demo import DEMO_PASSWORD
    from marketplace import demo

    demo.load()
    return DEMO_PASSWORD


def test_browse_add_reserve_and_see_the_pickup_code(page, shop, screenshot, axe_check):
    sign_in(page, "visitor", shop)

    # search in Chinese: 板栗 finds the chestnut products
    page.goto(page.base_url + "/products/")
    axe_check(page)
    page.click("details.filter-panel > summary")  # folded on a phone
    page.fill("form.filters input[name=q]", "板栗")
    page.click("form.filters button[type=submit]")
    # a locator does not wait for the navigation the click starts
    page.wait_for_url(re.compile(r"[?&]q="))
    titles = page.locator(".product-card h3 a").all_inner_texts()
    assert "怀柔板栗" in titles and "汤河红薯" not in titles
    screenshot(page, "marketplace-search")

    # open the chestnuts: variants and availability per counter
    page.locator(".product-card h3 a", has_text="怀柔板栗").first.click()
    page.wait_for_url(re.compile(r"/products/huairou-chestnuts/$"))
    axe_check(page)
    assert page.locator(".variant table .stock-in").count() >= 1
    screenshot(page, "marketplace-product")

    # add two 500 g bags to the cart (a plain form POST: no JavaScript needed)
    first = page.locator("section.variant").first
    first.locator("input[name=quantity]").fill("2")
    first.locator("button[type=submit]").click()
    page.wait_for_url(re.compile(r"/products/huairou-chestnuts/$"))
    page.goto(page.base_url + "/cart/")
    axe_check(page)
    assert page.locator("input.qty").first.input_value() == "2"
    screenshot(page, "marketplace-cart")

    # checkout: choose a counter that has everything
    page.click("a.button[href$='/checkout/']")
    page.wait_for_url(re.compile(r"/checkout/$"))
    axe_check(page)
    page.locator(".counter-choice input[type=radio]:not([disabled])").first.check()
    screenshot(page, "marketplace-checkout")
    page.click("form.checkout-form button[type=submit]")
    page.wait_for_url(re.compile(r"/orders/\d+/$"))
    code = page.locator(".pickup-code").first.inner_text().strip()
    assert re.fullmatch(r"[A-Z2-9]{3} [A-Z2-9]{3}", code)
    assert page.locator(".qr svg[role=img]").count() == 1
    axe_check(page)
    screenshot(page, "marketplace-order")

    # the account page lists it with its code, QR code and deadline
    page.goto(page.base_url + "/account/")
    axe_check(page)
    assert code in page.locator(".order-card .pickup-code").all_inner_texts()
    card = page.locator(".order-card", has_text=code)
    assert card.locator(".qr svg").count() == 1
    assert card.locator("button", has_text=re.compile("Cancel|取消")).count() == 1
    screenshot(page, "marketplace-account")


@pytest.mark.parametrize(
    "path",
    ["/products/", "/en/products/", "/en/products/huairou-chestnuts/", "/centres/", "/en/centres/"],
)
def test_the_shop_fits_a_phone_in_both_languages(page, shop, path):
    # The filters' drop-downs hold long English names of centres and
    # producers: they must wrap or shrink, not widen the page.
    page.goto(page.base_url + path)
    assert page.locator("h1").count() == 1
    assert wider_than_the_screen(page) == []


def test_the_catalogue_in_english_without_javascript(browser, live_server, shop):
    context = browser.new_context(viewport={"width": 390, "height": 844}, java_script_enabled=False)
    page = context.new_page()
    page.goto(live_server.url + "/en/products/?in_stock=on")
    assert "Huairou chestnuts" in page.content()
    page.goto(live_server.url + "/en/centres/")
    assert page.locator("section.centre").count() == 3
    # add to the cart with JavaScript off
    page.goto(live_server.url + "/en/products/red-pear-paste/")
    page.locator("section.variant button[type=submit]").first.click()
    page.wait_for_url(re.compile(r"/en/products/red-pear-paste/$"))
    page.goto(live_server.url + "/en/cart/")
    assert "Red-pear paste" in page.content()
    context.close()


def test_producer_and_bulk_pages_pass_axe(page, shop, axe_check, screenshot):
    from marketplace.models import BulkOrder

    for path in (
        "/producers/demo-lixiangyu-chestnut-coop/",
        "/en/producers/demo-zunyugou-fishery/",
        "/en/centres/",
    ):
        page.goto(page.base_url + path)
        axe_check(page)
    sign_in(page, "buyer1", shop)
    bulk = BulkOrder.objects.filter(buyer__slug="demo-jingdong-fresh-market").first()
    for path in ("/bulk/", "/bulk/request/demo-lixiangyu-chestnut-coop/", f"/en/bulk/{bulk.pk}/"):
        page.goto(page.base_url + path)
        axe_check(page)
    # request a bulk order of 60 bags from the chestnut cooperative
    page.goto(page.base_url + "/bulk/request/demo-lixiangyu-chestnut-coop/")
    page.locator("input.qty").first.fill("60")
    page.click("main form button[type=submit]")
    page.wait_for_url(re.compile(r"/bulk/\d+/$"))
    assert "¥1260.00" in page.content()  # 60 × ¥21.00, the tier from 50
    screenshot(page, "marketplace-bulk-order")
