"""The directory moved from cooperation to organizations without losing a row:
a database at the schema before the move, with data in it, migrates forward
and every row, foreign key, permission and content type is where the new code
looks for it.

Runs ``manage.py migrate`` in a child process against a scratch database (an
SQLite file; on PostgreSQL, a scratch database beside the test one), because
the suite's own database is built without migrations."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

ROOT = Path(__file__).resolve().parents[2]

BEFORE = [
    ("accounts", "0001_initial"),
    ("cooperation", "0003_source_related_names"),
    ("marketplace", "0003_open_orders_by_counter_deadline"),
    ("tours", "0002_status_event_base"),
]

# Rows written through the historical models of the schema before the move.
SEED = """
from django.db import connection
from django.db.migrations.loader import MigrationLoader
apps = MigrationLoader(connection).project_state(NODES).apps
User = apps.get_model("accounts", "User")
District = apps.get_model("cooperation", "District")
Area = apps.get_model("cooperation", "Area")
Organization = apps.get_model("cooperation", "Organization")
Membership = apps.get_model("cooperation", "Membership")
Centre = apps.get_model("marketplace", "Centre")
Key = apps.get_model("accounts", "IdempotencyKey")
huairou = District.objects.create(code="huairou", name_zh_hans="怀柔区", name_en="Huairou", role="supported")
village = Area.objects.create(district=huairou, kind="village", name_zh_hans="示例村", name_en="Village")
org = Organization.objects.create(
    district=huairou, area=village, kind="producer", slug="chestnut-coop",
    name_zh_hans="板栗合作社", name_en="Chestnut co-op",
)
user = User.objects.create(username="member")
Membership.objects.create(user=user, organization=org, role="manager")
Centre.objects.create(organization=org, address="东城区", opening_hours="9-18")
Key.objects.create(user=user, scope="orders", key="k1", request_hash="h", response_status=201, response_body={})
"""

CHECK = """
import json
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from core.models import IdempotencyKey
from marketplace.models import Centre
from organizations.models import Membership, Organization
org = Organization.objects.select_related("district", "area").get(slug="chestnut-coop")
print(json.dumps({
    "org": [org.name_zh_hans, org.district.code, org.area.name_en],
    "members": list(Membership.objects.filter(organization=org).values_list("user__username", flat=True)),
    "centre": Centre.objects.filter(organization=org).count() == 1,
    "keys": IdempotencyKey.objects.filter(key="k1").count(),
    "content_types": sorted(
        f"{ct.app_label}.{ct.model}" for ct in ContentType.objects.filter(
            model__in=["district", "area", "organization", "membership", "idempotencykey"]
        )
    ),
    "permission": Permission.objects.filter(
        codename="change_organization", content_type__app_label="organizations"
    ).count(),
}))
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


def _manage(url: str, *args: str) -> str:
    env = {**os.environ, "DATABASE_URL": url, "DJANGO_SETTINGS_MODULE": "config.settings.dev"}
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


@pytest.mark.django_db
def test_the_directory_moves_to_organizations_with_its_data(tmp_path):
    # given: a database at the schema before the move, with a directory in it
    url = _scratch_database_url(tmp_path)
    for app, migration in BEFORE:
        _manage(url, "migrate", app, migration, "--noinput", "-v0")
    _manage(url, "shell", "-c", f"NODES = {BEFORE!r}\n{SEED}")

    # when
    _manage(url, "migrate", "--noinput", "-v0")

    # then: the same rows, reached through the new apps' models
    found = json.loads(_manage(url, "shell", "-c", CHECK).strip().splitlines()[-1])
    assert found["org"] == ["板栗合作社", "huairou", "Village"]
    assert found["members"] == ["member"]
    assert found["centre"] is True
    assert found["keys"] == 1
    assert found["content_types"] == [
        "core.idempotencykey",
        "organizations.area",
        "organizations.district",
        "organizations.membership",
        "organizations.organization",
    ]
    assert found["permission"] == 1
