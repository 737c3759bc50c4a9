"""Recomputes the site search's columns (core.search) of every searchable row.
Saving a row does that by itself; this catches up rows written by
``update``/``bulk_create`` or fixtures, and products whose producer, category
or village was renamed (their names are part of a product's text). Running it
again changes nothing."""

from django.apps import apps
from django.core.management.base import BaseCommand
from django.db import transaction

from core import search


class Command(BaseCommand):
    help = "Recompute the site search's columns (search_name, search_text) of every searchable row."

    def handle(self, *args, **options):
        total = 0
        with transaction.atomic():
            for model in apps.get_models():
                if model._meta.proxy or not issubclass(model, search.Searchable):
                    continue
                count = search.reindex(model)
                total += count
                if options["verbosity"] > 1:
                    self.stdout.write(f"{model._meta.label}: {count}")
        if options["verbosity"]:
            self.stdout.write(f"Search: {total} rows reindexed")
