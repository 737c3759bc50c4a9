"""Forms of the public pages and the operators' panel pages. They only parse
input; the rules (seats left, cut-off, fares) are the services'."""

from django import forms
from django.core.validators import RegexValidator
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from core.payments import PaymentMethod

from .models import MAX_SEATS_PER_BOOKING, Booking, TravellerType

phone_validator = RegexValidator(
    r"^\+?[0-9][0-9 \-]{5,18}[0-9]$",
    _("Enter a phone number of 7 to 15 digits, optionally starting with +."),
)


class RouteFilterForm(forms.Form):
    q = forms.CharField(
        label=_("Search"), required=False, max_length=100, widget=forms.SearchInput()
    )
    district = forms.ChoiceField(label=_("District"), required=False)
    duration = forms.TypedChoiceField(
        label=_("Duration"), required=False, coerce=int, empty_value=None
    )
    date_from = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = forms.DateField(
        label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args, districts=(), durations=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["q"].widget.attrs["placeholder"] = _("Place or route name")
        self.fields["district"].choices = [
            ("", _("Any district")),
            *((d.code, d.name) for d in districts),
        ]
        self.fields["duration"].choices = [("", _("Any length"))] + [
            (str(days), _("1 day") if days == 1 else _("%(days)s days") % {"days": days})
            for days in durations
        ]

    def clean(self):
        data = super().clean()
        if data.get("date_from") and data.get("date_to") and data["date_from"] > data["date_to"]:
            self.add_error("date_to", _("The end date is before the start date."))
        return data


class SeatsForm(forms.Form):
    """How many travellers: part of the booking form; its "Recalculate"
    button grows or shrinks the form without JavaScript (booking.js does it
    at once), keeping what was typed. Offers the route's own range."""

    seats = forms.TypedChoiceField(
        label=_("Number of travellers"),
        coerce=int,
        choices=[(str(n), str(n)) for n in range(1, MAX_SEATS_PER_BOOKING + 1)],
        initial=1,
    )

    def __init__(self, *args, low: int = 1, high: int = MAX_SEATS_PER_BOOKING, **kwargs):
        super().__init__(*args, **kwargs)
        seats = self.fields["seats"]
        assert isinstance(seats, forms.TypedChoiceField)
        seats.choices = [(str(n), str(n)) for n in range(low, high + 1)]


class TravellerForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=100)
    type = forms.ChoiceField(label=_("Traveller type"), choices=TravellerType.choices)

    def __init__(self, *args, types=None, **kwargs):
        super().__init__(*args, **kwargs)
        if types:
            self.fields["type"].choices = [
                (value, f"{capfirst(label)} · ¥{price}") for value, label, price in types
            ]
        self.fields["name"].widget.attrs["autocomplete"] = "name"


TravellerFormSet = forms.formset_factory(
    TravellerForm,
    extra=0,
    min_num=1,
    max_num=MAX_SEATS_PER_BOOKING,
    validate_min=True,
    validate_max=True,
    absolute_max=MAX_SEATS_PER_BOOKING,
)


class ContactForm(forms.Form):
    contact_name = forms.CharField(label=_("Contact name"), max_length=100)
    contact_phone = forms.CharField(
        label=_("Contact phone"),
        max_length=30,
        validators=[phone_validator],
        help_text=_("The operator calls this number if plans change."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["contact_name"].widget.attrs["autocomplete"] = "name"
        self.fields["contact_phone"].widget.attrs.update(
            {"autocomplete": "tel", "inputmode": "tel"}
        )


# --- Operators' panel ---------------------------------------------------------------


class CancelDepartureForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=1000,
        help_text=_(
            "Every customer with a booking or on the waitlist receives it by e-mail, and a "
            "text message tells those with a mobile number."
        ),
    )


class CheckInForm(forms.Form):
    # A scanner that types what it reads may send the QR code's whole URL.
    code = forms.CharField(label=_("Booking code"), max_length=300)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["code"].widget.attrs.update(
            {
                "autocomplete": "off",
                "autocapitalize": "characters",
                "autofocus": True,
                "spellcheck": "false",
            }
        )


class PaymentForm(forms.Form):
    # A blank first choice and no default, as at the pickup desk: a select
    # showing "cash" first would record cash for every payment nobody set.
    method = forms.ChoiceField(
        label=_("Payment method"),
        choices=[("", _("— choose how the customer paid —")), *PaymentMethod.choices],
        error_messages={"required": _("Choose how the customer paid.")},
    )
    timing = forms.ChoiceField(
        label=_("Paid"), choices=Booking.PaymentTiming.choices, widget=forms.RadioSelect
    )
