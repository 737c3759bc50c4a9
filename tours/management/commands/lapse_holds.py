"""Run every few minutes (cron, systemd timer): records expired waitlist holds
as lapsed and offers their seats to the next people waiting.

Seats are correct without it (an expired hold stops counting at its deadline);
this makes the next offer and its e-mail happen promptly.
"""

from django.core.management.base import BaseCommand

from tours.services import lapse_expired_holds


class Command(BaseCommand):
    help = "Lapse expired waitlist holds and offer the seats to the next people waiting."

    def handle(self, *args, **options):
        lapsed, offered = lapse_expired_holds()
        self.stdout.write(f"{lapsed} holds lapsed, {offered} new offers made")
