"""Production settings, run the way a deployment runs them: in a fresh process."""

import json
import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def production_env(tmp_path, **overrides) -> dict:
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "DATABASE_", "REDIS_", "SECRET_", "EMAIL_", "PYTEST"))
    }
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings.production",
        SECRET_KEY=secrets.token_urlsafe(60),
        ALLOWED_HOSTS="example.org,www.example.org",
        DATABASE_URL=f"sqlite:///{tmp_path / 'prod.sqlite3'}",
        REDIS_URL="redis://127.0.0.1:6379/4",
        EMAIL_URL="smtp+tls://mailer:secret@mail.example.org:587",
    )
    env.update(overrides)
    return {k: v for k, v in env.items() if v is not None}


def run(args, env, **kwargs):
    return subprocess.run(
        [sys.executable, *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        **kwargs,
    )


def test_check_deploy_is_clean(tmp_path):
    result = run(
        ["manage.py", "check", "--deploy", "--fail-level", "WARNING"], production_env(tmp_path)
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_production_queues_tasks_in_the_database(tmp_path):
    # E-mails wait for `manage.py db_worker`, never for a mail server in a request.
    code = "from django.tasks import task_backends; print(type(task_backends['default']))"
    result = run(["manage.py", "shell", "--no-imports", "-c", code], production_env(tmp_path))
    assert result.stdout.strip() == "<class 'django_tasks_db.backend.DatabaseBackend'>", (
        result.stdout + result.stderr
    )


def test_check_deploy_flags_a_per_process_cache(tmp_path):
    # Without Redis, throttling and lock-outs would be per server: say so.
    result = run(["manage.py", "check", "--deploy"], production_env(tmp_path, REDIS_URL=None))
    assert "core.W002" in result.stdout + result.stderr


@pytest.mark.parametrize(
    "secret_key",
    [
        None,  # missing: falls back to the development key
        "dev-insecure-key-only-for-local-runs-never-in-production",
        "short-but-random-Zx81",
        "django-insecure-" + secrets.token_urlsafe(50),
        "a" * 80,
    ],
    ids=["missing", "dev-key", "short", "django-insecure", "low-entropy"],
)
def test_production_refuses_to_start_without_a_real_secret_key(tmp_path, secret_key):
    result = run(["manage.py", "check"], production_env(tmp_path, SECRET_KEY=secret_key))
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert "SECRET_KEY must be set" in result.stderr


PROBE = r"""
import json
import django
django.setup()
from django.conf import settings
from django.test import Client
from django.test.utils import override_settings

# The manifest storage needs `collectstatic`; what is probed here is the headers.
storages = {**settings.STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
with override_settings(STORAGES=storages):
    client = Client(HTTP_HOST="example.org")
    page = client.get("/en/account/login/", secure=True)
    plain = client.get("/en/account/login/")
    health = client.get("/healthz")
    cookie = page.cookies.get(settings.CSRF_COOKIE_NAME)
    print(json.dumps({
        "status": page.status_code,
        "headers": dict(page.headers),
        "csrf_cookie": cookie.output() if cookie else None,
        "plain_status": plain.status_code,
        "plain_location": plain.get("Location"),
        "health_status": health.status_code,
        "session_cookie": [settings.SESSION_COOKIE_NAME, settings.SESSION_COOKIE_SECURE, settings.SESSION_COOKIE_HTTPONLY],
        "language_cookie_secure": settings.LANGUAGE_COOKIE_SECURE,
    }))
"""


@pytest.fixture(scope="module")
def production_answer(tmp_path_factory):
    tmp_path = tmp_path_factory.mktemp("prod")
    result = run(["-c", PROBE], production_env(tmp_path))
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_production_security_headers(production_answer):
    assert production_answer["status"] == 200
    headers = production_answer["headers"]
    assert headers["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert headers["Cross-Origin-Opener-Policy"] == "same-origin"
    assert headers["X-Frame-Options"] == "DENY"
    csp = dict(part.strip().split(" ", 1) for part in headers["Content-Security-Policy"].split(";"))
    assert csp["default-src"] == "'self'"
    assert csp["object-src"] == "'none'"
    assert csp["base-uri"] == "'self'"
    assert csp["frame-ancestors"] == "'none'"
    assert "'unsafe-inline'" not in csp["script-src"] and "'unsafe-eval'" not in csp["script-src"]


def test_production_cookies_are_host_prefixed_and_secure(production_answer):
    cookie = production_answer["csrf_cookie"]
    assert cookie.startswith("Set-Cookie: __Host-csrftoken=")
    attributes = {part.strip().split("=")[0].lower() for part in cookie.split(";")[1:]}
    assert {"secure", "httponly", "path", "samesite"} <= attributes
    assert "domain" not in attributes  # a __Host- cookie may not have one
    assert "Path=/" in cookie
    assert production_answer["session_cookie"] == ["__Host-sessionid", True, True]
    assert production_answer["language_cookie_secure"] is True


def test_production_redirects_plain_http_but_not_the_health_check(production_answer):
    assert production_answer["plain_status"] == 301
    assert production_answer["plain_location"] == "https://example.org/en/account/login/"
    assert production_answer["health_status"] in (200, 503)  # answered, not redirected


def test_an_empty_database_url_means_the_embedded_default(tmp_path):
    env = production_env(tmp_path, DJANGO_SETTINGS_MODULE="config.settings.dev")
    env["DATABASE_URL"] = ""
    code = "from django.conf import settings; print(settings.DATABASES['default']['ENGINE'])"
    result = run(["manage.py", "shell", "--no-imports", "-c", code], env)
    assert result.stdout.strip() == "django.db.backends.sqlite3", result.stdout + result.stderr
