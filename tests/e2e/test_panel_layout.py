"""The partner panel at a 1280 px counter screen and a 390 px phone: the
producer's product form, the stock ledger and the order list never scroll
the page sideways; at 1280 px every column of the lists and the variants'
price field are in view (a table may scroll inside its own box on a phone)."""

import pytest


@pytest.fixture
def panel(transactional_db):
    from accounts.demo import DEMO_PASSWORD
    from marketplace import demo

    demo.load()
    return DEMO_PASSWORD


def signed_in_page(browser, live_server, username, password, width, height):
    context = browser.new_context(viewport={"width": width, "height": height}, locale="zh-CN")
    page = context.new_page()
    outside = []

    def guard(route):
        if route.request.url.startswith(live_server.url) or route.request.url.startswith("data:"):
            route.continue_()
        else:
            outside.append(route.request.url)
            route.abort()

    page.route("**/*", guard)
    page.goto(live_server.url + "/vendor/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("input[type=submit]")
    page.wait_for_url(live_server.url + "/vendor/")
    return page, outside


def page_width(page) -> tuple[int, int]:
    return page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")


@pytest.mark.parametrize("width, height", [(1280, 900), (390, 844)], ids=["1280", "390"])
def test_the_product_form_and_lists_fit_the_screen(
    browser, live_server, panel, width, height, screenshot
):
    from marketplace.models import Product

    product = Product.objects.filter(producer__memberships__user__username="producer1").first()
    page, outside = signed_in_page(browser, live_server, "producer1", panel, width, height)
    for name, path in (
        ("add", "/vendor/marketplace/product/add/"),
        ("change", f"/vendor/marketplace/product/{product.pk}/change/"),
    ):
        page.goto(live_server.url + path)
        scroll, inner = page_width(page)
        assert scroll <= inner, (path, scroll, inner)
        price = page.locator("input[name$='-unit_price']").first.bounding_box()
        if width >= 1280:
            assert price["x"] + price["width"] <= inner, f"the price is off-screen on {path}"
        # the essentials show; the rest is folded
        assert page.locator("#id_name_zh_hans").is_visible()
        assert not page.locator("#id_description_en").is_visible()
        screenshot(page, f"panel-product-{name}-{width}")
    page.context.close()

    page, outside_too = signed_in_page(browser, live_server, "counter1", panel, width, height)
    for name, path in (
        ("ledger", "/vendor/marketplace/stockmovement/"),
        ("orders", "/vendor/marketplace/counterorder/"),
        ("stock", "/vendor/marketplace/counterstock/"),
    ):
        page.goto(live_server.url + path)
        scroll, inner = page_width(page)
        assert scroll <= inner, (path, scroll, inner)
        if width >= 1280:
            # every column in view: the table does not even scroll in its box
            results = page.evaluate(
                "(() => { const r = document.querySelector('#changelist-form .results');"
                " return [r.scrollWidth, r.clientWidth]; })()"
            )
            assert results[0] <= results[1] + 1, (path, results)
        screenshot(page, f"panel-{name}-{width}")
    page.context.close()
    assert outside == outside_too == []
