"""Pages that join the apps: the home page, the visitor's account, health, media."""

from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.db import connection
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import defaults
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from cooperation import selectors as coop_selectors
from core import personal, search
from marketplace import selectors as market_selectors
from organizations import selectors as org_selectors
from tours import selectors as tour_selectors


@require_safe
def home(request):
    return render(
        request,
        "home.html",
        {
            "figures": coop_selectors.headline_figures()[:6],
            "routes": tour_selectors.featured_routes(),
            "products": market_selectors.featured_products(),
        },
    )


# How many results /search/ shows per group; "all results" links to the list page.
SEARCH_PER_GROUP = 8


@require_safe
def search_page(request: HttpRequest) -> HttpResponse:
    """The site search (core.search) across routes, products, producers and
    joint projects, grouped, best first. A fixed number of queries whatever
    the number of rows: a count and a capped list per group."""
    raw = request.GET.get("q", "")
    query = search.Query(raw)
    context: dict[str, Any] = {"q": raw, "query": query, "groups": [], "message": ""}
    status = 200
    if len(raw) > search.MAX_QUERY_LENGTH:
        context["message"] = _("That search is too long: use at most %(limit)d characters.") % {
            "limit": search.MAX_QUERY_LENGTH
        }
        status = 400
    elif not raw.strip():
        context["message"] = _(
            "Search routes, products, producers and joint projects, in Chinese "
            "(Simplified or Traditional), English or pinyin."
        )
    elif not query:
        context["message"] = _("There is nothing to search for in that: try a name or a word.")
    else:
        found = [
            ("routes", _("Routes"), tour_selectors.route_list(q=raw), "tours:list"),
            (
                "products",
                _("Products"),
                market_selectors.product_list(q=raw),
                "marketplace:product_list",
            ),
            ("producers", _("Producers"), market_selectors.producer_search(q=raw), None),
            (
                "projects",
                _("Joint projects"),
                coop_selectors.project_list(q=raw),
                "cooperation:project_list",
            ),
        ]
        for key, title, rows, list_url in found:
            total = rows.count()
            context["groups"].append(
                {
                    "key": key,
                    "title": title,
                    "items": list(rows[:SEARCH_PER_GROUP]) if total else [],
                    "total": total,
                    "more_url": (
                        f"{reverse(list_url)}?{urlencode({'q': raw})}"
                        if list_url and total > SEARCH_PER_GROUP
                        else ""
                    ),
                }
            )
        context["total"] = sum(group["total"] for group in context["groups"])
        # A query that found nothing as typed may have been corrected (the
        # same correction in every group: it depends on the site's words only).
        context["corrected"] = next(
            (c for g in context["groups"] if (c := search.corrected(g["items"]))), ""
        )
        if context["corrected"]:
            context["query"] = search.Query(context["corrected"])
    return render(request, "search.html", context, status=status)


@login_required
@require_safe
@personal.personal_page(scopes=("organizations", "editorial"))
def account(request):
    now = timezone.now()
    orders = list(market_selectors.orders_for_customer(user=request.user))
    bookings = list(tour_selectors.bookings_for_customer(user=request.user))
    # What the page shows changes by itself when a pickup deadline, a hold's
    # expiry or a departure passes: the cached copy lasts until the first.
    personal.valid_until(
        request,
        min(
            [
                *market_selectors.orders_next_change(orders, now=now),
                *tour_selectors.bookings_next_change(bookings, now=now),
            ],
            default=None,
        ),
    )
    return render(
        request,
        "account/index.html",
        {
            "orders": orders,
            "bookings": bookings,
            "organizations": org_selectors.organizations_for(request.user),
        },
    )


@never_cache
@require_safe
def healthz(request):
    """200 only when the database (and Redis, when configured) answer."""
    checks = {}
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
        checks["database"] = "ok"
    except Exception as exc:  # any failure means unhealthy; say which
        checks["database"] = f"error: {exc.__class__.__name__}"
    if settings.REDIS_URL:
        try:
            cache.set("healthz", "1", 5)
            checks["redis"] = "ok" if cache.get("healthz") == "1" else "error: no echo"
        except Exception as exc:
            checks["redis"] = f"error: {exc.__class__.__name__}"
    healthy = all(value == "ok" for value in checks.values())
    return JsonResponse(
        {"status": "ok" if healthy else "error", **checks}, status=200 if healthy else 503
    )


def page_not_found(request, exception):
    """404: the API's error format under /api/, the site's page elsewhere."""
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": _("Not found."), "code": "not_found"}, status=404)
    return defaults.page_not_found(request, exception)


SAFE_MEDIA_TYPES = {
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".png": "image/png",
    ".webp": "image/webp",
}


@require_safe
def media(request, path: str):
    """Serves uploaded images (in production a web server may do this instead).

    Only image files the app itself wrote are served, with a content type taken
    from a fixed list, ``nosniff`` and a sandboxing CSP, so an upload can never
    be served as HTML or script.
    """
    root = Path(settings.MEDIA_ROOT).resolve()
    target = (root / path).resolve()
    suffix = target.suffix.lower()
    if root not in target.parents or suffix not in SAFE_MEDIA_TYPES or not target.is_file():
        raise Http404
    response = FileResponse(target.open("rb"), content_type=SAFE_MEDIA_TYPES[suffix])
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "public, max-age=604800, immutable"
    return response


def bench_bare(request):
    """Only routed when BENCH_VIEWS=true: the yardstick for scripts/bench.py."""
    return JsonResponse({"ok": True})
