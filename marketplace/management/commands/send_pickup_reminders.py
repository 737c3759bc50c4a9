"""Run every hour or so: e-mails each customer whose order must be collected
within a day. Each order is reminded once (``reminder_sent_at``), however
often this runs."""

from django.core.management.base import BaseCommand

from marketplace.services import send_pickup_reminders


class Command(BaseCommand):
    help = "E-mail customers whose pickup deadline is within a day (once per order)."

    def handle(self, *args, **options):
        count = send_pickup_reminders()
        self.stdout.write(f"{count} reminder(s) queued")
