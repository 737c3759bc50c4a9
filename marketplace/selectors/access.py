"""Who acts for whom: the producers, buyers and counters a user works for."""

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.db.models import (
    Q,
)

from accounts.models import User
from core import cache as cache_lib
from organizations.models import Membership, Organization
from organizations.selectors import organization_ids_for

from ..models import (
    BUYER_KINDS,
    PRODUCER_KINDS,
    BusinessBuyer,
    Counter,
)


def _org_ids_of_kind(user: User | AnonymousUser, kinds) -> list[int]:
    ids = organization_ids_for(user)
    if not ids:
        return []
    return list(
        Organization.objects.filter(pk__in=ids, kind__in=kinds).values_list("pk", flat=True)
    )


def producer_ids_for(user: User | AnonymousUser) -> list[int]:
    """The producers and cooperatives the user acts for."""
    return _org_ids_of_kind(user, PRODUCER_KINDS)


def buyer_ids_for(user: User | AnonymousUser) -> list[int]:
    """The supermarkets and restaurants the user acts for (that have a buyer profile)."""
    ids = organization_ids_for(user)
    if not ids:
        return []
    return list(
        BusinessBuyer.objects.filter(
            organization_id__in=ids, organization__kind__in=BUYER_KINDS
        ).values_list("organization_id", flat=True)
    )


def counter_ids_for(user: User | AnonymousUser) -> list[int]:
    """Counters the user works at: those they are assigned to (as a member of
    the centre), and every counter of a centre they manage."""
    if not user.is_authenticated:
        return []
    cached = getattr(user, "_counter_ids", None)
    if cached is not None:
        return cached

    def compute() -> list[int]:
        memberships = Membership.objects.filter(
            user=user, organization__kind=Organization.Kind.SUPPORT_CENTRE
        )
        managed = memberships.filter(role=Membership.Role.MANAGER).values("organization_id")
        member_of = memberships.values("organization_id")
        return list(
            Counter.objects.filter(
                Q(centre__organization_id__in=managed)
                | Q(assignments__user=user, centre__organization_id__in=member_of)
            )
            .distinct()
            .values_list("pk", flat=True)
        )

    # Asked by every request of the desk and the panel: kept in the shared
    # cache until the person's memberships or counter assignments change
    # (organizations.signals, marketplace.signals) or an organization or
    # counter does (their content scopes).
    cached = cache_lib.remembered(
        f"counter-ids:{user.pk}",
        version_keys=[
            *cache_lib.scope_keys(("organizations", "editorial")),
            cache_lib.item_key("person", user.pk),
        ],
        compute=compute,
        seconds=settings.PERSONAL_CACHE_SECONDS,
    )
    user._counter_ids = cached
    return cached


def works_at(user: User | AnonymousUser | None, counter: Counter) -> bool:
    """District staff, or someone who works at this counter."""
    return bool(
        user and user.is_authenticated and (user.is_staff or counter.pk in counter_ids_for(user))
    )


def is_centre_manager(user: User | AnonymousUser | None, counter: Counter) -> bool:
    """District staff, or a manager of the centre the counter belongs to."""
    if not (user and user.is_authenticated):
        return False
    return (
        user.is_staff
        or Membership.objects.filter(
            user=user,
            organization_id=counter.centre.organization_id,
            role=Membership.Role.MANAGER,
        ).exists()
    )
