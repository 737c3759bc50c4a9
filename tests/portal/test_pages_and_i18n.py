import re

import pytest

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(("path", "lang"), [("/", "zh-Hans"), ("/en/", "en")])
def test_home_page_in_both_languages(client, path, lang):
    response = client.get(path)
    assert response.status_code == 200
    html = response.content.decode()
    assert f'<html lang="{lang}">' in html
    # navigation to every section and the footer crediting the report
    for section in ("tours/", "products/", "centres/", "cooperation/", "account/"):
        assert f'href="{path}{section}"' in html
    assert "人民网" in html


def test_root_is_chinese_whatever_the_browser_prefers(client):
    html = client.get("/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    assert '<html lang="zh-Hans">' in html
    assert "东城" in html


def test_language_switch_keeps_the_visitor_on_the_same_page(client):
    html = client.get("/cooperation/").content.decode()
    switch = re.search(r'<nav class="lang-switch".*?</nav>', html, re.S).group(0)
    assert 'href="/en/cooperation/"' in switch
    html_en = client.get("/en/cooperation/").content.decode()
    switch_en = re.search(r'<nav class="lang-switch".*?</nav>', html_en, re.S).group(0)
    assert 'href="/cooperation/"' in switch_en


def test_query_string_survives_the_language_switch(client):
    html = client.get("/products/?q=%E6%9D%BF%E6%A0%97").content.decode()
    assert "/en/products/?q=%E6%9D%BF%E6%A0%97" in html


def test_api_follows_accept_language(api_client):
    zh = api_client.get("/api/v1/auth/me/")
    en = api_client.get("/api/v1/auth/me/", HTTP_ACCEPT_LANGUAGE="en")
    assert en.json()["detail"] == "Authentication credentials were not provided."
    assert zh.json()["detail"] != en.json()["detail"]


def test_no_page_refers_to_an_outside_host(client, settings):
    html = client.get("/").content.decode()
    # absolute links to the site itself (hreflang alternates, canonical) are no outside host
    own = settings.SITE_URL.rstrip("/") + "/"
    for attr in re.findall(r'(?:src|href)="([^"]+)"', html):
        if attr.startswith("http") and not attr.startswith(own):
            # the only outside link is the citation of the source report (a link, not a load)
            assert "people.com.cn" in attr, attr
    assert not re.search(r'<(?:script|img)[^>]+(?:src|href)="https?://', html)
    # a <link> to an absolute URL is only ever metadata about this site, never a load
    for tag in re.findall(r'<link[^>]+href="https?://[^"]+"[^>]*>', html):
        assert re.search(r'rel="(alternate|canonical)"', tag) and own in tag, tag


def test_anonymous_api_clients_are_throttled_with_the_error_format(api_client, monkeypatch):
    from rest_framework.throttling import SimpleRateThrottle

    # DRF reads the rates once at import; the suite runs with huge ones.
    monkeypatch.setattr(
        SimpleRateThrottle,
        "THROTTLE_RATES",
        {"anon": "2/min", "user": "100/min", "auth": "2/min", "write": "100/min"},
    )
    codes = [api_client.get("/api/schema/?format=json").status_code for _ in range(3)]
    assert codes == [200, 200, 429]
    body = api_client.get("/api/schema/?format=json").json()
    assert body["code"] == "throttled"
    assert "detail" in body
    # the token endpoint has its own, stricter bucket per address
    tokens = [
        api_client.post(
            "/api/v1/auth/token/", {"username": "x", "password": "y"}, format="json"
        ).status_code
        for _ in range(3)
    ]
    assert tokens == [401, 401, 429]


def test_unknown_api_path_is_a_json_404(api_client):
    response = api_client.get("/api/v1/nope/")
    assert response.status_code == 404


def test_schema_and_docs_are_served_without_a_cdn(client):
    schema = client.get("/api/schema/")
    assert schema.status_code == 200
    assert b"openapi: 3" in schema.content
    docs = client.get("/api/docs/").content.decode()
    assert "swagger-ui" in docs
    assert not re.search(r'(?:src|href)="https?://', docs)


@pytest.mark.parametrize(
    ("path", "needle"),
    [("/no-such-page/", "页面不存在"), ("/en/no-such-page/", "Page not found")],
)
def test_missing_pages_get_the_site_404(client, path, needle, settings):
    settings.DEBUG = False
    response = client.get(path)
    assert response.status_code == 404
    assert b'class="site-header"' in response.content
    assert needle in response.content.decode()
