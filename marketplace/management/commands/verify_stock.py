"""Checks that every cached stock figure equals its ledger: ``on_hand`` the
sum of the movements' quantities, ``held`` the sum of their held changes and
the units of open orders. Exits 1 and lists each difference if any."""

from django.core.management.base import BaseCommand, CommandError

from marketplace.models import Stock, StockMovement
from marketplace.selectors import stock_mismatches


class Command(BaseCommand):
    help = "Verify that cached stock figures equal the stock ledger (exit 1 on a mismatch)."

    def handle(self, *args, **options):
        problems = stock_mismatches()
        for p in problems:
            self.stderr.write(
                f"stock {p.stock_id} ({p.label}): {p.field} is {p.cached}, ledger says {p.expected}"
            )
        if problems:
            raise CommandError(f"{len(problems)} mismatch(es) between cached stock and the ledger")
        self.stdout.write(
            self.style.SUCCESS(
                f"ok: {Stock.objects.count()} stock rows match {StockMovement.objects.count()} ledger rows"
            )
        )
