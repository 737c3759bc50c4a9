import pytest

from tests.factories import UserFactory
from tours import services

from .factories import (
    AttractionFactory,
    DepartureFactory,
    DeparturePriceFactory,
    DongchengAttractionFactory,
    OperatorFactory,
    RouteFactory,
    RouteStopFactory,
)


@pytest.fixture
def operator(db):
    return OperatorFactory(slug="op-one", name="一号旅行社", name_en="Operator One")


@pytest.fixture
def route(operator):
    route = RouteFactory(
        slug="qianmen-yanqi",
        title="前门+雁栖湖",
        title_en="Qianmen + Yanqi Lake",
        operator=operator,
    )
    RouteStopFactory(
        route=route,
        order=1,
        attraction=DongchengAttractionFactory(name="前门大街", name_en="Qianmen Street"),
    )
    RouteStopFactory(
        route=route, order=2, attraction=AttractionFactory(name="雁栖湖", name_en="Yanqi Lake")
    )
    return route


@pytest.fixture
def departure(route):
    departure = DepartureFactory(route=route, capacity=10)
    DeparturePriceFactory(departure=departure, traveller_type="child", amount="60.00")
    return departure


@pytest.fixture
def customer(db):
    return UserFactory(username="bob", email="bob@example.org", phone="13900000002")


@pytest.fixture
def book():
    """book(departure, user, seats=1, **extra) through the real service."""

    def _book(departure, user, seats=1, **extra):
        values = {"contact_name": "王芳", "contact_phone": "13800000000", **extra}
        return services.booking_create(
            customer=user, departure_id=departure.pk, seats=seats, **values
        )

    return _book


@pytest.fixture
def hold():
    """hold(departure, user, seats=1, minutes=30, **extra): a held booking."""

    def _hold(departure, user, seats=1, minutes=30, **extra):
        values = {"contact_name": "王芳", "contact_phone": "13800000000", **extra}
        return services.booking_hold(
            customer=user, departure_id=departure.pk, seats=seats, minutes=minutes, **values
        )

    return _hold


@pytest.fixture
def wait():
    def _wait(departure, user, seats=1, **extra):
        values = {"contact_name": "李强", "contact_phone": "13800000001", **extra}
        return services.waitlist_join(
            customer=user, departure_id=departure.pk, seats=seats, **values
        )

    return _wait
