"""A demo reseller with a known API key, so the OCTO API can be tried at once
(README: "Resellers and the OCTO API"). The key is demo data like the demo
passwords: load_demo makes it, production never runs load_demo."""

from decimal import Decimal

from django.contrib.auth import get_user_model

from core.demo import tr, upsert
from organizations.demo import ensure_member
from organizations.models import District, Organization

from . import services
from .models import Reseller, ResellerKey

DEMO_KEY = "octo_demo_dongcheng_huairou_reseller_key_0001"
DEMO_SLUG = "demo-dongcheng-tourism-portal"


def load(*, stdout=None) -> str:
    organization = upsert(
        Organization,
        {"slug": DEMO_SLUG},
        {
            "kind": Organization.Kind.RESELLER,
            "district": District.objects.get(code="dongcheng"),
            **tr("name", "东城文旅门户（示例）", "Dongcheng tourism portal (demo)"),
            "phone": "010-64000000",
            "email": "octo-demo@example.org",
            "is_demo": True,
        },
    )
    reseller = Reseller.objects.filter(organization=organization).first()
    if reseller is None:
        reseller = services.reseller_create(
            organization=organization, commission_rate=Decimal("0.1000")
        )
    if not ResellerKey.objects.filter(key_hash=services._hash(DEMO_KEY)).exists():
        ResellerKey.objects.create(
            reseller=reseller,
            key_hash=services._hash(DEMO_KEY),
            prefix=DEMO_KEY[5:13],
            name="demo key (load_demo)",
        )
    ensure_member("portal", organization)
    user = get_user_model().objects.get(pk=reseller.user_id)
    user.first_name = "东城文旅门户"
    user.save(update_fields=["first_name"])  # a save, so its cached copy is dropped
    return f"1 reseller, API key {DEMO_KEY}"
