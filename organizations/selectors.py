"""Reads of who belongs where: the organizations a user works for."""

from django.contrib.auth.models import AnonymousUser
from django.db.models import QuerySet

from accounts.models import User

from .models import Organization


def organization_ids_for(user: User | AnonymousUser) -> list[int]:
    """Primary keys of the organizations the user is a member of (cached on the user)."""
    if not user.is_authenticated:
        return []
    cached = getattr(user, "_organization_ids", None)
    if cached is None:
        cached = list(user.memberships.values_list("organization_id", flat=True))
        user._organization_ids = cached
    return cached


def organizations_for(user: User | AnonymousUser) -> QuerySet[Organization]:
    return Organization.objects.filter(pk__in=organization_ids_for(user)).select_related("district")
