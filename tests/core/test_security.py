"""Headers, CSP nonces, sign-in throttling and password rules, in-process.

Production-only values (HSTS, __Host- cookies, the HTTPS redirect) are
checked in a production process by test_deploy.py.
"""

from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.http import HttpResponse
from django.template import engines
from django.test import Client, override_settings
from django.urls import path
from django.utils import timezone
from rest_framework.test import APIClient

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "correct-horse-battery"


def _csp(response) -> dict[str, str]:
    policy = response["Content-Security-Policy"]
    return dict(part.strip().split(" ", 1) for part in policy.split(";"))


def _nonce_page(request):
    template = engines["django"].from_string('<script nonce="{{ csp_nonce }}">void 0</script>')
    return HttpResponse(template.render({}, request))


def _plain_page(request):
    return HttpResponse("<p>no script here</p>")


urlpatterns = [path("nonce", _nonce_page), path("plain", _plain_page)]


def test_every_page_carries_the_security_headers(client):
    response = client.get("/en/account/login/")
    assert response.status_code == 200
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"
    csp = _csp(response)
    assert csp["default-src"] == "'self'"
    assert csp["script-src"] == "'self'"  # no nonce used on this page: none offered
    assert csp["object-src"] == "'none'"
    assert csp["base-uri"] == "'self'"
    assert csp["frame-ancestors"] == "'none'"
    assert csp["form-action"] == "'self'"
    assert "unsafe-inline" not in response["Content-Security-Policy"]


@override_settings(ROOT_URLCONF=__name__)
def test_a_nonce_is_offered_only_to_the_page_that_uses_it(client):
    first, second = client.get("/nonce"), client.get("/nonce")
    nonce = first.content.decode().split('nonce="')[1].split('"')[0]
    assert len(nonce) >= 16
    assert _csp(first)["script-src"] == f"'self' 'nonce-{nonce}'"
    assert _csp(first)["script-src"] != _csp(second)["script-src"]  # fresh every time
    assert _csp(client.get("/plain"))["script-src"] == "'self'"


@pytest.mark.parametrize("path", ["/admin/login/", "/vendor/login/", "/api/docs/"])
def test_staff_sites_and_api_docs_are_served_under_the_same_policy(client, path):
    response = client.get(path)
    assert response.status_code == 200
    assert "unsafe-inline" not in response["Content-Security-Policy"]
    html = response.content.decode()
    # No inline script or style element that the policy would block.
    assert "<script>" not in html.replace(" ", "")
    assert "<style" not in html


def test_api_docs_init_script_is_a_same_origin_file(client):
    html = client.get("/api/docs/").content.decode()
    assert 'src="/api/docs/?script="' in html
    script = client.get("/api/docs/?script=")
    assert script.status_code == 200
    assert script["Content-Type"].startswith("application/javascript")
    assert "SwaggerUIBundle" in script.content.decode()
    assert "//" not in html.split("<body>")[1].replace("</", "").split('src="')[1][:2]  # no CDN


# --- Sign-in throttling (django-axes) -------------------------------------------------


def web_login(client, url, username, password, ip="10.0.0.1"):
    return client.post(url, {"username": username, "password": password}, REMOTE_ADDR=ip)


def api_login(client, url, username, password, ip="10.0.0.1"):
    return client.post(
        url, {"username": username, "password": password}, format="json", REMOTE_ADDR=ip
    )


SIGN_INS = {
    "web": ("/account/login/", web_login),
    "web-en": ("/en/account/login/", web_login),
    "admin": ("/admin/login/", web_login),
    "vendor": ("/vendor/login/", web_login),
    "api": ("/api/v1/auth/token/", api_login),
}


def _is_locked(response) -> bool:
    return response.status_code in (403, 429)


def _succeeded(kind, response) -> bool:
    return response.status_code == 200 if kind == "api" else response.status_code == 302


@pytest.fixture
def staff(db):
    # Staff so the same account can sign in to /admin/ and /vendor/ too.
    return UserFactory(username="dana", is_staff=True, is_superuser=True)


@pytest.fixture(params=list(SIGN_INS))
def sign_in(request, settings):
    """(kind, attempt): each attempt comes from a fresh browser or app, as an
    attacker's would, so a success doesn't leave a signed-in session behind."""
    settings.AXES_FAILURE_LIMIT = 3
    kind = request.param
    url, send = SIGN_INS[kind]

    def attempt(username, password, ip="10.0.0.1"):
        return send(APIClient() if kind == "api" else Client(), url, username, password, ip)

    return kind, attempt


def test_repeated_failures_lock_the_account_from_any_address(sign_in, staff):
    kind, attempt = sign_in
    for n in range(3):
        response = attempt("dana", "wrong", ip=f"10.0.1.{n}")
        assert not _is_locked(response) or n == 2, (n, response.status_code)
    # Locked now, even with the right password and from a new address.
    response = attempt("dana", PASSWORD, ip="10.0.9.9")
    assert _is_locked(response), response.status_code
    if kind == "api":
        assert response.status_code == 403
        assert response.json()["code"] == "permission_denied"
        assert response.json()["detail"]
    else:
        assert response.status_code == 429
    # Another account is not affected.
    UserFactory(username="erin")
    assert _succeeded(kind, attempt("erin", PASSWORD, ip="10.0.9.9")) or kind in ("admin", "vendor")


def test_repeated_failures_lock_the_address_for_any_account(sign_in, staff):
    kind, attempt = sign_in
    for n in range(3):
        attempt(f"nobody{n}", "wrong", ip="10.0.2.2")
    assert _is_locked(attempt("dana", PASSWORD, ip="10.0.2.2"))
    assert _succeeded(kind, attempt("dana", PASSWORD, ip="10.0.3.3"))


def test_the_lock_lifts_after_the_cool_off(sign_in, staff):
    kind, attempt = sign_in
    for _ in range(3):
        attempt("dana", "wrong")
    assert _is_locked(attempt("dana", PASSWORD))
    # The cool-off (AXES_COOLOFF_TIME) passes.
    AccessAttempt.objects.update(attempt_time=timezone.now() - timedelta(hours=1))
    assert _succeeded(kind, attempt("dana", PASSWORD))


def test_a_success_resets_the_count(sign_in, staff):
    kind, attempt = sign_in
    for _ in range(2):
        attempt("dana", "wrong")
    assert _succeeded(kind, attempt("dana", PASSWORD))
    for _ in range(2):
        attempt("dana", "wrong")
    # Four failures in all, but only two since the success: not locked.
    assert _succeeded(kind, attempt("dana", PASSWORD))


def test_lockouts_live_in_the_database_so_every_app_server_sees_them(settings):
    assert settings.AXES_HANDLER == "axes.handlers.database.AxesDatabaseHandler"


# --- Passwords --------------------------------------------------------------------------


@pytest.mark.parametrize("weak", ["123", "password", "12345678901", "alice-example"])
def test_api_register_refuses_a_weak_password(api_client, weak):
    response = api_client.post(
        "/api/v1/auth/register/",
        {"username": "alice", "email": "alice@example.org", "password": weak},
        format="json",
    )
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "invalid"
    assert body["errors"]["password"], body
    assert body["detail"]


def test_web_register_refuses_a_weak_password(client):
    response = client.post(
        "/en/account/register/",
        {
            "username": "alice",
            "email": "a@example.org",
            "password1": "12345678",
            "password2": "12345678",
        },
    )
    assert response.status_code == 400
    assert (
        "too common" in response.content.decode() or "entirely numeric" in response.content.decode()
    )


def test_all_of_djangos_password_validators_are_on(settings):
    names = {v["NAME"].rsplit(".", 1)[1] for v in settings.AUTH_PASSWORD_VALIDATORS}
    assert names == {
        "UserAttributeSimilarityValidator",
        "MinimumLengthValidator",
        "CommonPasswordValidator",
        "NumericPasswordValidator",
    }


@pytest.mark.parametrize(
    ("trusted", "forwarded", "expected"),
    [
        (0, "203.0.113.5", "10.0.0.2"),  # no proxy: the header is the client's lie
        (1, "203.0.113.5", "203.0.113.5"),
        (1, "6.6.6.6, 203.0.113.5", "203.0.113.5"),  # a spoofed first entry is ignored
        (2, "6.6.6.6, 203.0.113.5, 10.0.0.9", "203.0.113.5"),
        (1, "", "10.0.0.2"),
    ],
)
def test_client_address_behind_trusted_proxies(rf, settings, trusted, forwarded, expected):
    from core.middleware import client_ip

    settings.TRUSTED_PROXIES = trusted
    request = rf.get("/", HTTP_X_FORWARDED_FOR=forwarded, REMOTE_ADDR="10.0.0.2")
    assert client_ip(request) == expected
