"""/healthz answers 200 only when its dependencies do; one log line a request."""

import json
import logging
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import OperationalError, connection

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[2]


def test_healthy_when_the_database_answers(client, settings):
    settings.REDIS_URL = ""
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}
    assert "no-cache" in response["Cache-Control"]


def test_unhealthy_when_the_database_does_not(client, monkeypatch):
    def refuse(*args, **kwargs):
        raise OperationalError("connection refused")

    monkeypatch.setattr(connection, "cursor", refuse)
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["database"] == "error: OperationalError"


def _redis_up() -> bool:
    import redis

    try:
        return redis.Redis.from_url("redis://127.0.0.1:6379/4", socket_timeout=1).ping()
    except redis.RedisError:
        return False


def _probe(tmp_path, redis_url: str) -> dict:
    """/healthz in a fresh process, configured as a server would be."""
    env = {
        k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_", "REDIS_"))
    }
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings.dev",
        DATABASE_URL=f"sqlite:///{tmp_path / 'h.sqlite3'}",
        REDIS_URL=redis_url,
    )
    code = (
        "import django, json; django.setup();"
        "from django.test import Client;"
        "r = Client(HTTP_HOST='localhost').get('/healthz');"
        "print(json.dumps({'status': r.status_code, 'body': r.json()}))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_unhealthy_when_redis_is_configured_but_down(tmp_path):
    # Nothing listens on port 1.
    answer = _probe(tmp_path, "redis://127.0.0.1:1/0")
    assert answer["status"] == 503
    assert answer["body"]["database"] == "ok"
    assert answer["body"]["redis"].startswith("error: ")


@pytest.mark.skipif(not _redis_up(), reason="needs Redis on 127.0.0.1:6379")
def test_healthy_when_redis_is_configured_and_up(tmp_path):
    answer = _probe(tmp_path, "redis://127.0.0.1:6379/4")
    assert answer == {"status": 200, "body": {"status": "ok", "database": "ok", "redis": "ok"}}


def test_one_structured_line_a_request_with_its_duration(client, caplog):
    from core.logging import JsonFormatter

    with caplog.at_level(logging.INFO, logger="dh.request"):
        client.get("/healthz")
        client.get("/en/account/login/?next=/x")
    lines = [r for r in caplog.records if r.name == "dh.request"]
    assert len(lines) == 2
    first = json.loads(JsonFormatter().format(lines[0]))
    assert first["method"] == "GET"
    assert first["path"] == "/healthz"
    assert first["status"] == 200
    assert isinstance(first["duration_ms"], float) and first["duration_ms"] >= 0
    assert first["level"] == "INFO" and first["ts"]
    second = json.loads(JsonFormatter().format(lines[1]))
    assert second["path"] == "/en/account/login/"  # no query string: it may hold personal data
    assert second["user"] is None
