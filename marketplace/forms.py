"""Forms of the public pages and the partner panel. They parse input only;
the rules live in services.py."""

from datetime import timedelta

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.payments import PaymentMethod
from organizations.models import Area, District

from .models import (
    MAX_BULK_LINE_QUANTITY,
    MAX_LINE_QUANTITY,
    MAX_PLEDGE,
    Counter,
    Lot,
    ProductVariant,
)
from .selectors import categories, centres_for_filter, producers
from .services.stock import LotDetails

GROUP_CHOICES = [
    ("producer", _("by producer")),
    ("village", _("by village")),
    ("counter", _("by counter")),
]


class ProductFilterForm(forms.Form):
    q = forms.CharField(
        label=_("Search"),
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"type": "search", "placeholder": _("e.g. 板栗, chestnut")}),
    )
    category = forms.ChoiceField(label=_("Category"), required=False)
    producer = forms.ChoiceField(label=_("Producer"), required=False)
    centre = forms.ChoiceField(label=_("Centre"), required=False)
    in_stock = forms.BooleanField(label=_("In stock now"), required=False)
    in_season = forms.BooleanField(label=_("In season now"), required=False)
    sort = forms.ChoiceField(
        label=_("Sort by"),
        required=False,
        choices=[
            ("", _("Recommended")),
            ("price", _("Price: low to high")),
            ("-price", _("Price: high to low")),
            ("new", _("Newest first")),
            ("season", _("In season first")),
        ],
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        anything = [("", _("Any"))]
        self.fields["category"].choices = anything + [(c.slug, c.name) for c in categories()]
        self.fields["producer"].choices = anything + [(p.slug, p.name) for p in producers()]
        self.fields["centre"].choices = anything + [
            (c.organization.slug, c.name) for c in centres_for_filter()
        ]

    def filters(self) -> dict:
        """The selector's keyword arguments; an invalid value is ignored, not an error page."""
        if not self.is_bound:
            return {}
        self.is_valid()
        data = self.cleaned_data
        return {
            "q": data.get("q") or None,
            "category": data.get("category") or None,
            "producer": data.get("producer") or None,
            "centre": data.get("centre") or None,
            "in_stock": bool(data.get("in_stock")) or None,
            "in_season": bool(data.get("in_season")) or None,
            "sort": data.get("sort") or None,
        }

    def active_filters(self) -> int:
        """How many filters narrow the list (the sort order is not one): the
        folded filter panel says so, and opens when there are any."""
        return sum(
            1 for name, value in self.filters().items() if value and name not in ("sort", "q")
        )


class AddToCartForm(forms.Form):
    variant = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    quantity = forms.IntegerField(
        label=_("Quantity"), min_value=1, max_value=MAX_LINE_QUANTITY, initial=1
    )

    def clean_variant(self):
        variant_id = self.cleaned_data["variant"]
        if not ProductVariant.objects.filter(
            pk=variant_id, is_active=True, product__is_active=True
        ).exists():
            raise forms.ValidationError(_("This product is no longer on sale."))
        return variant_id


class CheckoutForm(forms.Form):
    # One per checkout page: sending the same form twice places one order.
    token = forms.CharField(widget=forms.HiddenInput, max_length=64, required=False)
    counter = forms.ModelChoiceField(
        label=_("Collect at"),
        queryset=Counter.objects.filter(is_active=True),
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Choose the counter where you will collect the order."),
            "invalid_choice": _("That counter is not taking orders. Choose another."),
        },
    )


class PickupCodeForm(forms.Form):
    code = forms.CharField(
        label=_("Pickup code"),
        max_length=20,
        widget=forms.TextInput(
            attrs={
                "autofocus": True,
                "autocomplete": "off",
                "autocapitalize": "characters",
                "inputmode": "text",
            }
        ),
        help_text=_("Type the six characters, or scan the customer's QR code into this box."),
    )


class CollectForm(forms.Form):
    # A blank first choice and no default: the clerk must pick one (a select
    # showing "cash" first recorded cash for every hand-over nobody set).
    payment_method = forms.ChoiceField(
        label=_("Paid with"),
        choices=[("", _("— choose how the customer paid —")), *PaymentMethod.choices],
        error_messages={"required": _("Choose how the customer paid.")},
    )


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=300)


class _StockForm(forms.Form):
    counter = forms.ModelChoiceField(label=_("Counter"), queryset=Counter.objects.none())
    variant = forms.ModelChoiceField(label=_("Product"), queryset=ProductVariant.objects.none())

    def __init__(self, *args, counters, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["counter"].queryset = counters
        self.fields["variant"].queryset = (
            ProductVariant.objects.filter(product__producer__counters__in=counters)
            .select_related("product")
            .distinct()
            .order_by("product__name", "position")
        )


def _date_input() -> forms.DateInput:
    return forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"})


class StockReceiveForm(_StockForm):
    """Goods received: the figures, and the lot they make (marketplace.models.lots)."""

    quantity = forms.IntegerField(label=_("Units received"), min_value=1, max_value=100_000)
    lot_code = forms.CharField(
        label=_("Lot"),
        max_length=20,
        required=False,
        help_text=_(
            "The producer's batch code, if it has one; empty draws the next number, e.g. HR2026-0001."
        ),
    )
    village = forms.ModelChoiceField(
        label=_("Village"),
        queryset=Area.objects.none(),
        required=False,
        help_text=_("Where it was grown or made; empty means the product's own village."),
    )
    harvested_on = forms.DateField(
        label=_("Harvest or production date"), required=False, widget=_date_input()
    )
    best_before = forms.DateField(
        label=_("Best before"),
        required=False,
        widget=_date_input(),
        help_text=_("Empty: the harvest date plus the product's shelf life, if it has one."),
    )
    certificate = forms.ChoiceField(
        label=_("Certificate"),
        choices=Lot.Certificate.choices,
        initial=Lot.Certificate.NONE,
        required=False,
    )
    certificate_number = forms.CharField(
        label=_("Certificate number"), max_length=60, required=False
    )
    reason = forms.CharField(
        label=_("Note"),
        max_length=300,
        required=False,
        help_text=_("e.g. the delivery note number"),
    )

    def __init__(self, *args, counters, **kwargs):
        super().__init__(*args, counters=counters, **kwargs)
        self.fields["village"].queryset = Area.objects.filter(
            kind__in=[Area.Kind.VILLAGE, Area.Kind.TOWN, Area.Kind.TOWNSHIP],
            district__role=District.Role.SUPPORTED,
        ).order_by("name")

    def lot_details(self) -> LotDetails:
        data = self.cleaned_data
        return LotDetails(
            code=data["lot_code"],
            village=data["village"],
            harvested_on=data["harvested_on"],
            best_before=data["best_before"],
            certificate=data["certificate"] or Lot.Certificate.NONE,
            certificate_number=data["certificate_number"],
        )


class StockCorrectionForm(_StockForm):
    quantity = forms.IntegerField(
        label=_("Change (units)"),
        min_value=-100_000,
        max_value=100_000,
        help_text=_("Negative for units lost or broken, positive for units found."),
    )
    lot = forms.ModelChoiceField(
        label=_("Lot"),
        queryset=Lot.objects.none(),
        required=False,
        help_text=_(
            "The lot it happened to. Empty: a loss comes out of the lots that expire "
            "first, a find goes to the unrecorded lot."
        ),
    )
    reason = forms.CharField(
        label=_("Reason"), max_length=300, help_text=_("Required: what happened.")
    )

    def __init__(self, *args, counters, **kwargs):
        super().__init__(*args, counters=counters, **kwargs)
        self.fields["lot"].queryset = (
            Lot.objects.filter(counter__in=counters, remaining__gt=0)
            .select_related("variant__product")
            .order_by("variant__product__name", "code")
        )

    def clean(self):
        data = super().clean()
        lot, variant, counter = data.get("lot"), data.get("variant"), data.get("counter")
        if lot and (
            lot.variant_id != getattr(variant, "pk", None)
            or lot.counter_id != getattr(counter, "pk", None)
        ):
            self.add_error("lot", _("That lot is not of this product at this counter."))
        return data


class SalesReportForm(forms.Form):
    date_from = forms.DateField(
        label=_("From"), widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"})
    )
    date_to = forms.DateField(
        label=_("To"), widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"})
    )
    group_by = forms.ChoiceField(label=_("Group"), choices=GROUP_CHOICES, initial="producer")

    def clean(self):
        data = super().clean()
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and start > end:
            raise forms.ValidationError(_("The start date is after the end date."))
        if start and end and (end - start).days > 3660:
            raise forms.ValidationError(_("Choose at most ten years."))
        return data

    @classmethod
    def defaults(cls) -> dict:
        today = timezone.localdate()
        return {"date_from": today.replace(day=1), "date_to": today, "group_by": "producer"}


class BulkRequestForm(forms.Form):
    """One quantity box per variant of the producer, plus the delivery details."""

    buyer = forms.TypedChoiceField(label=_("Ordering for"), coerce=int)
    requested_delivery_date = forms.DateField(
        label=_("Delivery wanted on"),
        widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"}),
    )
    note = forms.CharField(
        label=_("Note for the producer"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, buyers, catalogue, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["buyer"].choices = [(b.pk, b.name) for b in buyers]
        if len(buyers) == 1:
            self.fields["buyer"].initial = buyers[0].pk
        self.fields["requested_delivery_date"].initial = timezone.localdate() + timedelta(days=7)
        self.variant_fields = []
        for product in catalogue:
            for variant in product.active_variants:
                name = f"qty_{variant.pk}"
                self.fields[name] = forms.IntegerField(
                    label=f"{product.name} · {variant.name}",
                    required=False,
                    min_value=0,
                    max_value=MAX_BULK_LINE_QUANTITY,
                    widget=forms.NumberInput(attrs={"inputmode": "numeric", "class": "qty"}),
                )
                self.variant_fields.append((product, variant, self[name]))

    def lines(self) -> list[tuple[int, int]]:
        return [
            (variant.pk, self.cleaned_data.get(f"qty_{variant.pk}") or 0)
            for _product, variant, _field in self.variant_fields
        ]


class BulkConfirmForm(forms.Form):
    delivery_date = forms.DateField(
        label=_("Delivery date"), widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"})
    )

    def __init__(self, *args, bulk_order, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["delivery_date"].initial = bulk_order.requested_delivery_date
        self.line_fields = []
        for line in bulk_order.lines.all():
            name = f"line_{line.pk}"
            self.fields[name] = forms.IntegerField(
                label=f"{line.product_name} · {line.variant_name}",
                min_value=0,
                max_value=MAX_BULK_LINE_QUANTITY,
                initial=line.quantity,
                help_text=_("Requested: %(n)s") % {"n": line.requested_quantity},
            )
            self.line_fields.append((line, self[name]))

    def quantities(self) -> dict[int, int]:
        return {line.pk: self.cleaned_data[f"line_{line.pk}"] for line, _field in self.line_fields}


class PledgeForm(forms.Form):
    counter = forms.ModelChoiceField(
        queryset=Counter.objects.none(), label=_("Collect at"), empty_label=None
    )
    quantity = forms.IntegerField(label=_("Units"), min_value=1, max_value=MAX_PLEDGE, initial=1)

    def __init__(self, *args, counters=(), **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["counter"]
        field.queryset = Counter.objects.filter(pk__in=[c.pk for c in counters]).select_related(
            "centre__organization"
        )
        field.label_from_instance = lambda c: f"{c.centre.name} · {c.name}"
