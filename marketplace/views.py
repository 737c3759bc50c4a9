"""Public pages: catalogue, centres, producers, the session cart, checkout,
order pages and the bulk-order pages of business buyers.

Each view parses its input, calls one service or selector and renders. A
refused request shows the service's message with its 4xx status.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from core import personal, plan
from core.errors import DomainError
from core.numbers import whole_number
from core.paging import paginate
from core.plan import Place
from core.redirects import safe_next
from organizations.models import Organization

from . import selectors, services
from .cart import Cart
from .forms import AddToCartForm, BulkRequestForm, CheckoutForm, PledgeForm, ProductFilterForm
from .models import BulkOrder, Counter, Lot, Order, Presale, Product

PAGE_SIZE = 12


# --- Catalogue ---------------------------------------------------------------------------


@require_safe
def product_list(request):
    form = ProductFilterForm(request.GET or None)
    products = selectors.product_list(**form.filters())
    page, query = paginate(request, products, PAGE_SIZE)
    return render(
        request,
        "marketplace/product_list.html",
        {
            "form": form,
            "page": page,
            "products": page.object_list,
            "query": query,
            "month": timezone.localdate().month,
            "filtered": form.active_filters(),
        },
    )


@require_safe
def product_detail(request, slug: str):
    try:
        product = selectors.product_detail(slug=slug)
    except Product.DoesNotExist:
        raise Http404 from None
    return render(
        request,
        "marketplace/product_detail.html",
        {"product": product, "month": timezone.localdate().month, "add_form": AddToCartForm()},
    )


# On the plan a centre is named by its place: "东四", not "东四消费扶贫双创中心"
# (every one is such a centre; the list below the plan gives the full names).
_CENTRE_SUFFIXES = ("消费扶贫双创中心", " Consumption-Support Centre", "消費扶貧雙創中心")


def _short_centre_name(name: str) -> str:
    for suffix in _CENTRE_SUFFIXES:
        if name.endswith(suffix) and len(name) > len(suffix):
            return name[: -len(suffix)]
    return name


@require_safe
def centre_list(request):
    centres = list(selectors.centre_list())
    places = [
        Place(
            label=_short_centre_name(c.name),
            latitude=float(c.latitude),
            longitude=float(c.longitude),
            group="centre",
        )
        for c in centres
        if c.latitude is not None and c.longitude is not None
    ]
    # Numbered as listed; a plan only when it shows where one centre is from another.
    plan_ = plan.build(places, joined=False) if len(places) > 1 else None
    return render(request, "marketplace/centre_list.html", {"centres": centres, "plan": plan_})


@require_safe
def producer_detail(request, slug: str):
    try:
        producer = selectors.producer_detail(slug=slug)
    except Organization.DoesNotExist:
        raise Http404 from None
    return render(request, "marketplace/producer_detail.html", {"producer": producer})


@require_safe
def lot_trace(request, gtin: str, lot: str):
    """A lot's public trace page, at its GS1 Digital Link path
    (``/01/<GTIN>/10/<lot>``: what the bag's QR code opens). It shows where
    the goods come from and where they were sold, never who bought them.
    GS1 query parameters (``?linkType=...``) are ignored."""
    try:
        found = selectors.lot_trace(gtin=gtin, code=lot)
    except Lot.DoesNotExist:
        return render(
            request, "marketplace/lot_unknown.html", {"gtin": gtin, "lot": lot}, status=404
        )
    return render(request, "marketplace/lot_trace.html", {"lot": found})


@require_safe
def gtin_product(request, gtin: str):
    """``/01/<GTIN>`` (a GS1 Digital Link without a lot, what a bar code
    alone gives): the product's page, in the browser's language; the
    "unknown lot" page for a GTIN we do not sell."""
    variant = selectors.variant_by_gtin(gtin=gtin)
    if variant is None:
        return render(
            request, "marketplace/lot_unknown.html", {"gtin": gtin, "lot": "—"}, status=404
        )
    return redirect(variant.product.get_absolute_url())


# --- Cart and checkout -----------------------------------------------------------------------


def _cart_context(request, cart: Cart) -> dict:
    lines = selectors.cart_lines(cart.items)
    return {"lines": lines, "total": sum((line.line_total for line in lines), 0), "cart": cart}


def _cart_key(request) -> str:
    return repr(sorted(Cart(request.session).items.items()))


# The cart and checkout pages show what the cart holds and what the counters
# have (like the public pages, which is why they last as long as those):
# one cached copy per cart content, whoever holds it (core.personal).
cart_page = personal.personal_page(
    scopes=("marketplace", "organizations"), key=_cart_key, per_user=False, public_seconds=True
)


@never_cache
@require_safe
@cart_page
def cart(request):
    return render(request, "marketplace/cart.html", _cart_context(request, Cart(request.session)))


@never_cache
@require_POST
def cart_add(request):
    cart = Cart(request.session)
    form = AddToCartForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return render(request, "marketplace/cart.html", _cart_context(request, cart), status=400)
    quantity = cart.add(form.cleaned_data["variant"], form.cleaned_data["quantity"])
    if quantity == 0:
        messages.error(request, _("Your cart is full: place an order first, then start another."))
        return render(request, "marketplace/cart.html", _cart_context(request, cart), status=400)
    messages.success(request, _("Added to your cart."))
    _warn_if_short(request, variant_id=form.cleaned_data["variant"], quantity=quantity)
    return redirect(safe_next(request, reverse("marketplace:cart")))


def _warn_if_short(request, *, variant_id: int, quantity: int) -> None:
    """Warns (the cart keeps it) when no counter has ``quantity`` units of the
    variant to reserve: checkout would refuse it at every counter."""
    counter, available = selectors.best_stock(variant_id=variant_id)
    if available >= quantity:
        return
    if counter is None:
        messages.warning(
            request,
            _(
                "No counter has any left to reserve now: you have %(quantity)s in your cart, "
                "but the order cannot be placed until the counter is restocked."
            )
            % {"quantity": quantity},
        )
        return
    messages.warning(
        request,
        _(
            "Only %(available)s left at %(counter)s, the counter with the most; you have "
            "%(quantity)s in your cart. Lower the quantity to reserve them in one order."
        )
        % {"available": available, "counter": counter, "quantity": quantity},
    )


@never_cache
@require_POST
def cart_update(request):
    """Quantities from the cart page's form (``qty_<variant id>``; 0 removes),
    or ``remove=<variant id>`` from a line's remove button."""
    cart = Cart(request.session)
    remove = whole_number(request.POST.get("remove"))
    if remove is not None:
        cart.set(remove, 0)
        messages.success(request, _("Removed from your cart."))
        return redirect("marketplace:cart")
    bad = []
    for key, value in request.POST.items():
        variant_id = whole_number(key.removeprefix("qty_")) if key.startswith("qty_") else None
        if variant_id is None:
            continue
        quantity = whole_number(value, max_digits=6)
        if quantity is None:
            bad.append(value)
            continue
        cart.set(variant_id, quantity)
    if bad:
        messages.error(request, _("Quantities are whole numbers (0 removes a product)."))
        return render(request, "marketplace/cart.html", _cart_context(request, cart), status=400)
    messages.success(request, _("Your cart is updated."))
    return redirect("marketplace:cart")


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
@cart_page
def checkout(request):
    cart = Cart(request.session)
    token = request.POST.get("token", "")
    done = selectors.order_placed_with_key(user=request.user, key=token)
    if done is not None:  # the same form sent twice (a double click, a reload)
        return redirect(done.get_absolute_url())
    lines = selectors.cart_lines(cart.items)
    if not lines:
        messages.info(request, _("Your cart is empty."))
        return redirect("marketplace:cart")
    form = CheckoutForm(request.POST or None, initial={"token": personal.fresh_token(request)})
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                order, placed = services.order_place_once(
                    key=form.cleaned_data["token"],
                    customer=request.user,
                    counter=form.cleaned_data["counter"],
                    lines=[(line.variant.pk, line.quantity) for line in lines],
                    language=request.LANGUAGE_CODE,
                )
            except DomainError as error:
                messages.error(request, error.message)
                status = error.status_code
            else:
                if not placed:  # the twin of a request that placed it a moment ago
                    return redirect(order.get_absolute_url() if order else "marketplace:cart")
                cart.clear()
                messages.success(request, _("Reserved. Show the pickup code at the counter."))
                return redirect(order.get_absolute_url())
        else:
            status = 400
    choices = selectors.checkout_counters(lines=lines)
    return render(
        request,
        "marketplace/checkout.html",
        {
            "form": form,
            "lines": lines,
            "total": sum((line.line_total for line in lines), 0),
            "choices": choices,
            "any_ok": any(choice.ok for choice in choices),
        },
        status=status,
    )


# --- Orders ------------------------------------------------------------------------------------


def _own_order(request, pk: int) -> Order:
    try:
        return selectors.order_for_customer(user=request.user, pk=pk)
    except Order.DoesNotExist:
        raise Http404 from None


@never_cache
@login_required
@require_safe
def order_detail(request, pk: int):
    order = _own_order(request, pk)
    return render(
        request,
        "marketplace/order_detail.html",
        {"order": order, "order_lots": selectors.order_lots(order)},
    )


@never_cache
@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def order_cancel(request, pk: int):
    """GET, or a POST without ``confirm`` (the order card's button): the
    question, a page that works without JavaScript. A POST with ``confirm``
    cancels."""
    order = _own_order(request, pk)
    if request.method != "POST" or request.POST.get("confirm") != "yes":
        return render(
            request,
            "marketplace/order_cancel.html",
            {
                "order": order,
                "next": safe_next(request, ""),
                "keep_url": safe_next(request, order.get_absolute_url()),
            },
        )
    try:
        services.order_transition(order=order, to=Order.Status.CANCELLED, by=request.user)
    except DomainError as error:
        messages.error(request, error.message)
        return render(
            request,
            "marketplace/order_detail.html",
            {"order": _own_order(request, pk)},
            status=error.status_code,
        )
    messages.success(
        request, _("Your order %(code)s is cancelled.") % {"code": order.pickup_code_display}
    )
    return redirect(safe_next(request, reverse("account")))


# --- Bulk orders (shops and restaurants) ---------------------------------------------------------


@never_cache
@login_required
@require_safe
def bulk_index(request):
    buyers = selectors.bulk_buyers_for(user=request.user)
    if not buyers:
        return render(request, "marketplace/bulk/not_a_buyer.html", status=403)
    return render(
        request,
        "marketplace/bulk/index.html",
        {
            "buyers": buyers,
            "orders": selectors.bulk_orders_for_buyers(buyer_ids=[b.pk for b in buyers]),
            "producers": selectors.bulk_producers(),
        },
    )


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def bulk_request(request, producer: str):
    buyers = selectors.bulk_buyers_for(user=request.user)
    if not buyers:
        return render(request, "marketplace/bulk/not_a_buyer.html", status=403)
    try:
        producer_org = selectors.bulk_producer(slug=producer)
    except Organization.DoesNotExist:
        raise Http404 from None
    catalogue = selectors.bulk_catalogue(producer=producer_org)
    form = BulkRequestForm(request.POST or None, buyers=buyers, catalogue=catalogue)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            buyer = next(b for b in buyers if b.pk == form.cleaned_data["buyer"])
            try:
                bulk_order = services.bulk_order_request(
                    buyer=buyer,
                    requested_by=request.user,
                    lines=form.lines(),
                    requested_delivery_date=form.cleaned_data["requested_delivery_date"],
                    note=form.cleaned_data["note"],
                )
            except DomainError as error:
                messages.error(request, error.message)
                status = error.status_code
            else:
                messages.success(
                    request, _("Sent to the producer. You will be e-mailed at each step.")
                )
                return redirect(bulk_order.get_absolute_url())
        else:
            status = 400
    return render(
        request,
        "marketplace/bulk/request.html",
        {"form": form, "producer": producer_org, "catalogue": catalogue},
        status=status,
    )


@never_cache
@login_required
@require_safe
def bulk_detail(request, pk: int):
    try:
        bulk_order = selectors.bulk_order_detail(pk=pk)
    except BulkOrder.DoesNotExist:
        raise Http404 from None
    user = request.user
    allowed = (
        user.is_staff
        or bulk_order.buyer_id in selectors.buyer_ids_for(user)
        or bulk_order.producer_id in selectors.producer_ids_for(user)
    )
    if not allowed:
        raise Http404
    return render(request, "marketplace/bulk/detail.html", {"bulk_order": bulk_order})


# --- Harvest presales -----------------------------------------------------------------


@require_safe
def presale_list(request):
    return render(
        request, "marketplace/presale_list.html", {"presales": list(selectors.open_presales())}
    )


@never_cache
@require_http_methods(["GET", "POST"])
def presale_detail(request, pk: int):
    """A presale, and the pledge form for a signed-in visitor (the counters
    that sell this producer's products to choose from)."""
    try:
        presale = selectors.presale_detail(pk=pk)
    except Presale.DoesNotExist:
        raise Http404 from None
    counters = list(
        Counter.objects.filter(is_active=True, producers=presale.variant.product.producer_id)
        .select_related("centre__organization")
        .order_by("centre__organization__name", "name")
    )
    form = PledgeForm(request.POST or None, counters=counters)
    status = 200
    if request.method == "POST":
        if not request.user.is_authenticated:
            return redirect(f"{reverse('accounts:login')}?next={request.path}")
        if form.is_valid():
            try:
                services.presale_pledge(
                    customer=request.user,
                    presale_id=presale.pk,
                    counter=form.cleaned_data["counter"],
                    quantity=form.cleaned_data["quantity"],
                )
            except DomainError as error:
                messages.error(request, error.message)
                status = error.status_code
            else:
                messages.success(
                    request,
                    _("Pledged. When the harvest is in you get a pickup code by e-mail."),
                )
                return redirect("marketplace:presale_detail", pk=presale.pk)
        else:
            status = 400
    mine = (
        selectors.pledges_for_customer(user=request.user).filter(presale=presale).first()
        if request.user.is_authenticated
        else None
    )
    return render(
        request,
        "marketplace/presale_detail.html",
        {"presale": presale, "form": form, "mine": mine, "open": presale.is_taking_pledges()},
        status=status,
    )
