"""core.links.absolute_url, the one rule for the absolute links the site
hands out (end to end: tests/tours/test_links.py)."""

import pytest
from django.test import RequestFactory

from core.links import absolute_url

SITE = "https://example.org"


@pytest.fixture(autouse=True)
def _site(settings):
    settings.SITE_URL = SITE + "/"  # a trailing slash is not doubled


def request_to(host: str):
    return RequestFactory().get("/anything/", HTTP_HOST=host)


def test_development_with_a_request_uses_its_host(settings):
    settings.DEBUG = True
    assert absolute_url("/tours/", request_to("localhost:8123")) == "http://localhost:8123/tours/"


def test_production_uses_site_url_whatever_the_host(settings):
    settings.DEBUG = False
    assert absolute_url("/tours/", request_to("localhost")) == f"{SITE}/tours/"


def test_no_request_uses_site_url_even_in_development(settings):
    settings.DEBUG = True
    assert absolute_url("/tours/") == f"{SITE}/tours/"
    assert absolute_url("media/x.jpg") == f"{SITE}/media/x.jpg"


@pytest.mark.parametrize("value", ["", "https://cdn.example.net/x.webp"])
def test_empty_or_already_absolute_values_are_kept(settings, value):
    settings.DEBUG = True
    assert absolute_url(value, request_to("localhost")) == value


@pytest.mark.django_db
def test_templates_get_the_same_root(settings, client):
    settings.DEBUG = True
    page = client.get("/", HTTP_HOST="localhost:8123")
    assert page.context["SITE_URL"] == "http://localhost:8123"
    settings.DEBUG = False
    assert client.get("/", HTTP_HOST="localhost").context["SITE_URL"] == SITE
