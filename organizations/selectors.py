"""Reads of who belongs where: the organizations a user works for."""

from django.contrib.auth.models import AnonymousUser
from django.db.models import QuerySet

from accounts.models import User

from .models import Organization


def organization_kinds_for(user: User | AnonymousUser) -> dict[int, str]:
    """{organization id: kind} of the organizations the user is a member of,
    in one query (cached on the user)."""
    if not user.is_authenticated:
        return {}
    cached = getattr(user, "_organization_kinds", None)
    if cached is None:
        cached = dict(user.memberships.values_list("organization_id", "organization__kind"))
        user._organization_kinds = cached
    return cached


def organization_ids_for(user: User | AnonymousUser) -> list[int]:
    """Primary keys of the organizations the user is a member of (cached on the user)."""
    return list(organization_kinds_for(user))


def organizations_for(user: User | AnonymousUser) -> QuerySet[Organization]:
    return Organization.objects.filter(pk__in=organization_ids_for(user)).select_related("district")
