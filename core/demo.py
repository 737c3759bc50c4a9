"""The two helpers every demo loader uses: idempotent, found by natural keys."""


def tr(field: str, zh: str, en: str) -> dict:
    """Both language columns of a translated field."""
    return {f"{field}_zh_hans": zh, f"{field}_en": en}


def upsert(model, lookup: dict, values: dict):
    """Finds the row by its natural key and brings it up to date (or creates it)."""
    obj, _ = model.objects.update_or_create(**lookup, defaults=values)
    return obj
