"""Factories for the tours tests. Bookings are made through the service (see
conftest ``book``) so every test's seats and audit trail are real."""

import datetime as dt
from decimal import Decimal

import factory
from django.utils import timezone

from organizations.models import Organization
from tests.factories import (
    DistrictFactory,
    DongchengFactory,
    MembershipFactory,
    OrganizationFactory,
)
from tours.models import Attraction, Departure, DeparturePrice, Route, RouteStop


class OperatorFactory(OrganizationFactory):
    kind = Organization.Kind.TOUR_OPERATOR
    slug = factory.Sequence(lambda n: f"operator-{n}")
    name = factory.Sequence(lambda n: f"旅行社{n}")
    name_en = factory.Sequence(lambda n: f"Travel {n}")
    district = factory.SubFactory(DongchengFactory)


class OperatorMemberFactory(MembershipFactory):
    organization = factory.SubFactory(OperatorFactory)


class AttractionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Attraction

    slug = factory.Sequence(lambda n: f"attraction-{n}")
    name = factory.Sequence(lambda n: f"景点{n}")
    name_en = factory.Sequence(lambda n: f"Sight {n}")
    district = factory.SubFactory(DistrictFactory)
    latitude = Decimal("40.405000")
    longitude = Decimal("116.675000")
    description = "湖光山色"
    description_en = "Lake and hills"


class DongchengAttractionFactory(AttractionFactory):
    district = factory.SubFactory(DongchengFactory)
    latitude = Decimal("39.899000")
    longitude = Decimal("116.398000")


class RouteFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Route

    slug = factory.Sequence(lambda n: f"route-{n}")
    title = factory.Sequence(lambda n: f"线路{n}")
    title_en = factory.Sequence(lambda n: f"Route {n}")
    summary = "东城与怀柔一日游"
    summary_en = "A day in Dongcheng and Huairou"
    duration_days = 1
    operator = factory.SubFactory(OperatorFactory)
    base_price = Decimal("100.00")
    meeting_point = "前门"
    meeting_point_en = "Qianmen"


class RouteStopFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RouteStop

    route = factory.SubFactory(RouteFactory)
    order = factory.Sequence(lambda n: n + 1)
    day = 1
    time = dt.time(9, 0)
    stay_minutes = 90
    attraction = factory.SubFactory(AttractionFactory)


def _in_days(days: int) -> dt.date:
    return timezone.localdate() + dt.timedelta(days=days)


class DepartureFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Departure

    route = factory.SubFactory(RouteFactory)
    date = factory.LazyFunction(lambda: _in_days(10))
    start_time = dt.time(8, 0)
    capacity = 10
    cutoff_hours = 12


class DeparturePriceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DeparturePrice

    departure = factory.SubFactory(DepartureFactory)
    traveller_type = "child"
    amount = Decimal("60.00")
