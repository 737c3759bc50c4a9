"""Demo accounts. The README lists every one; all share DEMO_PASSWORD.

Other apps' demo loaders call ``ensure_user``, and organizations.demo's
``ensure_member`` to give their demo organizations a signed-in member for the
`/vendor/` panel.
"""

from django.contrib.auth.models import Group, Permission

from .models import User

DEMO_PASSWORD = "huairou-demo-2026"
STAFF_GROUP = "District staff"
STAFF_APPS = (
    "accounts",
    "organizations",
    "cooperation",
    "marketplace",
    "tours",
    "authtoken",
    "axes",
)


def ensure_user(username: str, *, email: str = "", phone: str | None = None, **extra) -> User:
    user, created = User.objects.get_or_create(
        username=username,
        defaults={"email": email or f"{username}@example.org", "phone": phone, **extra},
    )
    if created:
        user.set_password(DEMO_PASSWORD)
        user.save()
    return user


def load(*, stdout=None) -> str:
    group, _ = Group.objects.get_or_create(name=STAFF_GROUP)
    group.permissions.set(Permission.objects.filter(content_type__app_label__in=STAFF_APPS))
    staff = ensure_user("district", first_name="区级管理员", is_staff=True)
    staff.groups.add(group)
    ensure_user("admin", is_staff=True, is_superuser=True, first_name="Admin")
    ensure_user("visitor", phone="13800000001", first_name="游客")
    return "3 accounts (district, admin, visitor)"
