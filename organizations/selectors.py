"""Reads of who belongs where: the organizations a user works for."""

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.db.models import QuerySet

from accounts.models import User
from core import cache as cache_lib

from .models import Organization


def organization_kinds_for(user: User | AnonymousUser) -> dict[int, str]:
    """{organization id: kind} of the organizations the user is a member of,
    in one query (cached on the user, and in the shared cache until a
    membership of theirs changes (organizations.signals bumps the person) or
    an organization does (the ``organizations`` scope))."""
    if not user.is_authenticated:
        return {}
    cached = getattr(user, "_organization_kinds", None)
    if cached is None:
        cached = cache_lib.remembered(
            f"organization-kinds:{user.pk}",
            version_keys=[
                *cache_lib.scope_keys(("organizations",)),
                cache_lib.item_key("person", user.pk),
            ],
            compute=lambda: dict(
                user.memberships.values_list("organization_id", "organization__kind")
            ),
            seconds=settings.PERSONAL_CACHE_SECONDS,
        )
        user._organization_kinds = cached
    return cached


def organization_ids_for(user: User | AnonymousUser) -> list[int]:
    """Primary keys of the organizations the user is a member of (cached on the user)."""
    return list(organization_kinds_for(user))


def organizations_for(user: User | AnonymousUser) -> QuerySet[Organization]:
    return Organization.objects.filter(pk__in=organization_ids_for(user)).select_related("district")
