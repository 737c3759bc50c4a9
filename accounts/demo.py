"""Demo accounts. The README lists every one; all share DEMO_PASSWORD.

Other apps' demo loaders call ``ensure_user``, and organizations.demo's
``ensure_member`` to give their demo organizations a signed-in member for the
`/vendor/` panel.
"""

from django.contrib.auth.models import Group, Permission
from django.db.models import Q

from .models import User

DEMO_PASSWORD = "huairou-demo-2026"
# District staff manage the programme's content, not accounts.
STAFF_GROUP = "District staff"
STAFF_APPS = ("organizations", "cooperation", "marketplace", "tours")
# To pick a user in a membership (the admin's user autocomplete): view only.
STAFF_EXTRA = ("accounts.view_user",)
# Accounts are for superusers, or for whoever a superuser puts in this group
# (no demo account is in it): accounts.admin lets them grant only what they hold,
# and unlock accounts that django-axes locked out.
ACCOUNT_MANAGERS_GROUP = "Account managers"
ACCOUNT_MANAGER_PERMISSIONS = (
    "accounts.add_user",
    "accounts.change_user",
    "accounts.view_user",
    "auth.view_group",
    "axes.view_accessattempt",
    "axes.delete_accessattempt",
    "axes.view_accessfailurelog",
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


def _permissions(labels):
    query = Q(pk__in=[])
    for label in labels:
        app_label, codename = label.split(".")
        query |= Q(content_type__app_label=app_label, codename=codename)
    return Permission.objects.filter(query)


def load(*, stdout=None) -> str:
    group, _ = Group.objects.get_or_create(name=STAFF_GROUP)
    group.permissions.set(
        Permission.objects.filter(content_type__app_label__in=STAFF_APPS)
        | _permissions(STAFF_EXTRA)
    )
    managers, _ = Group.objects.get_or_create(name=ACCOUNT_MANAGERS_GROUP)
    managers.permissions.set(_permissions(ACCOUNT_MANAGER_PERMISSIONS))
    staff = ensure_user("district", first_name="区级管理员", is_staff=True)
    staff.groups.add(group)
    ensure_user("admin", is_staff=True, is_superuser=True, first_name="Admin")
    ensure_user("visitor", phone="13800000001", first_name="游客")
    return "3 accounts (district, admin, visitor)"
