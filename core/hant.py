"""Traditional Chinese (zh-hant) content, converted from the Simplified text.

Every field registered with django-modeltranslation has a ``<field>_zh_hant``
column. Nobody has to type it: when a row is saved, each Traditional column is
filled from its ``<field>_zh_hans`` sibling with OpenCC, unless a person wrote
that column by hand (staff in the admin, say). Such a field is listed in the
row's ``hant_overrides`` and from then on never overwritten; clearing the
Traditional value hands it back to the conversion.

"By hand" is told apart without asking the form: a Traditional value that is
neither what the row had when it was loaded nor the conversion of the current
Simplified text was written by someone. So the same rule holds for the admin,
its inlines, the vendor site, the shell and the demo loaders.

Content uses OpenCC's ``s2tw`` (characters to Taiwan's standard forms, wording
kept): names of places, programmes and agreements, and figures quoted from the
report, must read as their source says, which the phrase conversion
(``s2twp``: 项目→專案, 数据→資料, 信息化→資訊化) would rewrite. The UI
catalogue, reviewed by a person, uses ``s2twp`` (see scripts/i18n.py).
Taiwan's forms rather than Hong Kong's (``s2hk``: 麪, 着): they are the ones
most Traditional readers (Taiwan, overseas) expect, and Hong Kong and Macau
readers read them without trouble.
"""

from __future__ import annotations

import functools
from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy as _

CONTENT_CONFIG = "s2tw"
HANS, HANT = "_zh_hans", "_zh_hant"


@functools.cache
def _converter(config: str):
    import opencc  # one converter a process: loading its dictionaries takes a while

    return opencc.OpenCC(config)


def to_traditional(text: str | None, config: str = CONTENT_CONFIG) -> str:
    """``text`` in Traditional characters ("" for None or "")."""
    if not text:
        return ""
    return _converter(config).convert(text)


def still_simplified(text: str, config: str = CONTENT_CONFIG) -> set[str]:
    """The characters of ``text`` that OpenCC would still convert: what a page
    meant to be Traditional must not contain."""
    converted = to_traditional(text, config)
    if converted == text:
        return set()
    import difflib

    found: set[str] = set()
    matcher = difflib.SequenceMatcher(None, text, converted, autojunk=False)
    for tag, i1, i2, _j1, _j2 in matcher.get_opcodes():
        if tag != "equal":
            found.update(text[i1:i2])
    return found


_FIELDS: dict[type, tuple[str, ...]] = {}


def traditional_fields(model: type) -> tuple[str, ...]:
    """The base names of ``model``'s fields that have a Traditional column."""
    if model in _FIELDS:
        return _FIELDS[model]
    names = {f.name for f in model._meta.get_fields() if hasattr(f, "attname")}  # type: ignore[attr-defined]
    _FIELDS[model] = found = tuple(
        sorted(
            name[: -len(HANT)]
            for name in names
            if name.endswith(HANT) and name[: -len(HANT)] + HANS in names
        )
    )
    return found


def fill_traditional(instance) -> list[str]:
    """Fills ``instance``'s Traditional columns from its Simplified ones (see
    the module's docstring for when a column is a person's and is kept), and
    keeps ``hant_overrides`` up to date. Returns the columns it changed."""
    overrides = set(getattr(instance, "hant_overrides", None) or ())
    loaded = getattr(instance, "_hant_loaded", {})
    tracked = hasattr(instance, "hant_overrides")
    changed = []
    for field in traditional_fields(type(instance)):
        column = field + HANT
        current = instance.__dict__.get(column) or ""
        automatic = to_traditional(instance.__dict__.get(field + HANS))
        if tracked and field in overrides:
            if current:
                continue
            overrides.discard(field)  # cleared by hand: the conversion takes over again
        elif (
            tracked
            and current
            and current != automatic
            and (column not in loaded or current != (loaded[column] or ""))
        ):
            overrides.add(field)  # written by a person
            continue
        elif not tracked and current:
            continue  # no record of who wrote it: fill only what is empty
        if current != automatic:
            setattr(instance, column, automatic)
            changed.append(column)
    if tracked:
        ordered = sorted(overrides)
        if ordered != list(instance.hant_overrides or []):
            instance.hant_overrides = ordered
            changed.append("hant_overrides")
    return changed


class Traditional(models.Model):
    """Fills the row's Traditional columns on every save (``fill_traditional``).

    Put it first among a translated model's bases. ``QuerySet.update`` and
    ``bulk_create`` bypass it: ``manage.py fill_traditional`` catches up.
    """

    hant_overrides = models.JSONField(
        _("Traditional Chinese written by hand"),
        default=list,
        blank=True,
        editable=False,
        help_text=_("Fields whose Traditional Chinese a person wrote; never converted again."),
    )

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        changed = fill_traditional(self)
        update_fields = kwargs.get("update_fields")
        if update_fields is not None:
            wanted = set(update_fields)
            extra = {
                column
                for column in changed
                if column == "hant_overrides"
                or column[: -len(HANT)] in wanted
                or column[: -len(HANT)] + HANS in wanted
            }
            if extra - wanted:
                kwargs["update_fields"] = [*update_fields, *sorted(extra - wanted)]
        super().save(*args, **kwargs)
        self._hant_loaded = {
            column + HANT: self.__dict__.get(column + HANT)
            for column in traditional_fields(type(self))
        }

    @classmethod
    def from_db(cls, db, field_names, values, **kwargs):
        instance = super().from_db(db, field_names, values, **kwargs)
        instance._hant_loaded = {
            name: value
            for name, value in zip(field_names, values, strict=False)
            if name.endswith(HANT)
        }
        return instance


def fill_rows(model, rows: models.QuerySet | None = None, batch_size: int = 500) -> int:
    """Brings the Traditional columns of ``model``'s rows up to date (rows
    written by ``update``/``bulk_create`` or before the columns existed).
    Returns how many rows changed."""
    fields = traditional_fields(model)
    if not fields:
        return 0
    queryset = rows if rows is not None else model._base_manager.all()
    pending, total = [], 0
    columns: set[str] = set()
    for instance in queryset.iterator(chunk_size=batch_size):
        changed = fill_traditional(instance)
        if changed:
            pending.append(instance)
            columns.update(changed)
        if len(pending) >= batch_size:
            model._base_manager.bulk_update(pending, sorted(columns))
            total += len(pending)
            pending, columns = [], set()
    if pending:
        model._base_manager.bulk_update(pending, sorted(columns))
        total += len(pending)
    return total


def fill_app(apps, app_label: str) -> None:
    """For a data migration (``RunPython``): fills the Traditional columns of
    every model of ``app_label`` (historical models have no ``save`` of ours,
    so rows without ``hant_overrides`` records are only filled where empty,
    and rows with it are converted)."""
    for model in apps.get_app_config(app_label).get_models():
        if not model._meta.proxy:
            fill_rows(model)
