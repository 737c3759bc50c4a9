"""Loads the report's facts and the demo data of every app, in dependency order.

Running it again changes nothing that is already there (each loader uses
natural keys with update_or_create), so `make run` can call it every time.
"""

from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import transaction

from core import cache


class Command(BaseCommand):
    help = "Load the reported facts and demo data (idempotent)."

    def handle(self, *args, **options):
        from accounts import demo as accounts_demo
        from cooperation import demo as cooperation_demo
        from marketplace import demo as marketplace_demo
        from resellers import demo as resellers_demo
        from tours import demo as tours_demo

        steps = [
            ("cooperation", cooperation_demo.load),
            ("accounts", accounts_demo.load),
            ("marketplace", marketplace_demo.load),
            ("tours", tours_demo.load),
            ("resellers", resellers_demo.load),
        ]
        for number, (name, load) in enumerate(steps, start=1):
            self.stdout.write(f"[{number}/{len(steps)}] {name} …", ending="")
            self.stdout.flush()
            with transaction.atomic():
                summary = load(stdout=self.stdout)
            self.stdout.write(self.style.SUCCESS(f" {summary or 'done'}"))
        # Rows the loaders wrote in bulk get their Traditional Chinese too.
        call_command("fill_traditional", stdout=self.stdout)
        # The loaders write much in bulk, past the services that bump the
        # cache's versions; and a database made afresh beside a Redis that
        # kept its versions would reuse ids that cached entries still name.
        for scope in cache.SCOPES:
            cache.bump(scope)
