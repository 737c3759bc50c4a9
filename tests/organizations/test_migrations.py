"""The directory moved from cooperation to organizations without losing a row:
a database at the schema before the move, with data in it, migrates forward
and every row, foreign key, permission and content type is where the new code
looks for it.

Runs ``manage.py migrate`` in a child process against a scratch database
(tests/migrating.py), because the suite's own database is built without migrations."""

import pytest

from tests.migrating import ScratchDatabase

BEFORE = [
    ("accounts", "0001_initial"),
    ("cooperation", "0003_source_related_names"),
    ("marketplace", "0003_open_orders_by_counter_deadline"),
    ("tours", "0002_status_event_base"),
]

# Rows written through the historical models of the schema before the move.
SEED = """
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


@pytest.mark.django_db
def test_the_directory_moves_to_organizations_with_its_data(tmp_path):
    # given: a database at the schema before the move, with a directory in it
    db = ScratchDatabase(tmp_path)
    db.migrate_to(BEFORE)
    db.seed(SEED)

    # when
    db.migrate_forward()

    # then: the same rows, reached through the new apps' models
    found = db.read(CHECK)
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
