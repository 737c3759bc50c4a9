"""Which cached personal pages a change to bookings outdates (core.personal):
the customer's (``/account/``) and the departure's (the operator's manifest).
A waitlist entry changes everyone's place in that line, so every waiting
customer's page; a departure's new date or time shows on every booking of it."""

from django.db.models.signals import post_delete, post_save

from core.cache import bump_item

from .models import Booking, BookingTraveller, Departure, WaitlistEntry


def _booking_saved(sender, instance: Booking, **kwargs) -> None:
    bump_item("person", instance.customer_id)
    bump_item("departure", instance.departure_id)


def _traveller_saved(sender, instance: BookingTraveller, **kwargs) -> None:
    row = Booking.objects.filter(pk=instance.booking_id).values("customer_id", "departure_id")
    for found in row:
        bump_item("person", found["customer_id"])
        bump_item("departure", found["departure_id"])


def _waitlist_changed(sender, instance: WaitlistEntry, **kwargs) -> None:
    bump_item("departure", instance.departure_id)
    waiting = WaitlistEntry.objects.filter(departure_id=instance.departure_id)
    for customer_id in {instance.customer_id, *waiting.values_list("customer_id", flat=True)}:
        bump_item("person", customer_id)


def _departure_saved(sender, instance: Departure, created: bool = False, **kwargs) -> None:
    if created:
        return
    bump_item("departure", instance.pk)
    people = Booking.objects.filter(departure_id=instance.pk).values_list("customer_id", flat=True)
    for customer_id in set(people):
        bump_item("person", customer_id)


def connect() -> None:
    post_save.connect(_booking_saved, sender=Booking, dispatch_uid="personal-booking-saved")
    post_delete.connect(_booking_saved, sender=Booking, dispatch_uid="personal-booking-deleted")
    for signal in (post_save, post_delete):
        signal.connect(
            _traveller_saved, sender=BookingTraveller, dispatch_uid=f"personal-traveller-{signal}"
        )
        signal.connect(
            _waitlist_changed, sender=WaitlistEntry, dispatch_uid=f"personal-waitlist-{signal}"
        )
    post_save.connect(_departure_saved, sender=Departure, dispatch_uid="personal-departure-saved")
