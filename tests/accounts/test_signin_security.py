"""Sign-in lock-out by account (not by typed spelling), the one client-address
rule, and the web registration throttle: each test replays an attack a tester
found (issue 11)."""

import json
import logging
from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.conf import settings as django_settings
from django.test import Client
from django.utils import timezone
from django.utils.module_loading import import_string
from rest_framework.test import APIClient
from rest_framework.throttling import SimpleRateThrottle

from core.api.throttling import AuthRateThrottle, ClientAddressMixin, WriteRateThrottle
from core.middleware import client_ip
from tests.core.test_deploy import production_env, run
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "correct-horse-battery"
PHONE = "13800000077"


def _web(url):
    def send(username, password, ip, **headers):
        return Client().post(
            url, {"username": username, "password": password}, REMOTE_ADDR=ip, **headers
        )

    return send


def _api(username, password, ip, **headers):
    return APIClient().post(
        "/api/v1/auth/token/",
        {"username": username, "password": password},
        format="json",
        REMOTE_ADDR=ip,
        **headers,
    )


DOORS = {
    "web": _web("/account/login/"),
    "admin": _web("/admin/login/"),
    "vendor": _web("/vendor/login/"),
    "api": _api,
}


def _locked(response) -> bool:
    return response.status_code in (403, 429)


def _succeeded(door, response) -> bool:
    return response.status_code == (200 if door == "api" else 302)


@pytest.fixture(params=list(DOORS))
def door(request):
    return request.param, DOORS[request.param]


@pytest.fixture
def lock_x(db):
    # Staff so the same account may sign in at /admin/ and /vendor/ too.
    return UserFactory(username="lock_x", phone=PHONE, is_staff=True, is_superuser=True)


# --- 1. Lock-out per resolved account ------------------------------------------------


def test_failures_under_any_spelling_or_the_phone_lock_the_one_account(door, lock_x):
    # given: five failures, each from its own address, each naming lock_x differently
    kind, attempt = door
    spellings = ["lock_x", "LOCK_X", PHONE, "Lock_x", "lock_X"]
    for n, name in enumerate(spellings):
        response = attempt(name, "wrong", ip=f"10.0.1.{n}")
        assert not _locked(response) or n == len(spellings) - 1, (n, response.status_code)
    # when / then: the right password is refused under every spelling, from a new address
    for n, name in enumerate(["lock_x", "LOCK_X", "Lock_X", PHONE]):
        response = attempt(name, PASSWORD, ip=f"10.0.9.{n}")
        assert _locked(response), (name, response.status_code)
    # ...until the cool-off has passed
    AccessAttempt.objects.update(attempt_time=timezone.now() - timedelta(hours=1))
    assert _succeeded(kind, attempt("LOCK_X", PASSWORD, ip="10.0.9.9"))


def test_a_success_under_any_spelling_resets_the_account_count(door, lock_x):
    # given: four failures under various spellings
    kind, attempt = door
    for n, name in enumerate(["lock_x", "LOCK_X", PHONE, "Lock_x"]):
        attempt(name, "wrong", ip=f"10.0.2.{n}")
    # when: a success by phone
    assert _succeeded(kind, attempt(PHONE, PASSWORD, ip="10.0.3.1"))
    # then: four more failures do not lock (the count started again)
    for n, name in enumerate(["LOCK_X", "lock_x", PHONE, "lOcK_x"]):
        assert not _locked(attempt(name, "wrong", ip=f"10.0.4.{n}"))
    assert _succeeded(kind, attempt("lock_x", PASSWORD, ip="10.0.5.1"))


def test_unknown_names_are_counted_whatever_their_case(rf):
    # given
    from accounts.identity import lockout_username

    UserFactory(username="Lock_X", phone=PHONE)
    request = rf.post("/account/login/")
    # when / then
    assert lockout_username(request, {"username": "LOCK_x"}) == "lock_x"
    assert lockout_username(request, {"username": PHONE}) == "lock_x"
    assert lockout_username(request, {"username": " NoBody "}) == "nobody"
    assert lockout_username(request, {"username": ""}) is None
    assert len(lockout_username(request, {"username": "x" * 5000})) == 150  # fits axes' column


# --- 2. One client address, never chosen by the client ----------------------------------


@pytest.mark.parametrize(
    ("trusted", "proxies", "remote", "forwarded", "expected"),
    [
        (0, [], "10.0.0.2", "203.0.113.5", "10.0.0.2"),
        (1, [], "10.0.0.2", "6.6.6.6, 203.0.113.5", "203.0.113.5"),
        (1, ["10.0.0.0/8"], "10.0.0.2", "6.6.6.6, 203.0.113.5", "203.0.113.5"),
        # not sent by a listed proxy: the header is the client's own
        (1, ["10.0.0.0/8"], "198.51.100.7", "203.0.113.5", "198.51.100.7"),
        (1, ["10.0.0.2"], "10.0.0.3", "203.0.113.5", "10.0.0.3"),
        # what the proxy passed on is not an address: ignored
        (1, [], "10.0.0.2", "<script>", "10.0.0.2"),
    ],
)
def test_client_address_trusts_only_configured_proxies(
    rf, settings, trusted, proxies, remote, forwarded, expected
):
    settings.TRUSTED_PROXIES = trusted
    settings.TRUSTED_PROXY_ADDRESSES = proxies
    request = rf.get("/", HTTP_X_FORWARDED_FOR=forwarded, REMOTE_ADDR=remote)
    assert client_ip(request) == expected


def test_every_api_throttle_and_axes_use_the_one_address_rule():
    classes = [import_string(p) for p in django_settings.REST_FRAMEWORK["DEFAULT_THROTTLE_CLASSES"]]
    for throttle in [*classes, AuthRateThrottle, WriteRateThrottle]:
        assert issubclass(throttle, ClientAddressMixin), throttle
    assert django_settings.AXES_CLIENT_IP_CALLABLE == "core.middleware.client_ip"
    assert django_settings.TRUSTED_PROXIES == 0


@pytest.fixture
def low_rates(monkeypatch):
    # DRF reads the rates once at import; the suite runs with huge ones.
    monkeypatch.setattr(
        SimpleRateThrottle,
        "THROTTLE_RATES",
        {"anon": "2/min", "user": "100/min", "auth": "2/min", "write": "100/min"},
    )


def test_a_made_up_forwarded_for_does_not_escape_the_api_throttles(low_rates):
    # given: no proxy configured (the default); each request claims another address
    def get(n):
        return APIClient().get(
            "/api/schema/?format=json", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR=f"6.6.6.{n}"
        )

    def token(n):
        return _api("x", "y", "10.0.0.1", HTTP_X_FORWARDED_FOR=f"7.7.7.{n}")

    # when / then: still one client, throttled on the third request
    assert [get(n).status_code for n in range(3)] == [200, 200, 429]
    assert [token(n).status_code for n in range(3)] == [401, 401, 429]


def test_a_made_up_forwarded_for_does_not_escape_the_address_lockout(settings):
    # given: a proxy is configured, but this client talks to the app server directly
    settings.TRUSTED_PROXIES = 1
    settings.TRUSTED_PROXY_ADDRESSES = ["10.9.0.0/16"]
    UserFactory(username="victim")
    for n in range(5):
        _api(f"nobody{n}", "wrong", "198.51.100.7", HTTP_X_FORWARDED_FOR=f"6.6.6.{n}")
    # when: the right password for a real account, from the same machine
    response = _api("victim", PASSWORD, "198.51.100.7", HTTP_X_FORWARDED_FOR="6.6.6.99")
    # then: the address is locked out
    assert response.status_code == 403


def test_behind_a_listed_proxy_each_visitor_has_their_own_count(settings):
    settings.TRUSTED_PROXIES = 1
    settings.TRUSTED_PROXY_ADDRESSES = ["10.9.0.0/16"]
    UserFactory(username="victim")
    for n in range(5):
        _api(f"nobody{n}", "wrong", "10.9.0.1", HTTP_X_FORWARDED_FOR="203.0.113.66")
    locked = _api("victim", PASSWORD, "10.9.0.1", HTTP_X_FORWARDED_FOR="203.0.113.66")
    assert locked.status_code == 403
    ok = _api("victim", PASSWORD, "10.9.0.1", HTTP_X_FORWARDED_FOR="203.0.113.67")
    assert ok.status_code == 200


def test_the_request_log_shows_the_client_address(client, settings, caplog):
    settings.TRUSTED_PROXIES = 1
    with caplog.at_level(logging.INFO, logger="dh.request"):
        client.get("/healthz", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="203.0.113.5")
    (record,) = [r for r in caplog.records if r.name == "dh.request"]
    assert record.fields["ip"] == "203.0.113.5"


@pytest.mark.parametrize(
    ("trusted", "proxies", "remote", "secure"),
    [
        (0, [], "10.0.0.2", False),  # no proxy: any client could send the header
        (1, ["10.0.0.0/8"], "203.0.113.9", False),  # not from the proxy
        (1, ["10.0.0.0/8"], "10.0.0.2", True),
        (1, [], "10.0.0.2", True),
    ],
)
def test_forwarded_proto_is_believed_only_from_a_trusted_proxy(
    client, settings, trusted, proxies, remote, secure
):
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    settings.SECURE_SSL_REDIRECT = True
    settings.TRUSTED_PROXIES = trusted
    settings.TRUSTED_PROXY_ADDRESSES = proxies
    response = client.get("/en/account/login/", REMOTE_ADDR=remote, HTTP_X_FORWARDED_PROTO="https")
    assert response.status_code == (200 if secure else 301)


PRODUCTION_PROBE = """
import json
from django.conf import settings
from django.test import RequestFactory
from core.middleware import client_ip
request = RequestFactory().get("/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="6.6.6.6")
print(json.dumps({
    "trusted": settings.TRUSTED_PROXIES,
    "ssl_header": settings.SECURE_PROXY_SSL_HEADER,
    "num_proxies": settings.REST_FRAMEWORK.get("NUM_PROXIES"),
    "ip": client_ip(request),
}))
"""


def test_production_defaults_trust_no_forwarded_header(tmp_path):
    result = run(
        ["manage.py", "shell", "--no-imports", "-c", PRODUCTION_PROBE], production_env(tmp_path)
    )
    assert result.returncode == 0, result.stderr
    answer = json.loads(result.stdout.strip().splitlines()[-1])
    assert answer == {"trusted": 0, "ssl_header": None, "num_proxies": None, "ip": "10.0.0.2"}
    behind = run(
        ["manage.py", "shell", "--no-imports", "-c", PRODUCTION_PROBE],
        production_env(tmp_path, TRUSTED_PROXIES="1"),
    )
    answer = json.loads(behind.stdout.strip().splitlines()[-1])
    assert answer["ssl_header"] == ["HTTP_X_FORWARDED_PROTO", "https"]
    assert answer["ip"] == "6.6.6.6"


# --- 7. Web registration is throttled like the API's --------------------------------------


def _register(n, ip="10.0.0.1", **headers):
    return Client().post(
        "/en/account/register/",
        {
            "username": f"newcomer{n}",
            "password1": "a-long-unusual-pass-42",
            "password2": "a-long-unusual-pass-42",
        },
        REMOTE_ADDR=ip,
        **headers,
    )


def test_web_registration_is_throttled_per_address(low_rates):
    # given: the auth rate, 2 a minute; each attempt claims another address
    codes = [_register(n, HTTP_X_FORWARDED_FOR=f"6.6.6.{n}").status_code for n in range(3)]
    # then: the third is refused with a page that says to wait
    assert codes == [302, 302, 429]
    refused = _register(9)
    assert refused.status_code == 429
    assert "try again later" in refused.content.decode()
    assert int(refused["Retry-After"]) >= 1
    assert _register(10, ip="10.0.0.2").status_code == 302  # another address is not affected
    # the API's registration shares the address's bucket
    api = APIClient().post(
        "/api/v1/auth/register/",
        {"username": "apinew", "password": "a-long-unusual-pass-42"},
        format="json",
        REMOTE_ADDR="10.0.0.1",
    )
    assert api.status_code == 429


def test_an_api_throttle_says_when_to_come_back(low_rates):
    """On whichever cache runs (one script on Redis, DRF's history in local
    memory): the third request in a minute of a 2/min client is a 429 with
    a Retry-After of about that minute."""
    client = APIClient()
    codes = [client.get("/api/schema/?format=json").status_code for _ in range(3)]
    assert codes == [200, 200, 429]
    refused = client.get("/api/schema/?format=json")
    assert refused.status_code == 429 and 50 <= int(refused["Retry-After"]) <= 60
