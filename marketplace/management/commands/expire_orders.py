"""Run every few minutes (cron, systemd timer): moves orders past their pickup
deadline to expired and releases their holds. The site is right without it
(availability ignores overdue holds at read time); this keeps statuses and the
cached figures tidy. E-mails nobody."""

from django.core.management.base import BaseCommand

from marketplace.services import expire_overdue_orders


class Command(BaseCommand):
    help = "Expire reserve-and-collect orders whose pickup deadline has passed."

    def handle(self, *args, **options):
        count = expire_overdue_orders()
        self.stdout.write(f"{count} order(s) expired")
