"""The cache of pages for visitors with a session (core.personal): a signed-in
customer's /account/, and the public pages they browse with a cart. Every
answer carries its own CSRF token; a change to what the page shows is seen
at once; one customer never gets another's page."""

import datetime as dt
import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from core import personal
from marketplace import services
from marketplace.cart import SESSION_KEY
from marketplace.models import Order

pytestmark = pytest.mark.django_db

TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


@pytest.fixture(autouse=True)
def personal_cache_on(settings):
    settings.PERSONAL_CACHE_SECONDS = 300
    settings.PUBLIC_CACHE_SECONDS = 60  # public pages and the cart last as long as these


@pytest.fixture
def commit(django_capture_on_commit_callbacks):
    """Runs what the services do on commit (the cache bumps) at once."""

    def run(fn, *args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return fn(*args, **kwargs)

    return run


def signed_in(user, *, csrf_checks=False) -> Client:
    client = Client(enforce_csrf_checks=csrf_checks)
    client.force_login(user)
    return client


def place(world, commit, customer=None, variant=None, quantity=1):
    return commit(
        services.order_place,
        customer=customer or world.customer,
        counter=world.counter1,
        lines=[((variant or world.chestnut_bag).pk, quantity)],
    )


def test_account_is_served_from_the_cache_with_a_fresh_csrf_token(world, commit):
    order = place(world, commit)
    client = signed_in(world.customer, csrf_checks=True)
    first = client.get("/account/")
    with CaptureQueriesContext(connection) as queries:
        second = client.get("/account/")
    assert first.wsgi_request._page_cache == "miss"
    assert second.wsgi_request._page_cache == "hit"
    html = second.content.decode()
    assert order.pickup_code_display in html
    assert personal.marker("csrf") not in html
    # The session and the user: nothing of the page itself is read again.
    assert len(queries) <= 2, [q["sql"] for q in queries]
    tokens = TOKEN.findall(html)
    assert tokens and TOKEN.findall(first.content.decode()) != tokens  # masked anew
    # The filled-in token is a real one: the cancel form on the cached page works.
    response = client.post(
        f"/orders/{order.pk}/cancel/",
        {"csrfmiddlewaretoken": tokens[0], "confirm": "yes", "next": "/account/"},
    )
    assert response.status_code == 302
    assert Order.objects.get(pk=order.pk).status == "cancelled"


def test_a_new_order_shows_at_once_and_nobody_gets_anothers_page(world, commit):
    place(world, commit)
    mine, theirs = signed_in(world.customer), signed_in(world.other_customer)
    assert mine.get("/account/").wsgi_request._page_cache == "miss"
    second = place(world, commit, variant=world.chestnut_box)
    page = mine.get("/account/")
    assert page.wsgi_request._page_cache == "miss"  # the customer's counter moved
    assert second.pickup_code_display in page.content.decode()
    other = theirs.get("/account/").content.decode()
    assert second.pickup_code_display not in other
    # Another customer's order leaves this customer's cached page alone.
    place(world, commit, customer=world.other_customer)
    assert mine.get("/account/").wsgi_request._page_cache == "hit"


def test_a_passing_pickup_deadline_ends_the_cached_page(world, commit):
    order = place(world, commit)
    Order.objects.filter(pk=order.pk).update(
        pickup_deadline=timezone.now() + dt.timedelta(seconds=30)
    )
    client = signed_in(world.customer)
    client.get("/account/")
    key_entries = [value for value in _entries() if isinstance(value, tuple) and len(value) == 5]
    assert key_entries, "the page was stored"
    until = key_entries[0][1]
    assert until <= (timezone.now() + dt.timedelta(seconds=31)).timestamp()


def _entries():
    from django.core.cache import cache

    # locmem or Redis: read back what core.personal stored under its prefix.
    backend = getattr(cache, "_cache", None)
    if isinstance(backend, dict):
        import pickle

        return [pickle.loads(v) for k, v in backend.items() if ":personal:" in k]
    client = cache._cache.get_client()
    keys = client.keys("*personal:*")
    return [cache._cache._serializer.loads(client.get(k)) for k in keys]


def test_a_message_is_shown_once_and_never_cached(world, commit):
    place(world, commit)
    client = signed_in(world.customer)
    client.get("/account/")  # cached
    session = client.session
    session.save()
    # Cancelling adds a message and redirects to /account/, where it shows once.
    order = place(world, commit, variant=world.chestnut_box)
    response = client.post(
        f"/orders/{order.pk}/cancel/", {"confirm": "yes", "next": "/account/"}, follow=True
    )
    assert 'class="message' in response.content.decode()
    assert 'class="message' not in client.get("/account/").content.decode()


def test_public_pages_with_a_cart_share_one_copy_per_header(world, commit):
    a, b = signed_in(world.customer), signed_in(world.other_customer)
    for client in (a, b):
        session = client.session
        session[SESSION_KEY] = {str(world.chestnut_bag.pk): 2}
        session.save()
    first = a.get("/products/huairou-chestnuts/")
    second = b.get("/products/huairou-chestnuts/")
    assert first.wsgi_request._page_cache == "miss"
    assert second.wsgi_request._page_cache == "hit"
    assert 'class="cart-count" aria-hidden="true">2<' in second.content.decode()
    assert TOKEN.findall(first.content.decode()) != TOKEN.findall(second.content.decode())
    # A different cart count is a different header: its own copy.
    session = b.session
    session[SESSION_KEY] = {str(world.chestnut_bag.pk): 3}
    session.save()
    third = b.get("/products/huairou-chestnuts/")
    assert third.wsgi_request._page_cache == "miss"
    assert 'class="cart-count" aria-hidden="true">3<' in third.content.decode()
    # A stock change (the marketplace scope) outdates the copy at once.
    place(world, commit, customer=world.other_customer)
    assert a.get("/products/huairou-chestnuts/").wsgi_request._page_cache == "miss"


def test_query_count_of_a_cached_account_page_is_constant(world, commit):
    client = signed_in(world.customer)
    counts = []
    for total in (2, 6):
        while Order.objects.filter(customer=world.customer).count() < total:
            place(world, commit)
        client.get("/account/")
        with CaptureQueriesContext(connection) as queries:
            assert client.get("/account/").status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1] <= 2


def _with_cart(client, world, quantity=2):
    session = client.session
    session[SESSION_KEY] = {str(world.chestnut_bag.pk): quantity}
    session.save()
    return client


def test_cart_and_checkout_are_cached_per_cart_content(world, commit):
    a = _with_cart(signed_in(world.customer), world)
    b = _with_cart(signed_in(world.other_customer), world)
    assert a.get("/cart/").wsgi_request._page_cache == "miss"
    assert b.get("/cart/").wsgi_request._page_cache == "hit"
    first, second = a.get("/checkout/"), b.get("/checkout/")
    assert second.wsgi_request._page_cache == "hit"
    token = re.compile(r'name="token" value="([^"]+)"')
    # Each answer has its own one-time checkout token, so two customers' (or two
    # tabs') checkouts of the same cached page never count as the same order.
    mine, theirs = token.findall(first.content.decode()), token.findall(second.content.decode())
    assert mine and theirs and mine != theirs
    assert personal.marker("token") not in second.content.decode()
    # The cached form places the order (CSRF and token filled in).
    response = b.post(
        "/checkout/",
        {
            "csrfmiddlewaretoken": TOKEN.findall(second.content.decode())[0],
            "token": theirs[0],
            "counter": world.counter1.pk,
        },
    )
    assert response.status_code == 302
    assert Order.objects.filter(customer=world.other_customer).count() == 1


def test_api_orders_list_is_cached_per_customer_and_follows_changes(world, commit):
    from rest_framework.test import APIClient

    place(world, commit)
    mine, theirs = APIClient(), APIClient()
    mine.force_authenticate(world.customer)
    theirs.force_authenticate(world.other_customer)
    first = mine.get("/api/v1/orders/")
    with CaptureQueriesContext(connection) as queries:
        second = mine.get("/api/v1/orders/")
    assert first.json() == second.json() and first.json()["count"] == 1
    assert second.wsgi_request._page_cache == "hit"
    assert not [q for q in queries if "marketplace_order" in q["sql"]]
    assert theirs.get("/api/v1/orders/").json()["count"] == 0
    place(world, commit, variant=world.chestnut_box)
    assert mine.get("/api/v1/orders/").json()["count"] == 2
    # A language is its own entry (the statuses are written in it).
    english = mine.get("/api/v1/orders/", HTTP_ACCEPT_LANGUAGE="en")
    assert english.wsgi_request._page_cache == "miss"


def test_desk_list_is_cached_per_counter_until_an_order_there_changes(world, commit):
    from .factories import counter_staff

    staff = world.counter1_user
    order = place(world, commit)
    client = signed_in(staff)
    desk = "/vendor/desk/pickup/snapshot"
    first = client.get(desk).json()
    again = client.get(desk)
    assert again.wsgi_request._page_cache == "hit"
    assert [i["code"] for i in again.json()["data"]["items"]] == [order.pickup_code]
    assert again.json()["signed"] != first["signed"] or again.json()["data"] == first["data"]
    # An order at the other counter leaves this list alone; a hand-over here doesn't.
    commit(
        services.order_place,
        customer=world.other_customer,
        counter=world.counter2,
        lines=[(world.chestnut_bag.pk, 1)],
    )
    assert client.get(desk).wsgi_request._page_cache == "hit"
    commit(services.order_hand_over, order=order, by=staff, payment_method="cash")
    after = client.get(desk)
    assert after.wsgi_request._page_cache == "miss"
    assert after.json()["data"]["items"][0]["status"] == "collected"
    # Staff of the other counter never get this counter's cached list.
    other = signed_in(counter_staff(world.counter2, "counter2-desk"))
    codes = [i["code"] for i in other.get(desk).json()["data"]["items"]]
    assert order.pickup_code not in codes


def test_the_counters_a_person_works_at_are_cached_until_an_assignment_changes(world, commit):
    from marketplace.models import CounterStaff
    from marketplace.selectors import counter_ids_for

    from .factories import counter_staff

    def fresh(user):
        # A new request's user: nothing memoised on the object.
        return type(user).objects.get(pk=user.pk)

    staff = commit(counter_staff, world.counter2, "two-counters")
    assert counter_ids_for(fresh(staff)) == [world.counter2.pk]
    with CaptureQueriesContext(connection) as queries:
        assert counter_ids_for(fresh(staff)) == [world.counter2.pk]
    assert len(queries) == 1  # the user row; the counters came from the cache
    commit(CounterStaff.objects.filter(user=staff).delete)
    assert counter_ids_for(fresh(staff)) == []
    assert client_desk_status(staff) == 403
    commit(CounterStaff.objects.create, counter=world.counter2, user=staff)
    assert counter_ids_for(fresh(staff)) == [world.counter2.pk]


def client_desk_status(user) -> int:
    return signed_in(user).get("/vendor/desk/pickup/snapshot").status_code
