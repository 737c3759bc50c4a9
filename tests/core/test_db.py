"""core.db: the hand-written statements of orders and bookings are prepared
once per connection on PostgreSQL, and still logged and counted."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from core.db import literals, prepared_cursor

pytestmark = pytest.mark.django_db


def _prepared() -> dict[str, int]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT statement, generic_plans + custom_plans FROM pg_prepared_statements")
        return dict(cursor.fetchall())


def test_a_statement_is_prepared_once_and_counted_like_any_query(settings):
    if connection.vendor != "postgresql":
        pytest.skip("prepared statements are PostgreSQL's")
    sql = "SELECT %s::int + 1 WHERE 'prepared-test' = %s"
    with CaptureQueriesContext(connection) as queries:
        for n in range(7):
            with prepared_cursor() as cursor:
                cursor.execute(sql, [n, "prepared-test"])
                assert cursor.fetchone() == (n + 1,)
    assert len(queries) == 7  # logged through Django's cursor wrapper
    runs = {text: count for text, count in _prepared().items() if "prepared-test" in text}
    assert list(runs.values()) == [7]  # one statement, planned for all seven runs


def test_off_it_is_the_plain_cursor(settings):
    settings.DATABASE_PREPARED_STATEMENTS = False
    with prepared_cursor() as cursor:
        cursor.execute("SELECT 'not-prepared-test'")
        assert cursor.fetchone() == ("not-prepared-test",)
    if connection.vendor == "postgresql":
        assert not any("not-prepared-test" in text for text in _prepared())


def test_the_order_and_booking_statements_use_it(settings, django_user_model):
    """Placing an order runs two prepared statements (the stock lock with what
    the lines copy, the open units), a booking one (the seat counts)."""
    if connection.vendor != "postgresql":
        pytest.skip("prepared statements are PostgreSQL's")
    from marketplace import services as market
    from tests.marketplace.test_queries import counter_selling
    from tests.tours.factories import DepartureFactory
    from tours import services as tours

    counter, variants = counter_selling(1)
    customer = django_user_model.objects.create_user("buyer", "b@example.org")
    market.order_place(customer=customer, counter=counter, lines=[(variants[0], 1)], notify=False)
    departure = DepartureFactory()
    tours.booking_create(
        customer=customer,
        departure_id=departure.pk,
        seats=1,
        contact_name="王芳",
        contact_phone="13800000000",
    )
    statements = " ".join(_prepared())
    assert "FOR UPDATE OF s" in statements and "WITH late AS MATERIALIZED" in statements
    assert "mine_waiting" in statements


def test_literals_take_only_constants_of_the_code():
    assert literals(["placed", "ready"]) == "'placed', 'ready'"
    with pytest.raises(ValueError):
        literals(["x'; DROP TABLE y; --"])
