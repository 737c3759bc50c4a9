"""Converts the Simplified text of every translated row into its Traditional
columns, where no person wrote them (see core.hant). Saving a row does that by
itself; this catches up rows written by ``update``/``bulk_create`` or loaded
by fixtures, and brings everything in line after OpenCC's dictionaries change.
Running it again changes nothing."""

from django.apps import apps
from django.core.management.base import BaseCommand
from django.db import transaction

from core import hant


class Command(BaseCommand):
    help = "Fill the Traditional Chinese (zh_hant) columns from the Simplified ones."

    def handle(self, *args, **options):
        total = 0
        with transaction.atomic():
            for model in apps.get_models():
                if model._meta.proxy or not hant.traditional_fields(model):
                    continue
                changed = hant.fill_rows(model)
                total += changed
                if changed and options["verbosity"] > 1:
                    self.stdout.write(f"{model._meta.label}: {changed}")
        if options["verbosity"]:
            self.stdout.write(f"Traditional Chinese: {total} rows converted")
