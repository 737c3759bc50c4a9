"""Reads of harvest presales: what the public sees, a customer's pledges."""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser
from django.db.models import Count, Q, QuerySet, Sum
from django.utils import timezone

from accounts.models import User

from ..models import Pledge, Presale

_LIVE = ~Q(pledges__status=Pledge.Status.WITHDRAWN)


def _presales() -> QuerySet[Presale]:
    return (
        Presale.objects.select_related("variant__product__producer")
        .annotate(
            pledged=Sum("pledges__quantity", filter=_LIVE, default=0),
            pledge_count=Count("pledges", filter=_LIVE),
        )
        .order_by("closes_at", "pk")
    )


def open_presales() -> QuerySet[Presale]:
    """Presales taking pledges now, with the units pledged so far."""
    now = timezone.now()
    return _presales().filter(status=Presale.Status.OPEN, opens_at__lte=now, closes_at__gt=now)


def presale_detail(*, pk: int) -> Presale:
    """A presale the public may see (not cancelled). Raises DoesNotExist."""
    return _presales().exclude(status=Presale.Status.CANCELLED).get(pk=pk)


def pledges_for_customer(*, user: User | AnonymousUser) -> QuerySet[Pledge]:
    if not user.is_authenticated:
        return Pledge.objects.none()
    return (
        Pledge.objects.filter(customer=user)
        .exclude(status=Pledge.Status.WITHDRAWN)
        .select_related("presale__variant__product", "counter__centre__organization", "order")
        .order_by("-created_at", "-pk")
    )


def pledge_for_customer(*, user: User | AnonymousUser, pk: int) -> Pledge:
    return pledges_for_customer(user=user).get(pk=pk)
