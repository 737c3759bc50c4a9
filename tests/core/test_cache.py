"""The anonymous page cache (core.middleware.PublicCacheMiddleware) and
conditional GET, on views made for the purpose; the apps' own pages are
covered in test_cache_apps.py."""

import pytest
from django.contrib import messages
from django.db import transaction
from django.http import HttpResponse, JsonResponse
from django.middleware.csrf import get_token
from django.template import engines
from django.test import override_settings
from django.urls import path
from django.views.decorators.cache import never_cache

from core import cache as cache_lib

pytestmark = pytest.mark.django_db

CALLS = {"n": 0}
_capture = None


def _counted(body: str = "") -> HttpResponse:
    CALLS["n"] += 1
    return HttpResponse(f"render {CALLS['n']} {body}")


def products(request):
    return _counted(request.GET.urlencode())


def with_nonce(request):
    CALLS["n"] += 1
    return HttpResponse(
        engines["django"]
        .from_string("<script nonce='{{ csp_nonce }}'></script>")
        .render({}, request)
    )


def with_csrf(request):
    CALLS["n"] += 1
    return HttpResponse(f"<input value='{get_token(request)}'>")


def with_message(request):
    messages.info(request, "hello")
    return _counted()


@never_cache
def uncacheable(request):
    return _counted()


def not_found(request):
    CALLS["n"] += 1
    return HttpResponse("gone", status=404)


def api_products(request):
    CALLS["n"] += 1
    return JsonResponse({"n": CALLS["n"], "next": request.build_absolute_uri("?page=2")})


urlpatterns = [
    path("products/", products),
    path("en/products/", products),
    path("cooperation/", products),
    path("tours/nonce/", with_nonce),
    path("tours/csrf/", with_csrf),
    path("tours/message/", with_message),
    path("tours/never/", uncacheable),
    path("tours/missing/", not_found),
    path("account/", products),
    path("api/v1/products/", api_products),
    path("api/v1/orders/", api_products),
]


@pytest.fixture(autouse=True)
def page_cache(settings, django_capture_on_commit_callbacks):
    settings.PUBLIC_CACHE_SECONDS = 60
    settings.ROOT_URLCONF = __name__
    CALLS["n"] = 0
    global _capture
    _capture = django_capture_on_commit_callbacks


def bump(scope):
    # The test runs inside a transaction: run the on-commit bump as a commit would.
    with _capture(execute=True):
        cache_lib.bump(scope)


def test_anonymous_page_is_rendered_once_then_served_from_cache(client):
    first = client.get("/products/")
    second = client.get("/products/")
    assert CALLS["n"] == 1
    assert first.content == second.content
    assert first["ETag"] == second["ETag"]
    assert second["Cache-Control"] == "public, max-age=0, must-revalidate"


def test_a_bump_of_a_scope_the_page_depends_on_shows_the_change_at_once(client):
    client.get("/products/")
    bump("marketplace")
    assert client.get("/products/").content.startswith(b"render 2")
    bump("organizations")  # products show their producers: this scope counts too
    assert client.get("/products/").content.startswith(b"render 3")
    bump("tours")  # not a dependency of the product pages
    assert client.get("/products/").content.startswith(b"render 3")


def test_scopes_are_per_section(client):
    client.get("/cooperation/")
    bump("marketplace")
    client.get("/cooperation/")
    assert CALLS["n"] == 1
    bump("cooperation")
    client.get("/cooperation/")
    assert CALLS["n"] == 2


def test_bump_in_a_rolled_back_transaction_changes_nothing(client):
    client.get("/products/")
    with _capture(execute=True), pytest.raises(RuntimeError), transaction.atomic():
        cache_lib.bump("marketplace")
        raise RuntimeError
    client.get("/products/")
    assert CALLS["n"] == 1


def test_key_holds_query_and_language(client):
    client.get("/products/?category=fruit")
    client.get("/products/?category=nuts")
    client.get("/en/products/?category=fruit")
    client.get("/products/?category=fruit")
    assert CALLS["n"] == 3


def test_conditional_get_answers_304(client):
    first = client.get("/products/")
    assert first["Last-Modified"]
    again = client.get("/products/", HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304
    assert again.content == b""
    since = client.get("/products/", HTTP_IF_MODIFIED_SINCE=first["Last-Modified"])
    assert since.status_code == 304
    bump("marketplace")
    changed = client.get("/products/", HTTP_IF_NONE_MATCH=first["ETag"])
    assert changed.status_code == 200
    assert changed["ETag"] != first["ETag"]


def test_head_is_served_from_the_cache_without_a_body(client):
    client.get("/products/")
    response = client.head("/products/")
    assert response.status_code == 200
    assert response.content == b""
    assert CALLS["n"] == 1


@pytest.mark.parametrize(
    "url",
    [
        "/tours/nonce/",
        "/tours/csrf/",
        "/tours/message/",
        "/tours/never/",
        "/tours/missing/",
        "/account/",
    ],
)
def test_personal_or_unique_answers_are_never_cached(client, url):
    client.get(url)
    client.get(url)
    assert CALLS["n"] == 2


def test_a_csrf_token_is_never_shared_between_visitors(client):
    from django.test import Client

    first = client.get("/tours/csrf/").content
    second = Client().get("/tours/csrf/").content
    assert first != second


def test_signed_in_visitors_are_not_served_cached_pages(client, user, password):
    client.get("/products/")  # cached for anonymous visitors
    client.force_login(user)
    response = client.get("/products/")
    assert CALLS["n"] == 2
    assert "ETag" in response  # still conditional, by the content hash


def test_api_lists_are_cached_per_format_and_host_but_not_private_endpoints(client):
    client.get("/api/v1/products/", HTTP_ACCEPT="application/json")
    client.get("/api/v1/products/", HTTP_ACCEPT="application/json")
    assert CALLS["n"] == 1
    client.get("/api/v1/products/", HTTP_ACCEPT="text/html")
    assert CALLS["n"] == 2
    other_host = client.get(
        "/api/v1/products/", HTTP_ACCEPT="application/json", HTTP_HOST="localhost"
    )
    assert other_host.json()["next"].startswith("http://localhost/")
    client.get("/api/v1/products/", HTTP_AUTHORIZATION="Token abc")
    assert CALLS["n"] == 4
    client.get("/api/v1/orders/")
    client.get("/api/v1/orders/")
    assert CALLS["n"] == 6


def test_a_cache_outage_degrades_to_uncached_pages(client, monkeypatch):
    def broken(*args, **kwargs):
        raise ConnectionError("redis is down")

    monkeypatch.setattr(cache_lib.cache, "get_many", broken)
    assert client.get("/products/").status_code == 200
    assert client.get("/products/").status_code == 200
    assert CALLS["n"] == 2


@override_settings(PUBLIC_CACHE_SECONDS=0)
def test_zero_seconds_turns_the_cache_off(client):
    client.get("/products/")
    client.get("/products/")
    assert CALLS["n"] == 2


def test_a_lost_counter_restarts_above_every_old_value():
    for _ in range(3):
        bump("tours")
    before = cache_lib.versions("tours")
    cache_lib.cache.delete(cache_lib._PREFIX + "tours")  # evicted, or Redis restarted
    after = cache_lib.versions("tours")
    assert int(after) > int(before)


@pytest.mark.parametrize(
    ("path", "scopes"),
    [
        ("/", cache_lib.ALL),
        ("/en/", cache_lib.ALL),
        ("/tours/mutianyu/", cache_lib.ALL),
        ("/products/chestnuts/", ("marketplace", "organizations")),
        ("/en/centres/", ("marketplace", "organizations")),
        ("/cooperation/projects/", ("cooperation", "organizations", "sales", "tours")),
        ("/cooperation/data/impact.csv", ("cooperation", "organizations", "sales", "tours")),
        ("/cooperation/data/figures.csv", ("cooperation", "organizations")),
        ("/api/v1/routes/", cache_lib.ALL),
        ("/api/v1/products/?q=x", ("marketplace", "organizations")),
        ("/api/v1/cooperation/figures/", ("cooperation", "organizations")),
        ("/api/schema/", ()),
        ("/api/v1/orders/", None),
        ("/api/v1/bookings/1/", None),
        ("/api/v1/auth/me/", None),
        ("/api/docs/", None),
        ("/account/", None),
        ("/en/account/login/", None),
        ("/cart/", None),
        ("/bulk/3/", None),
        ("/tours/bookings/ABC123/", None),
        ("/en/tours/waitlist/4/leave/", None),
        ("/tours/mutianyu/departures/7/book/", None),
        ("/admin/", None),
        ("/vendor/", None),
        ("/media/x.jpg", None),
        ("/healthz", None),
    ],
)
def test_scopes_for_path(path, scopes):
    assert cache_lib.scopes_for_path(path) == scopes


def test_a_bad_host_is_refused_not_cached(client, caplog):
    response = client.get("/products/", HTTP_HOST="evil.example")
    assert response.status_code == 400
    assert CALLS["n"] == 0
    assert "page cache unavailable" not in caplog.text


def test_the_redis_cache_shares_one_client_between_operations_and_threads(settings):
    """core.redis_cache: one redis.Redis per pool instead of one per
    operation, shared by a server's threads."""
    import threading

    if not settings.REDIS_URL:
        pytest.skip("needs Redis (set REDIS_URL)")
    from core.redis_cache import RedisCache

    cache = RedisCache(settings.REDIS_URL, {"KEY_PREFIX": "test-shared-client"})
    client = cache._cache.get_client(write=True)
    assert cache._cache.get_client() is client
    cache.set("n", 0)

    def bump():
        for _ in range(200):
            cache.incr("n")

    threads = [threading.Thread(target=bump) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert cache.get("n") == 1600
    assert cache._cache.get_client() is client
    cache.delete("n")


def test_one_transaction_moves_each_of_its_counters_once_when_it_commits(db):
    """core.cache._Bumps: the counters bumped in one transaction are sent
    together on commit (with Redis, one round trip), each moved once however
    often it was bumped; nothing moves before the commit."""
    scopes = ("marketplace", "tours", "sales")

    def now():
        return dict(zip(scopes, map(int, cache_lib.versions(*scopes).split(".")), strict=True))

    before = now()
    with _capture(execute=True), transaction.atomic():
        cache_lib.bump("marketplace")
        cache_lib.bump("tours")
        cache_lib.bump("marketplace")
        assert now() == before
    after = now()
    assert after == {
        **before,
        "marketplace": before["marketplace"] + 1,
        "tours": before["tours"] + 1,
    }


def test_the_redis_counters_start_from_the_clock_and_move_by_one(settings):
    if not settings.REDIS_URL:
        pytest.skip("needs Redis (set REDIS_URL)")
    from core.redis_cache import RedisCache

    cache = RedisCache(settings.REDIS_URL, {"KEY_PREFIX": "test-bump-counters"})
    cache.delete_many(["a", "b"])
    cache.set("a", 41, timeout=None)
    cache.bump_counters(["a", "b"], 1_000)
    cache.bump_counters(["b"], 5_000)  # set by now: the start is not used
    assert cache.get_many(["a", "b"]) == {"a": 42, "b": 1_002}
    cache.delete_many(["a", "b"])


def test_the_redis_throttle_takes_exactly_its_limit_from_racing_requests(settings):
    """core.redis_cache.throttle_take: checked and counted in one script, so
    80 requests at once from 8 threads take exactly the 25 places a window
    has (DRF's read-then-write history lets racing requests through)."""
    import threading
    import time

    if not settings.REDIS_URL:
        pytest.skip("needs Redis (set REDIS_URL)")
    from core.redis_cache import RedisCache

    cache = RedisCache(settings.REDIS_URL, {"KEY_PREFIX": "test-throttle-take"})
    cache.delete("window:k")
    taken = []
    start = threading.Barrier(8)

    def hit():
        start.wait()
        for _ in range(10):
            taken.append(cache.throttle_take("k", now=time.time(), window=60, limit=25)[0])

    threads = [threading.Thread(target=hit) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(taken) == 80 and sum(taken) == 25
    refused, count, oldest = cache.throttle_take("k", now=time.time(), window=60, limit=25)
    assert not refused and count == 25 and time.time() - 60 < oldest <= time.time()
    # A window later every place is free again.
    assert cache.throttle_take("k", now=time.time() + 61, window=60, limit=25)[:2] == (True, 1)
    cache.delete("window:k")
