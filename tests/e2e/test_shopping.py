"""Shopping in a real browser, on a phone (390 px) and a desktop (1280 px), in
Chinese and English: the cart count in the header of every page after adding,
the warning when no counter has as many units as asked, and the product list's
first result in view without scrolling."""

import re

import pytest


@pytest.fixture
def shop(transactional_db):
    from accounts.demo import DEMO_PASSWORD
    from marketplace import demo

    demo.load()
    return DEMO_PASSWORD


def _count(page) -> str:
    return page.locator(".site-header .header-cart .cart-count").inner_text().strip()


@pytest.mark.parametrize(
    ("width", "prefix"), [(390, ""), (1280, "/en")], ids=["phone-zh", "desktop-en"]
)
def test_the_header_counts_what_was_added_on_every_page(browser, live_server, shop, width, prefix):
    context = browser.new_context(viewport={"width": width, "height": 844})
    page = context.new_page()
    base = live_server.url + prefix
    page.goto(base + "/products/huairou-chestnuts/")
    cart = page.locator(".site-header .header-cart")
    assert cart.is_visible()
    assert cart.locator(".cart-count").count() == 0  # nothing yet
    first = page.locator("section.variant").first
    first.locator("input[name=quantity]").fill("2")
    first.locator("button[type=submit]").click()
    page.wait_for_url(re.compile(r"/products/huairou-chestnuts/$"))
    assert _count(page) == "2"
    page.locator("section.variant").nth(1).locator("button[type=submit]").click()
    page.wait_for_url(re.compile(r"/products/huairou-chestnuts/$"))
    for path in ("/", "/tours/", "/centres/", "/cooperation/", "/search/?q=板栗"):
        page.goto(base + path)
        assert _count(page) == "3", path
        box = cart.bounding_box()
        assert box and box["y"] + box["height"] <= 844 and box["x"] + box["width"] <= width
    cart.click()
    page.wait_for_url(re.compile(r"/cart/$"))
    assert cart.get_attribute("aria-current") == "page"
    context.close()


@pytest.mark.parametrize("prefix", ["", "/en"])
def test_on_a_phone_the_first_product_and_its_price_are_in_view(page, shop, prefix, screenshot):
    page.goto(page.base_url + prefix + "/products/")
    panel = page.locator("details.filter-panel")
    assert panel.get_attribute("open") is None  # folded
    assert not page.locator("form.filters select[name=sort]").is_visible()
    first = page.locator(".product-card").first
    for part in (first.locator("h3 a"), first.locator(".price"), first.locator(".unit-price")):
        box = part.bounding_box()
        assert box and box["y"] + box["height"] <= 844, part
    screenshot(page, f"shopping-list-phone{prefix.replace('/', '-')}")
    # unfolded, sorted by price: the cheapest first, and the panel stays open with the choice
    page.click("details.filter-panel > summary")
    page.select_option("form.filters select[name=sort]", "price")
    page.click("form.filters button[type=submit]")
    page.wait_for_url(re.compile(r"sort=price"))
    prices = [
        float(re.sub(r"[^\d.]", "", text))
        for text in page.locator(".product-card .price").all_inner_texts()
    ]
    assert prices == sorted(prices)
    assert page.locator("form.filters select[name=sort]").input_value() == "price"


def test_on_a_desktop_the_filters_are_open_without_a_toggle(browser, live_server, shop):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.goto(live_server.url + "/en/products/")
    assert page.locator("form.filters select[name=sort]").is_visible()
    assert not page.locator("details.filter-panel > summary").is_visible()
    assert page.locator(".product-card").first.bounding_box()["y"] < 900
    context.close()


@pytest.mark.parametrize(
    ("width", "prefix", "words"),
    [(390, "", "只剩"), (1280, "/en", "Only")],
    ids=["phone-zh", "desktop-en"],
)
def test_adding_more_than_any_counter_has_warns_and_keeps_the_line(
    browser, live_server, shop, screenshot, axe_check, width, prefix, words
):
    from marketplace import selectors
    from marketplace.models import ProductVariant

    variant = ProductVariant.objects.get(sku="HR-PEARPASTE-250")
    _counter, available = selectors.best_stock(variant_id=variant.pk)
    context = browser.new_context(viewport={"width": width, "height": 844})
    page = context.new_page()
    page.goto(live_server.url + prefix + "/products/red-pear-paste/")
    first = page.locator("section.variant").first
    first.locator("input[name=quantity]").fill(str(available + 5))
    first.locator("button[type=submit]").click()
    page.wait_for_url(re.compile(r"/products/red-pear-paste/$"))
    warning = page.locator(".message-warning")
    assert warning.count() == 1
    text = warning.inner_text()
    assert words in text and str(available) in text and str(available + 5) in text
    assert _count(page) == str(available + 5)  # kept: the visitor decides
    box = warning.bounding_box()
    assert box and box["y"] < 844  # in view on arrival
    axe_check(page)
    screenshot(page, f"shopping-stock-warning-{width}")
    context.close()
