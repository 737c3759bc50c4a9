"""Made-up query parameters don't flood the anonymous page cache: each cached
page keeps only the parameters it reads (core.cache.QUERY_RULES), sorted, so
`?x=1`, `?x=2`... are one entry, the entry of the page without them."""

import pytest
from django.core.cache import cache
from django.urls import URLPattern, URLResolver, get_resolver

from cooperation.forms import PairingFilterForm, ProjectFilterForm
from core import cache as cache_lib
from marketplace.forms import ProductFilterForm
from tests.marketplace.factories import ProducerFactory, ProductFactory, VariantFactory
from tours.forms import RouteFilterForm

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def page_cache_on(settings):
    settings.PUBLIC_CACHE_SECONDS = 60
    # Entries are counted in a LocMemCache (keys ":<version>:<key>"), whatever
    # backend the run uses (CI's is Redis).
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    # The root conftest cleared the run's own cache (Redis on CI), not this one,
    # which LocMem instances of one process share: start it empty too.
    cache.clear()
    yield
    cache.clear()


def _page_entries() -> int:
    return sum(1 for key in cache._cache if key.split(":", 2)[-1].startswith("page:"))


@pytest.mark.parametrize("path", ["/products/", "/en/products/", "/api/v1/products/", "/"])
def test_fifty_made_up_parameters_make_at_most_one_entry(client, path):
    # given
    VariantFactory(product=ProductFactory())
    plain = client.get(path)
    assert plain.status_code == 200
    before = _page_entries()
    # when
    answers = [client.get(f"{path}?x{n}={n}&utm_source=junk{n}") for n in range(50)]
    # then
    assert _page_entries() - before <= 0  # all of them were the page without parameters
    assert {a.status_code for a in answers} == {200}
    assert {a.content for a in answers} == {plain.content}


def test_dropped_parameters_never_reach_the_page(client):
    # given: the API's pagination links are built from the request's own URL
    for _ in range(3):
        VariantFactory(product=ProductFactory())
    # when
    data = client.get("/api/v1/products/?page_size=1&junk=zzz").json()
    # then
    assert data["next"] and "junk" not in data["next"] and "page_size=1" in data["next"]


def test_parameters_the_page_reads_still_count_and_their_order_does_not(client):
    # given
    client.get("/products/?category=food&q=chestnut")
    first = _page_entries()
    # when
    client.get("/products/?q=chestnut&category=food&junk=1")
    client.get("/products/?q=chestnut&q=chestnut&category=food")
    same = _page_entries()
    client.get("/products/?q=potato&category=food")
    # then
    assert same == first
    assert _page_entries() == first + 1


def test_a_long_made_up_query_is_dropped_too(client):
    # when
    client.get("/products/")
    before = _page_entries()
    response = client.get("/products/?junk=" + "x" * 2000)
    # then
    assert response.status_code == 200
    assert _page_entries() == before


# --- The table is complete: every parameter a cached page reads is kept --------------


@pytest.mark.parametrize(
    ("path", "form"),
    [
        ("/products/", ProductFilterForm),
        ("/en/products/", ProductFilterForm),
        ("/tours/", RouteFilterForm),
        ("/cooperation/projects/", ProjectFilterForm),
        ("/cooperation/pairings/", PairingFilterForm),
    ],
)
def test_every_filter_of_a_cached_list_page_is_kept(path, form):
    assert set(form.base_fields) | {"page"} <= cache_lib.allowed_query(path)


def _api_views(resolver=None, prefix="/"):
    for entry in (resolver or get_resolver()).url_patterns:
        route = prefix + str(entry.pattern).lstrip("^").rstrip("$")
        if isinstance(entry, URLResolver):
            yield from _api_views(entry, route)
        elif isinstance(entry, URLPattern) and route.startswith("/api/"):
            yield route, getattr(entry.callback, "cls", None)


def test_every_api_filter_of_a_cached_list_is_kept():
    # given: each cached API list with its filter set and paginator
    checked = 0
    for route, view in _api_views():
        if view is None or cache_lib.scopes_for_path(route) is None or "<" in route:
            continue
        # when
        names = {"format"}
        if getattr(view, "filterset_class", None):
            names |= set(view.filterset_class.base_filters)
        paginator = getattr(view, "pagination_class", None)
        if paginator:
            names |= {paginator.page_query_param, paginator.page_size_query_param} - {None}
        # then
        assert names <= cache_lib.allowed_query(route), route
        checked += 1
    assert checked >= 8


@pytest.mark.parametrize("path", ["/search/", "/zh-hant/search/", "/en/search/"])
def test_the_site_search_keeps_its_query_with_the_page_cache_on(client, path):
    # given: the page cache on (this module's fixture), a producer to find
    ProducerFactory(slug="chestnut-coop", name_zh_hans="板栗合作社", name_en="Chestnut co-op")
    # when: two anonymous searches
    first = client.get(path, {"q": "banli"})
    second = client.get(path, {"q": "bl"})
    # then: each page answers its own query, and neither is cached
    assert "/producers/chestnut-coop/" in first.content.decode()
    assert 'value="bl"' in second.content.decode()
    assert cache_lib.scopes_for_path(path) is None
    assert _page_entries() == 0
