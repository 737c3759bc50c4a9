"""Demo data for this app, loaded by `manage.py load_demo`. Idempotent."""


def load(*, stdout=None) -> str:
    return "nothing yet"
