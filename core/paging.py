"""Paging for the public lists of every app (projects, products, routes)."""

from django.core.paginator import Page, Paginator
from django.http import HttpRequest


def paginate(request: HttpRequest, items, per_page: int) -> tuple[Page, str]:
    """The page of ``items`` that ``?page=`` asks for (the last one when it is
    too high, the first when it is not a number), and the rest of the query
    string, which templates/includes/pagination.html keeps in its links."""
    page = Paginator(items, per_page).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return page, query.urlencode()
