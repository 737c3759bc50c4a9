"""Reads of the marketplace. The functions below are contracts other apps use."""


def featured_products():
    """Products for the home page (the report's four first)."""
    return []


def orders_for_customer(*, user):
    """The customer's reserve-and-collect orders, newest first, for /account/."""
    return []
