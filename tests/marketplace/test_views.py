"""Public pages in both languages: catalogue, centres, producers, the session
cart without JavaScript, checkout, order pages, /account/, bulk-order pages."""

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.test import Client
from django.utils import timezone

from marketplace import services
from marketplace.cart import SESSION_KEY
from marketplace.models import BulkOrder, Order, Stock

pytestmark = pytest.mark.django_db

LANGUAGES = ["", "/en"]


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.mark.parametrize("prefix", LANGUAGES)
def test_catalogue_pages_in_both_languages(world, client, prefix):
    english = prefix == "/en"
    pages = {
        "/products/": "Huairou chestnuts" if english else "怀柔板栗",
        "/products/huairou-chestnuts/": "Chestnut Co-op" if english else "板栗合作社",
        "/centres/": "Huairou counter" if english else "怀柔专柜",
        "/producers/chestnut-coop/": "Huairou chestnuts" if english else "怀柔板栗",
        "/cart/": "",
    }
    for path, text in pages.items():
        response = client.get(prefix + path)
        assert response.status_code == 200, path
        html = response.content.decode()
        assert text in html, path
        assert f'lang="{"en" if english else "zh-Hans"}"' in html


def _results(response) -> str:
    """Only the list of products (the page's description names all four)."""
    html = response.content.decode()
    return re.search(r'<ul class="card-grid product-grid">.*?</ul>', html, re.S).group(0)


def test_product_list_filters_and_search(world, client):
    html = _results(client.get("/products/", {"q": "板栗"}))
    assert "怀柔板栗" in html and "汤河红薯" not in html
    html = _results(client.get("/products/", {"producer": "potato-farm", "in_stock": "on"}))
    assert "汤河红薯" in html and "怀柔板栗" not in html
    # a nonsense filter value is ignored, not an error page
    assert client.get("/products/", {"category": "<script>", "page": "x"}).status_code == 200


def test_product_list_paginates(world, client):
    from .factories import ProductFactory

    for n in range(14):
        ProductFactory(slug=f"p-{n:02d}", producer=world.producer1)
    first = client.get("/products/").content.decode()
    assert 'rel="next"' in first
    second = client.get("/products/", {"page": 2}).content.decode()
    assert 'rel="prev"' in second


def test_product_page_shows_availability_levels_and_centres(world, client):
    html = client.get("/en/products/huairou-chestnuts/").content.decode()
    assert "In stock" in html  # counter1 has 10
    assert "Only 3 left" in html  # counter2 has 3
    assert "Out of stock" in html  # counter2 has no gift boxes
    assert world.counter1.centre.address_en in html
    assert world.counter1.centre.opening_hours_en in html
    assert 'action="/en/cart/add/"' in html


def test_producer_page_shows_stock_and_village(world, client):
    html = client.get("/en/producers/chestnut-coop/").content.decode()
    assert "In stock" in html and "Out of stock" not in html
    assert world.producer1.area.name_en in html
    services.order_place(
        customer=world.customer, counter=world.counter1, lines=[(world.chestnut_bag.pk, 10)]
    )
    services.order_place(
        customer=world.customer, counter=world.counter1, lines=[(world.chestnut_box.pk, 10)]
    )
    services.order_place(
        customer=world.customer, counter=world.counter2, lines=[(world.chestnut_bag.pk, 3)]
    )
    assert "Out of stock" in client.get("/en/producers/chestnut-coop/").content.decode()


def test_missing_pages_are_404(world, client):
    assert client.get("/products/nope/").status_code == 404
    assert client.get("/producers/nope/").status_code == 404
    # a centre is not a producer
    assert client.get(f"/producers/{world.counter1.centre.organization.slug}/").status_code == 404


# --- Cart and checkout without JavaScript ---------------------------------------------------------


def test_cart_add_update_remove(world, client):
    response = client.post("/cart/add/", {"variant": world.chestnut_bag.pk, "quantity": 2})
    assert response.status_code == 302 and response["Location"] == "/cart/"
    client.post("/cart/add/", {"variant": world.potato_bag.pk, "quantity": 1, "next": "/products/"})
    assert client.session[SESSION_KEY] == {
        str(world.chestnut_bag.pk): 2,
        str(world.potato_bag.pk): 1,
    }
    html = client.get("/cart/").content.decode()
    assert "¥62.50" in html  # 2 × 25 + 12.50
    client.post(
        "/cart/update/", {f"qty_{world.chestnut_bag.pk}": "3", f"qty_{world.potato_bag.pk}": "0"}
    )
    assert client.session[SESSION_KEY] == {str(world.chestnut_bag.pk): 3}
    client.post("/cart/update/", {"remove": world.chestnut_bag.pk})
    assert client.session[SESSION_KEY] == {}


@pytest.mark.parametrize("quantity", ["0", "-1", "abc", "100", ""])
def test_cart_add_bad_quantity_is_a_400_with_a_message(world, client, quantity):
    response = client.post("/cart/add/", {"variant": world.chestnut_bag.pk, "quantity": quantity})
    assert response.status_code == 400
    assert 'class="message message-error"' in response.content.decode()
    assert not client.session.get(SESSION_KEY)


def test_cart_add_unknown_variant_is_a_400(world, client):
    response = client.post("/cart/add/", {"variant": 999_999, "quantity": 1})
    assert response.status_code == 400


def test_cart_update_bad_value_is_a_400(world, client):
    client.post("/cart/add/", {"variant": world.chestnut_bag.pk, "quantity": 2})
    response = client.post("/cart/update/", {f"qty_{world.chestnut_bag.pk}": "-4"})
    assert response.status_code == 400
    assert client.session[SESSION_KEY] == {str(world.chestnut_bag.pk): 2}


@pytest.mark.parametrize("value", ["²", "١٢", "1" * 30])
def test_cart_update_digits_int_cannot_read_are_a_400(world, client, value):
    """'²'.isdigit() is true and int('²') raises: these were 500s."""
    client.post("/cart/add/", {"variant": world.chestnut_bag.pk, "quantity": 2})
    response = client.post("/cart/update/", {f"qty_{world.chestnut_bag.pk}": value})
    assert response.status_code == 400
    assert client.session[SESSION_KEY] == {str(world.chestnut_bag.pk): 2}
    for odd in ({"qty_²": "1"}, {"remove": "²"}):
        response = client.post("/cart/update/", odd)
        assert response.status_code == 302
        assert client.session[SESSION_KEY] == {str(world.chestnut_bag.pk): 2}


def test_cart_next_must_stay_on_the_site(world, client):
    response = client.post(
        "/cart/add/",
        {"variant": world.chestnut_bag.pk, "quantity": 1, "next": "https://evil.example/"},
    )
    assert response["Location"] == "/cart/"


def test_checkout_needs_sign_in(world, client):
    response = client.get("/checkout/")
    assert response.status_code == 302 and "/account/login/" in response["Location"]


def test_checkout_offers_only_counters_that_can_take_the_cart(
    world, django_capture_on_commit_callbacks
):
    client = signed_in(world.customer)
    client.post("/cart/add/", {"variant": world.potato_bag.pk, "quantity": 1})
    html = client.get("/en/checkout/").content.decode()
    assert f'value="{world.counter1.pk}" id="counter-{world.counter1.pk}"' in html
    assert f'value="{world.counter2.pk}" id="counter-{world.counter2.pk}" disabled' in html
    assert "does not sell" in html
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/en/checkout/", {"counter": world.counter1.pk})
    order = Order.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/en/orders/{order.pk}/"
    assert order.language == "en"
    assert client.session[SESSION_KEY] == {}
    page = client.get(f"/en/orders/{order.pk}/").content.decode()
    assert order.pickup_code_display in page and "<svg" in page
    assert len(mail.outbox) == 1


def test_checkout_refusals_show_the_message_with_a_4xx(world):
    client = signed_in(world.customer)
    client.post("/cart/add/", {"variant": world.potato_bag.pk, "quantity": 1})
    # no counter chosen
    assert client.post("/checkout/", {}).status_code == 400
    # a counter that does not sell sweet potatoes (the radio is disabled, but a crafted POST)
    response = client.post("/checkout/", {"counter": world.counter2.pk})
    assert response.status_code == 400
    assert 'class="message message-error"' in response.content.decode()
    # someone else took the stock meanwhile
    services.order_place(
        customer=world.other_customer, counter=world.counter1, lines=[(world.potato_bag.pk, 10)]
    )
    response = client.post("/checkout/", {"counter": world.counter1.pk})
    assert response.status_code == 409
    assert Order.objects.filter(customer=world.customer).count() == 0
    assert client.session[SESSION_KEY]  # the cart is kept


def test_the_same_checkout_form_sent_twice_places_one_order(world):
    client = signed_in(world.customer)
    client.post("/cart/add/", {"variant": world.chestnut_bag.pk, "quantity": 2})
    page = client.get("/checkout/").content.decode()
    token = re.search(r'name="token" value="([^"]+)"', page).group(1)
    first = client.post("/checkout/", {"counter": world.counter1.pk, "token": token})
    # the cart is empty now, but a double click or a reload sends the form again
    client.post("/cart/add/", {"variant": world.chestnut_bag.pk, "quantity": 2})
    second = client.post("/checkout/", {"counter": world.counter1.pk, "token": token})
    assert first["Location"] == second["Location"]
    assert Order.objects.count() == 1
    assert Stock.objects.get(variant=world.chestnut_bag, counter=world.counter1).held == 2
    # a new page (a new token) is a new order
    page = client.get("/checkout/").content.decode()
    token = re.search(r'name="token" value="([^"]+)"', page).group(1)
    client.post("/checkout/", {"counter": world.counter1.pk, "token": token})
    assert Order.objects.count() == 2


def test_checkout_with_an_empty_cart_goes_back_to_the_cart(world):
    response = signed_in(world.customer).get("/checkout/")
    assert response.status_code == 302 and response["Location"] == "/cart/"


# --- Orders on the web ------------------------------------------------------------------------------


def test_order_page_is_the_customers_only(world):
    order = services.order_place(
        customer=world.customer, counter=world.counter1, lines=[(world.chestnut_bag.pk, 1)]
    )
    assert signed_in(world.customer).get(f"/orders/{order.pk}/").status_code == 200
    assert signed_in(world.other_customer).get(f"/orders/{order.pk}/").status_code == 404
    assert signed_in(world.other_customer).post(f"/orders/{order.pk}/cancel/").status_code == 404
    assert Order.objects.get(pk=order.pk).status == "placed"


@pytest.mark.parametrize("prefix", LANGUAGES)
def test_account_lists_orders_with_code_qr_deadline_and_cancel(world, prefix):
    order = services.order_place(
        customer=world.customer, counter=world.counter1, lines=[(world.chestnut_bag.pk, 1)]
    )
    ready = services.order_place(
        customer=world.customer, counter=world.counter1, lines=[(world.chestnut_box.pk, 1)]
    )
    services.order_transition(order=ready, to="ready", by=world.counter1_user)
    html = signed_in(world.customer).get(f"{prefix}/account/").content.decode()
    assert order.pickup_code_display in html and ready.pickup_code_display in html
    assert html.count("<svg") >= 2
    assert timezone.localtime(order.pickup_deadline).strftime("%Y-%m-%d %H:%M") in html
    assert f'action="{prefix}/orders/{order.pk}/cancel/"' in html
    assert f'action="{prefix}/orders/{ready.pk}/cancel/"' not in html  # ready: ask the counter


def test_cancel_from_the_account_page(world):
    order = services.order_place(
        customer=world.customer, counter=world.counter1, lines=[(world.chestnut_bag.pk, 4)]
    )
    client = signed_in(world.customer)
    response = client.post(f"/orders/{order.pk}/cancel/", {"next": "/account/", "confirm": "yes"})
    assert response.status_code == 302 and response["Location"] == "/account/"
    assert Order.objects.get(pk=order.pk).status == "cancelled"
    assert Stock.objects.get(variant=world.chestnut_bag, counter=world.counter1).held == 0
    again = client.post(f"/orders/{order.pk}/cancel/", {"confirm": "yes"})
    assert again.status_code == 409
    assert 'class="message message-error"' in again.content.decode()


def test_cancel_asks_to_confirm_first(world):
    # given an open order
    order = services.order_place(
        customer=world.customer, counter=world.counter1, lines=[(world.chestnut_bag.pk, 1)]
    )
    client = signed_in(world.customer)
    # when the card's button is pressed (a POST without confirm), or the page is opened
    tapped = client.post(f"/en/orders/{order.pk}/cancel/", {"next": "/en/account/"})
    opened = client.get(f"/en/orders/{order.pk}/cancel/")
    # then nothing changes and the question is asked, with the confirm form and a way back
    assert Order.objects.get(pk=order.pk).status == "placed"
    for response in (tapped, opened):
        html = response.content.decode()
        assert response.status_code == 200
        assert f"Cancel order {order.pickup_code_display}?" in html
        assert 'name="confirm" value="yes"' in html and "Yes, cancel" in html
        assert "Keep it" in html
    assert 'name="next" value="/en/account/"' in tapped.content.decode()
    assert 'href="/en/account/"' in tapped.content.decode()  # Keep it: back where they were


# --- Bulk orders ----------------------------------------------------------------------------------------


def test_bulk_pages_for_a_buyer(world):
    client = signed_in(world.buyer_user)
    assert client.get("/bulk/").status_code == 200
    page = client.get("/en/bulk/request/chestnut-coop/")
    assert page.status_code == 200
    assert "from 50 units" in page.content.decode()
    response = client.post(
        "/bulk/request/chestnut-coop/",
        {
            "buyer": world.buyer.pk,
            "requested_delivery_date": (timezone.localdate() + timedelta(days=5)).isoformat(),
            f"qty_{world.chestnut_bag.pk}": "60",
            f"qty_{world.chestnut_box.pk}": "",
            "note": "before the holiday",
        },
    )
    bulk = BulkOrder.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/bulk/{bulk.pk}/"
    assert bulk.lines.get().quantity == 60
    assert client.get(f"/bulk/{bulk.pk}/").status_code == 200
    assert signed_in(world.producer1_user).get(f"/bulk/{bulk.pk}/").status_code == 200
    assert signed_in(world.producer2_user).get(f"/bulk/{bulk.pk}/").status_code == 404
    assert signed_in(world.customer).get(f"/bulk/{bulk.pk}/").status_code == 404


def test_bulk_request_errors_are_4xx_and_write_nothing(world):
    client = signed_in(world.buyer_user)
    base = {
        "buyer": world.buyer.pk,
        "requested_delivery_date": (timezone.localdate() + timedelta(days=5)).isoformat(),
    }
    # below the product's minimum (20 by default here: 1, so set it)
    world.chestnut_bag.product.bulk_min_quantity = 100
    world.chestnut_bag.product.save()
    response = client.post(
        "/bulk/request/chestnut-coop/", {**base, f"qty_{world.chestnut_bag.pk}": "60"}
    )
    assert response.status_code == 400
    response = client.post(
        "/bulk/request/chestnut-coop/", {**base, f"qty_{world.chestnut_bag.pk}": "-5"}
    )
    assert response.status_code == 400
    response = client.post("/bulk/request/chestnut-coop/", base)  # nothing asked for
    assert response.status_code == 400
    assert BulkOrder.objects.count() == 0


def test_bulk_pages_refuse_people_who_are_not_buyers(world):
    assert signed_in(world.customer).get("/bulk/").status_code == 403
    assert signed_in(world.customer).get("/bulk/request/chestnut-coop/").status_code == 403
    assert signed_in(world.buyer_user).get("/bulk/request/no-such-producer/").status_code == 404


@pytest.mark.parametrize("prefix", LANGUAGES)
def test_signed_in_pages_in_both_languages(world, prefix):
    order = services.order_place(
        customer=world.customer, counter=world.counter1, lines=[(world.chestnut_bag.pk, 1)]
    )
    customer = signed_in(world.customer)
    customer.post("/cart/add/", {"variant": world.chestnut_bag.pk, "quantity": 1})
    lang = 'lang="en"' if prefix else 'lang="zh-Hans"'
    for path in ("/checkout/", f"/orders/{order.pk}/", "/account/"):
        response = customer.get(prefix + path)
        assert response.status_code == 200 and lang in response.content.decode(), path
    buyer = signed_in(world.buyer_user)
    bulk = services.bulk_order_request(
        buyer=world.buyer,
        requested_by=world.buyer_user,
        lines=[(world.chestnut_bag.pk, 60)],
        requested_delivery_date=timezone.localdate() + timedelta(days=3),
    )
    for path in ("/bulk/", "/bulk/request/chestnut-coop/", f"/bulk/{bulk.pk}/"):
        response = buyer.get(prefix + path)
        assert response.status_code == 200 and lang in response.content.decode(), path
