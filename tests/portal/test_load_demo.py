import pytest
from django.apps import apps
from django.core.management import call_command

pytestmark = pytest.mark.django_db

PROJECT_APPS = ("accounts", "cooperation", "marketplace", "tours")


def _counts() -> dict[str, int]:
    return {
        model._meta.label: model._default_manager.count()
        for app in PROJECT_APPS
        for model in apps.get_app_config(app).get_models()
    }


def test_load_demo_loads_every_app_and_a_second_run_duplicates_nothing(
    capsys, django_capture_on_commit_callbacks
):
    from core import cache

    # given: an empty database
    # when
    call_command("load_demo")
    first = _counts()
    before = cache.versions(*cache.SCOPES).split(".")
    with django_capture_on_commit_callbacks(execute=True):
        call_command("load_demo")
    second = _counts()
    # every cached page and entry is outdated, whatever the loaders wrote in bulk
    after = cache.versions(*cache.SCOPES).split(".")
    assert all(int(a) > int(b) for a, b in zip(after, before, strict=True))
    # then: every app has data, the command showed its progress, and nothing doubled
    out = capsys.readouterr().out
    assert "[1/5] cooperation" in out and "[4/5] tours" in out and "[5/5] resellers" in out
    for label in ("accounts.User", "cooperation.Figure", "marketplace.Product", "tours.Route"):
        assert first[label] > 0, label
    assert second == first


def test_demo_accounts_of_the_readme_exist_and_sign_in(client):
    from accounts.demo import DEMO_PASSWORD

    call_command("load_demo")
    for username in (
        "admin",
        "district",
        "visitor",
        "producer1",
        "producer2",
        "producer3",
        "producer4",
        "centre1",
        "buyer2",
        "counter1",
        "counter2",
        "buyer1",
        "operator1",
        "operator2",
    ):
        response = client.post("/account/login/", {"username": username, "password": DEMO_PASSWORD})
        assert response.status_code == 302, username
        client.post("/account/logout/")
