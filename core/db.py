"""Prepared statements for the hand-written SQL every order and booking runs.

Django sends each statement as text with its values bound in (no prepared
statements, so that connection poolers in transaction mode keep working), and
PostgreSQL plans it afresh each time: for the statement that locks an order's
stock rows and reads what its lines copy (five tables), planning took 1.5 ms
against 0.6 ms to run it. ``prepared_cursor()`` is ``connection.cursor()``
whose statements are bound on the server and prepared once per connection
(psycopg's ``prepare=True``), so PostgreSQL plans them once; they are logged
and counted like any other query (Django's cursor wrapper).

Constants of the code (statuses) are written into such a statement as
literals, not parameters: a plan prepared for any values must still see that
a partial index's condition holds (``status IN ('placed', 'ready')``).

Off with ``DATABASE_PREPARED_STATEMENTS=false`` (a pooler in transaction mode
without prepared-statement support, such as PgBouncer before 1.21), and on
other databases, where it is the plain cursor.
"""

import re

from django.conf import settings
from django.db import connection
from django.db.backends.postgresql.base import ServerBindingCursor  # psycopg: a dependency


class PreparedCursor(ServerBindingCursor):
    """A server-binding cursor that prepares every statement it runs."""

    def execute(self, query, params=None, *, prepare=None, binary=None):
        return super().execute(query, params, prepare=True, binary=binary)


def prepared_cursor():
    if connection.vendor != "postgresql" or not settings.DATABASE_PREPARED_STATEMENTS:
        return connection.cursor()
    connection.close_if_health_check_failed()  # as connection.cursor() does
    connection.ensure_connection()
    psycopg_connection = connection.connection
    if psycopg_connection.prepare_threshold is None:
        # Django turns preparing off (None), which psycopg applies to
        # prepare=True too. A threshold no count reaches lets the explicit
        # request through and prepares nothing else: Django's own cursors
        # bind on the client, which never prepares.
        psycopg_connection.prepare_threshold = 2**31
    with connection.wrap_database_errors:
        raw = PreparedCursor(psycopg_connection)
    if connection.queries_logged:
        return connection.make_debug_cursor(raw)
    return connection.make_cursor(raw)


_WORD = re.compile(r"^[a-z_]+$")


def literals(values) -> str:
    """Code constants (statuses) as a list of SQL string literals."""
    values = [str(value) for value in values]
    if not all(_WORD.match(value) for value in values):
        raise ValueError(f"not a constant of the code: {values!r}")
    return ", ".join(f"'{value}'" for value in values)
