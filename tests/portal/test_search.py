"""The one site search (core.search) behind the product list, routes, projects,
the API ``q=`` filters and /search/.

The same table runs on SQLite (the default) and on PostgreSQL (CI runs the
suite on both; by hand: DATABASE_URL=postgres://…) and must give the same
answers on both.
"""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cooperation import selectors as coop_selectors
from core import search
from core.cache import versions
from marketplace import selectors as market_selectors
from marketplace.models import Product
from tests.cooperation.factories import ProjectFactory
from tests.marketplace.factories import ProducerFactory, ProductFactory
from tests.tours.factories import AttractionFactory, RouteFactory, RouteStopFactory
from tours import selectors as tour_selectors

pytestmark = pytest.mark.django_db


@pytest.fixture
def catalogue():
    # given the report's products, and a few that share their words
    products = {
        "chestnut": ProductFactory(
            slug="chestnut",
            name_zh_hans="板栗",
            name_en="Chestnuts",
            summary_zh_hans="山里的栗子",
            summary_en="From the hills",
        ),
        "huairou-chestnut": ProductFactory(
            slug="huairou-chestnut",
            name_zh_hans="怀柔板栗",
            name_en="Huairou chestnuts",
            summary_zh_hans="每袋500g，秋季新栗",
            summary_en="Bags of 500g, new in autumn",
        ),
        "chestnut-cake": ProductFactory(
            slug="chestnut-cake",
            name_zh_hans="栗子糕",
            name_en="Nut cake",
            summary_zh_hans="用怀柔的板栗做的点心",
            summary_en="A pastry",
        ),
        "potato": ProductFactory(
            slug="potato",
            name_zh_hans="汤河红薯",
            name_en="Tanghe sweet potatoes",
            summary_zh_hans="软糯香甜",
            summary_en="Soft and sweet",
        ),
        # typed in Traditional characters by its producer
        "dried-potato": ProductFactory(
            slug="dried-potato",
            name_zh_hans="湯河紅薯乾",
            name_en="Dried sweet potato",
            summary_zh_hans="曬乾的紅薯",
            summary_en="Sun-dried",
        ),
        "pear": ProductFactory(
            slug="pear",
            name_zh_hans="红梨膏",
            name_en="Red pear paste",
            summary_zh_hans="润喉",
            summary_en="For the throat",
        ),
        "trout": ProductFactory(
            slug="trout",
            name_zh_hans="虹鳟鱼",
            name_en="Rainbow trout",
            summary_zh_hans="冷水养殖",
            summary_en="Farmed in cold water",
        ),
    }
    return products


CASES = [
    # (query, the products found, best first where the order is asserted)
    pytest.param("紅梨膏", ["pear"], id="traditional-query"),
    pytest.param("湯河", ["potato", "dried-potato"], id="traditional-two-chars"),
    pytest.param("红薯干", ["dried-potato"], id="simplified-finds-traditional"),
    pytest.param("汤河红薯", ["potato", "dried-potato"], id="simplified-run-by-bigrams"),
    pytest.param("红薯 汤河", ["potato", "dried-potato"], id="words-in-any-order"),
    pytest.param("板栗", ["chestnut", "huairou-chestnut", "chestnut-cake"], id="rank"),
    pytest.param("banli", ["chestnut", "huairou-chestnut"], id="pinyin-full"),
    pytest.param("bl", ["chestnut", "huairou-chestnut"], id="pinyin-initials"),
    pytest.param("tanghe", ["potato", "dried-potato"], id="pinyin-start-of-name"),
    pytest.param("huairoubanli", ["huairou-chestnut"], id="pinyin-whole-name"),
    pytest.param("ＢＡＮＬＩ", ["chestnut", "huairou-chestnut"], id="full-width-and-case"),
    pytest.param("板栗 500g", ["huairou-chestnut"], id="mixed-chinese-and-english"),
    pytest.param("chestnuts", ["chestnut", "huairou-chestnut"], id="english"),
    pytest.param("RAINBOW Trout", ["trout"], id="english-case"),
    pytest.param("pear paste", ["pear"], id="english-two-words"),
    pytest.param("鳟", ["trout"], id="one-character"),
    pytest.param("out", [], id="english-word-starts-only"),
    pytest.param("板栗 trout", [], id="every-word-must-match"),
    # Misspelt by one letter: a word of 4+ letters that begins no word of the
    # site is corrected to the words one edit away (or their beginnings).
    pytest.param("tangeh", ["potato", "dried-potato"], id="typo-swapped-neighbours"),
    pytest.param("chesnut", ["chestnut", "huairou-chestnut"], id="typo-letter-left-out"),
    pytest.param("banlli", ["chestnut", "huairou-chestnut"], id="typo-letter-doubled"),
    pytest.param("banki", ["chestnut", "huairou-chestnut"], id="typo-letter-wrong"),
    pytest.param("rout", ["trout"], id="typo-first-letter-left-out"),
    pytest.param("huairoubamli", ["huairou-chestnut"], id="typo-in-whole-pinyin-name"),
    pytest.param("ＴＡＮＧＥＨ", ["potato", "dried-potato"], id="typo-full-width-and-case"),
    pytest.param("tangeh 乾", ["dried-potato"], id="typo-beside-chinese"),
    pytest.param("rainbw trout", ["trout"], id="typo-in-one-word-of-two"),
    pytest.param("pear pastee", ["pear"], id="typo-extra-letter-at-the-end"),
    pytest.param("tnageh", [], id="two-edits-not-forgiven"),
    pytest.param("chesnut trout", [], id="corrected-words-must-all-match-too"),
    pytest.param("pear pastr", [], id="a-word-that-begins-a-word-is-not-corrected"),
    pytest.param("bk", [], id="short-words-not-corrected"),
    pytest.param("板粟", [], id="chinese-not-corrected"),
    pytest.param("chestnut5", [], id="words-with-digits-not-corrected"),
]


@pytest.mark.parametrize(("q", "expected"), CASES)
def test_the_product_search_table(catalogue, q, expected):
    # when
    found = [p.slug for p in market_selectors.product_list(q=q)]
    # then
    assert found == expected


def test_exact_name_before_name_before_description(catalogue):
    # when
    found = list(market_selectors.product_list(q="板栗"))
    # then: 板栗 is the name, 怀柔板栗 contains it, 栗子糕 only mentions it
    assert [(p.slug, p.search_rank) for p in found] == [
        ("chestnut", 3),
        ("huairou-chestnut", 2),
        ("chestnut-cake", 1),
    ]


def test_the_api_q_filter_is_the_same_search(catalogue, api_client):
    # when
    response = api_client.get("/api/v1/products/", {"q": "tanghe"})
    # then
    assert response.status_code == 200
    assert [p["slug"] for p in response.json()["results"]] == ["potato", "dried-potato"]


def test_the_product_list_page_uses_it(catalogue, client):
    # when
    response = client.get("/products/", {"q": "紅梨膏"})
    # then
    assert response.status_code == 200
    assert [p.slug for p in response.context["page"].object_list] == ["pear"]


def test_the_producer_and_village_find_the_product():
    # given
    product = ProductFactory(
        producer=ProducerFactory(name_zh_hans="栗香峪板栗专业合作社", name_en="Lixiangyu co-op"),
        name_zh_hans="新栗",
        name_en="New crop",
    )
    # when / then
    assert list(market_selectors.product_list(q="栗香峪")) == [product]
    assert list(market_selectors.product_list(q="lixiangyu")) == [product]


def test_a_renamed_product_is_found_by_its_new_name(catalogue):
    # given
    pear = catalogue["pear"]
    pear.name_zh_hans = "秋梨膏"
    pear.save(update_fields=["name_zh_hans"])
    # when / then
    assert [p.slug for p in market_selectors.product_list(q="qiuligao")] == ["pear"]
    assert list(market_selectors.product_list(q="红梨膏")) == []


def test_reindex_catches_up_rows_written_by_update(catalogue):
    # given a row changed behind save()'s back
    Product.objects.filter(slug="trout").update(name_zh_hans="三文鱼")
    assert list(market_selectors.product_list(q="三文鱼")) == []
    # when
    search.reindex(Product)
    # then
    assert [p.slug for p in market_selectors.product_list(q="三文鱼")] == ["trout"]


@pytest.fixture
def routes():
    wall = AttractionFactory(name_zh_hans="慕田峪长城", name_en="Mutianyu Great Wall")
    lake = RouteFactory(slug="lake", title_zh_hans="前门+雁栖湖", title_en="Qianmen and Yanqi Lake")
    walls = RouteFactory(slug="walls", title_zh_hans="天坛+红螺寺", title_en="Temple of Heaven")
    RouteStopFactory(route=walls, attraction=wall)
    return {"lake": lake, "walls": walls}


@pytest.mark.parametrize(
    ("q", "expected"),
    [
        pytest.param("雁棲湖", ["lake"], id="traditional"),
        pytest.param("yanqihu", ["lake"], id="pinyin-from-a-syllable-on"),
        pytest.param("qmyqh", ["lake"], id="initials"),
        pytest.param("長城", ["walls"], id="a-stop-in-traditional"),
        pytest.param("mutianyu", ["walls"], id="a-stop-in-pinyin"),
        pytest.param("temple", ["walls"], id="english"),
        pytest.param("天坛 长城", ["walls"], id="title-and-stop"),
        pytest.param("yanqihh", ["lake"], id="typo-in-pinyin"),
        pytest.param("mutainyu", ["walls"], id="typo-in-a-stop"),
        pytest.param("tempel", ["walls"], id="typo-in-english"),
    ],
)
def test_the_route_search_table(routes, q, expected):
    assert [r.slug for r in tour_selectors.route_list(q=q)] == expected


def test_the_route_api_filter(routes, api_client):
    response = api_client.get("/api/v1/routes/", {"q": "長城"})
    assert response.status_code == 200
    assert [r["slug"] for r in response.json()["results"]] == ["walls"]


@pytest.mark.parametrize(
    ("q", "expected"),
    [
        pytest.param("義務教育", ["school"], id="traditional"),
        pytest.param("yiwujiaoyu", ["school"], id="pinyin"),
        pytest.param("clinic", ["clinic"], id="english"),
        pytest.param("clinc", ["clinic"], id="typo-in-english"),
        pytest.param("yiwujaoyu", ["school"], id="typo-in-pinyin"),
    ],
)
def test_the_project_search_table(q, expected):
    ProjectFactory(slug="school", title_zh_hans="义务教育学校共建", title_en="Schools")
    ProjectFactory(slug="clinic", title_zh_hans="社区医院", title_en="Village clinic")
    assert [p.slug for p in coop_selectors.project_list(q=q)] == expected


def test_the_project_api_filter_and_its_length_limit(api_client):
    ProjectFactory(slug="school", title_zh_hans="义务教育学校共建", title_en="Schools")
    assert [
        p["slug"]
        for p in api_client.get("/api/v1/cooperation/projects/", {"q": "教育"}).json()["results"]
    ] == ["school"]
    response = api_client.get("/api/v1/cooperation/projects/", {"q": "x" * 101})
    assert response.status_code == 400
    assert "q" in response.json()["errors"]


# --- Constant query counts -------------------------------------------------------


def _queries(run) -> int:
    with CaptureQueriesContext(connection) as captured:
        run()
    return len(captured)


@pytest.mark.parametrize("rows", [5, 50])
def test_a_search_costs_the_same_queries_for_5_and_50_rows(client, rows, django_assert_num_queries):
    # given
    for n in range(rows):
        ProductFactory(name_zh_hans=f"板栗{n}", name_en=f"Chestnut {n}")
        RouteFactory(title_zh_hans=f"板栗之路{n}")
        ProjectFactory(title_zh_hans=f"板栗加工{n}")
    # when / then: the same count whatever the rows
    with django_assert_num_queries(_SEARCH_PAGE_QUERIES):
        response = client.get("/search/", {"q": "板栗"})
    assert response.status_code == 200
    assert response.context["groups"][1]["total"] == rows


# Session-less anonymous page: per group a count and a capped list with its prefetches.
_SEARCH_PAGE_QUERIES = 10


def test_the_product_list_search_is_constant_in_rows():
    def run():
        list(market_selectors.product_list(q="板栗"))

    for n in range(5):
        ProductFactory(name_zh_hans=f"板栗{n}")
    five = _queries(run)
    for n in range(45):
        ProductFactory(name_zh_hans=f"板栗{n + 5}")
    assert _queries(run) == five


# --- The /search/ page ---------------------------------------------------------------


@pytest.mark.parametrize("prefix", ["", "/zh-hant", "/en"])
def test_the_search_page_groups_and_highlights(catalogue, routes, client, prefix):
    # given
    ProducerFactory(slug="potato-coop", name_zh_hans="汤河川红薯合作社", name_en="Tanghe co-op")
    ProjectFactory(slug="potato-project", title_zh_hans="红薯加工厂", title_en="Sweet potato plant")
    # when
    response = client.get(f"{prefix}/search/", {"q": "紅薯"})
    # then
    assert response.status_code == 200
    groups = {g["key"]: [item.slug for item in g["items"]] for g in response.context["groups"]}
    assert groups == {
        "routes": [],
        "products": ["potato", "dried-potato"],
        "producers": ["potato-coop"],
        "projects": ["potato-project"],
    }
    html = response.content.decode()
    if prefix == "/en":  # the English names: nothing Chinese to mark
        assert 'href="/en/products/potato/">Tanghe sweet potatoes</a>' in html
    elif prefix == "/zh-hant":  # the Traditional names, marked where the query matched
        assert '<a href="/zh-hant/products/potato/">湯河<mark>紅薯</mark></a>' in html
    else:
        assert '<a href="/products/potato/">汤河<mark>红薯</mark></a>' in html
        # the Traditional name is marked where the query (in Traditional) matched it
        assert "湯河<mark>紅薯</mark>乾" in html


def test_highlighting_escapes_the_text():
    marked = search.highlight("<b>板栗</b> & Chestnuts", "板栗 chest")
    assert marked == "&lt;b&gt;<mark>板栗</mark>&lt;/b&gt; &amp; <mark>Chest</mark>nuts"


@pytest.mark.parametrize(
    ("q", "status", "message"),
    [
        pytest.param("", 200, "in Chinese", id="empty"),
        pytest.param("、、、!!", 200, "nothing to search for", id="only-punctuation"),
        pytest.param("板" * 101, 400, "too long", id="too-long"),
    ],
)
def test_the_search_page_explains_an_unusable_query(client, q, status, message):
    response = client.get("/en/search/", {"q": q})
    assert response.status_code == status
    assert message in response.content.decode()


def test_the_search_page_in_chinese_by_default(client):
    response = client.get("/search/", {"q": "x" * 101})
    assert "太长" in response.content.decode()


@pytest.mark.parametrize(
    "path", ["/", "/en/", "/zh-hant/", "/products/", "/tours/", "/cooperation/", "/account/login/"]
)
def test_the_header_search_box_is_on_every_page(client, path):
    response = client.get(path)
    html = response.content.decode()
    assert 'role="search"' in html
    prefix = next((p for p in ("/en", "/zh-hant") if path.startswith(p + "/")), "")
    assert f'action="{prefix}/search/"' in html


# --- PostgreSQL: the index ---------------------------------------------------------------


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's trigram index")
def test_postgresql_answers_from_the_trigram_index():
    # given the index the migration creates (the suite builds tables without migrations)
    create, _drop = search.trigram_index_sql("marketplace_product", "product_search_trgm")
    with connection.cursor() as cursor:
        cursor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        cursor.execute(create)
        cursor.execute("SET LOCAL enable_seqscan = off")
    ProductFactory(name_zh_hans="汤河红薯")
    for q in ("汤河红薯", "tanghe", "product"):
        # when
        queryset = search.filter_queryset(Product.objects.all(), q)
        # then: a Chinese bigram token and a word's start are both index searches
        assert "product_search_trgm" in queryset.explain(), q
        assert queryset.count() == 1


# --- Typo tolerance: the vocabulary, the pages, the API, the cost -----------------------


def test_the_vocabulary_is_the_words_of_every_searchable_row(catalogue, routes):
    # when
    counts = search.vocabulary_counts()
    # then: English and pinyin words of products, routes and stops, no Chinese, no bars
    assert {"tanghe", "tanghehongshu", "chestnuts", "yanqihu", "mutianyu"} <= set(counts)
    assert counts["chestnuts"] == 2
    assert not [w for w in counts if w == "|" or "板" in w or "栗" in w]


def test_a_new_product_name_is_correctable_once_saved(
    catalogue, django_capture_on_commit_callbacks
):
    # given the vocabulary loaded (and cached) before the product exists
    assert [p.slug for p in market_selectors.product_list(q="tangeh")] == [
        "potato",
        "dried-potato",
    ]
    assert list(market_selectors.product_list(q="mulbery")) == []
    # when a product is saved (and the save commits)
    with django_capture_on_commit_callbacks(execute=True):
        ProductFactory(slug="mulberry", name_zh_hans="桑葚干", name_en="Mulberries")
    # then its name is a word misspellings are corrected to at once
    assert [p.slug for p in market_selectors.product_list(q="mulbery")] == ["mulberry"]
    assert [p.slug for p in market_selectors.product_list(q="sangshengan")] == ["mulberry"]


def test_only_a_change_of_the_search_columns_renews_the_vocabulary(
    catalogue, django_capture_on_commit_callbacks
):
    # given
    before = versions(search.VOCABULARY)
    pear = catalogue["pear"]
    # when a save leaves the searchable text as it was
    with django_capture_on_commit_callbacks(execute=True):
        pear.save()
        Product.objects.get(pk=pear.pk).save(update_fields=["position"])
    # then
    assert versions(search.VOCABULARY) == before
    # when it changes it
    with django_capture_on_commit_callbacks(execute=True):
        pear.name_en = "Autumn pear paste"
        pear.save(update_fields=["name_en"])
    assert versions(search.VOCABULARY) != before
    # and a reindex (rows written behind save()'s back) renews it too
    renamed = versions(search.VOCABULARY)
    with django_capture_on_commit_callbacks(execute=True):
        search.reindex(Product)
    assert versions(search.VOCABULARY) != renamed


@pytest.mark.parametrize(
    ("prefix", "banner"),
    [
        ("", "显示「tanghe」的结果"),
        ("/zh-hant", "顯示「tanghe」的結果"),
        ("/en", "Showing results for «tanghe»"),
    ],
)
def test_the_pages_say_what_they_show_results_for(catalogue, client, prefix, banner):
    # when
    response = client.get(f"{prefix}/products/", {"q": "tangeh"})
    # then: the corrected results, said so, and the query as typed in the box
    assert [p.slug for p in response.context["page"].object_list] == ["potato", "dried-potato"]
    html = response.content.decode()
    assert banner in html
    assert 'value="tangeh"' in html
    # and an exact search says nothing of the kind
    assert "tanghe」" not in client.get(f"{prefix}/products/", {"q": "tanghe"}).content.decode()
    assert "«tanghe»" not in client.get(f"{prefix}/products/", {"q": "tanghe"}).content.decode()


def test_the_search_page_shows_and_marks_the_corrected_query(catalogue, client):
    # when
    response = client.get("/en/search/", {"q": "tangeh 紅薯"})
    # then
    assert response.status_code == 200
    assert response.context["corrected"] == "tanghe 红薯"
    groups = {g["key"]: [item.slug for item in g["items"]] for g in response.context["groups"]}
    assert groups["products"] == ["potato", "dried-potato"]
    html = response.content.decode()
    assert "Showing results for «tanghe 红薯»" in html
    assert 'value="tangeh 紅薯"' in html
    assert "<mark>Tanghe</mark> sweet potatoes" in html


def test_the_route_and_project_pages_correct_too(routes, client):
    ProjectFactory(slug="clinic", title_zh_hans="社区医院", title_en="Village clinic")
    response = client.get("/en/tours/", {"q": "yanqihh"})
    assert [r.slug for r in response.context["page"].object_list] == ["lake"]
    assert "Showing results for «yanqihu»" in response.content.decode()
    response = client.get("/en/cooperation/projects/", {"q": "clinc"})
    assert [p.slug for p in response.context["page"].object_list] == ["clinic"]
    assert "Showing results for «clinic»" in response.content.decode()


@pytest.mark.parametrize(
    ("path", "q", "found", "header"),
    [
        ("/api/v1/products/", "tangeh", ["potato", "dried-potato"], "tanghe"),
        ("/api/v1/products/", "tangeh 乾", ["dried-potato"], "tanghe%20%E5%B9%B2"),
        ("/api/v1/products/", "tanghe", ["potato", "dried-potato"], None),
        ("/api/v1/products/", "tnageh", [], None),
        ("/api/v1/routes/", "mutainyu", ["walls"], "mutianyu"),
    ],
)
def test_the_api_answers_the_corrected_search_and_says_so(
    catalogue, routes, api_client, path, q, found, header
):
    # when
    response = api_client.get(path, {"q": q})
    # then
    assert response.status_code == 200
    assert [row["slug"] for row in response.json()["results"]] == found
    assert response.headers.get("X-Search-Corrected") == header


def test_the_project_api_corrects_too(api_client):
    ProjectFactory(slug="clinic", title_zh_hans="社区医院", title_en="Village clinic")
    response = api_client.get("/api/v1/cooperation/projects/", {"q": "clinc"})
    assert [p["slug"] for p in response.json()["results"]] == ["clinic"]
    assert response.headers["X-Search-Corrected"] == "clinic"


def _searchable_models() -> int:
    from django.apps import apps

    return sum(
        1 for m in apps.get_models() if issubclass(m, search.Searchable) and not m._meta.proxy
    )


def test_what_a_correction_costs(catalogue):
    def run(q):
        return lambda: list(market_selectors.product_list(q=q))

    chinese = _queries(run("板栗"))
    # a word that could be corrected: one exists() first, nothing more when it is
    # found (the vocabulary is not even read)
    search._loaded.clear()
    assert _queries(run("tanghe")) == chinese + 1
    assert not search._loaded
    # found nothing: the vocabulary, built once (a query a searchable model)...
    assert _queries(run("tangeh")) == chinese + 1 + _searchable_models()
    # ... and then read from the cache: the exists() and the corrected search
    assert _queries(run("tangeh")) == chinese + 1
    # nothing to correct to: the exists() alone, the list known to be empty
    assert _queries(run("tnageh")) == 1
    # a short word or a Chinese one is never fuzzed: the search alone (found nothing)
    assert _queries(run("bk")) == 1
    assert _queries(run("板粟")) == 1


@pytest.mark.parametrize("rows", [5, 50])
def test_a_corrected_search_costs_the_same_queries_for_5_and_50_rows(
    client, rows, django_assert_num_queries
):
    # given
    for n in range(rows):
        ProductFactory(name_zh_hans=f"板栗{n}", name_en=f"Chestnut {n}")
        RouteFactory(title_zh_hans=f"板栗之路{n}", title_en=f"Chestnut road {n}")
        ProjectFactory(title_zh_hans=f"板栗加工{n}", title_en=f"Chestnut mill {n}")
    search.vocabulary()  # built once, then cached whatever the rows
    # when / then: the search page's queries (as for 板栗), plus one exists() a group
    with django_assert_num_queries(_SEARCH_PAGE_QUERIES + 4):
        response = client.get("/search/", {"q": "chesnut"})
    assert response.context["corrected"] == "chestnut"
    assert [g["total"] for g in response.context["groups"]] == [rows, rows, 0, rows]
    # the product list: as many as for a Chinese query, plus the exists(),
    # whether the word was found as typed or corrected
    chinese = _queries(lambda: client.get("/products/", {"q": "板栗"}))
    with django_assert_num_queries(chinese + 1):
        response = client.get("/products/", {"q": "banli"})
    with django_assert_num_queries(chinese + 1):
        response = client.get("/products/", {"q": "banlli"})
    assert response.context["page"].paginator.count == rows


def test_a_cache_outage_still_corrects(catalogue, monkeypatch, caplog):
    # given the cache down (the vocabulary's counter, its entry)
    from django.core.cache import cache

    def broken(*args, **kwargs):
        raise ConnectionError("redis is down")

    for method in ("get", "get_many", "set", "add"):
        monkeypatch.setattr(cache, method, broken)
    search._loaded.clear()
    # when / then: built from the database, not a 500
    assert [p.slug for p in market_selectors.product_list(q="tangeh")] == [
        "potato",
        "dried-potato",
    ]
    assert "cache unavailable" in caplog.text
