"""Migration tests' scratch database: migrated in child processes, because the
suite's own database is built without migrations (``--no-migrations``).

    db = ScratchDatabase(tmp_path)
    db.migrate_to([("cooperation", "0003_source_related_names"), ...])
    db.seed("Organization = apps.get_model(...)...")  # ``apps``: the models at that point
    db.migrate_forward()
    found = db.read("print(json.dumps({...}))")       # the last line printed, as JSON

An SQLite file under ``tmp_path``; under PostgreSQL, a scratch database beside
the test one (dropped and made anew each time).
"""

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

from django.conf import settings

ROOT = Path(__file__).resolve().parents[1]

_HISTORICAL_APPS = """
from django.db import connection
from django.db.migrations.loader import MigrationLoader
apps = MigrationLoader(connection).project_state({nodes!r}).apps
"""


def _scratch_database_url(tmp_path: Path) -> str:
    db = settings.DATABASES["default"]
    if db["ENGINE"] == "django.db.backends.sqlite3":
        return f"sqlite:///{tmp_path / 'migrations.sqlite3'}"
    import psycopg

    name = f"{db['NAME']}_migrations"
    admin = psycopg.connect(
        dbname="postgres",
        user=db.get("USER") or None,
        password=db.get("PASSWORD") or None,
        host=db.get("HOST") or None,
        port=db.get("PORT") or None,
        autocommit=True,
    )
    with admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}"')
        admin.execute(f'CREATE DATABASE "{name}"')
    auth = db.get("USER", "")
    if db.get("PASSWORD"):
        auth += f":{db['PASSWORD']}"
    return f"postgres://{auth}@{db.get('HOST') or '127.0.0.1'}:{db.get('PORT') or 5432}/{name}"


class ScratchDatabase:
    def __init__(self, tmp_path: Path) -> None:
        self.url = _scratch_database_url(tmp_path)
        self.nodes: list[tuple[str, str]] = []

    def manage(self, *args: str) -> str:
        env = {
            **os.environ,
            "DATABASE_URL": self.url,
            "DJANGO_SETTINGS_MODULE": "config.settings.dev",
        }
        done = subprocess.run(
            [sys.executable, "manage.py", *args],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=300,
        )
        assert done.returncode == 0, done.stderr[-3000:]
        return done.stdout

    def migrate_to(self, nodes: list[tuple[str, str]]) -> None:
        """The schema as it was at ``nodes`` (and what they depend on)."""
        self.nodes = nodes
        for app, migration in nodes:
            self.manage("migrate", app, migration, "--noinput", "-v0")

    def seed(self, code: str) -> None:
        """Runs ``code`` with ``apps`` holding the historical models at ``migrate_to``'s nodes."""
        self.manage("shell", "-c", _HISTORICAL_APPS.format(nodes=self.nodes) + code)

    def migrate_forward(self) -> None:
        self.manage("migrate", "--noinput", "-v0")

    def read(self, code: str) -> Any:
        """The last line ``code`` prints, parsed as JSON."""
        return json.loads(self.manage("shell", "-c", code).strip().splitlines()[-1])
