"""What a server process does once, right after loading Django (wsgi.py, asgi.py)."""

import gc

from django.conf import settings
from django.urls import get_resolver
from django.utils import translation


def load_and_freeze() -> None:
    """Imports the whole site now (the URLconf, and through it every view,
    serializer and form) and reads the translation catalogues of every
    language, instead of at a process's first request in it, then
    freezes what is loaded: Python's full garbage collection walks every
    object that is not frozen, and a full pass over the ~130,000 objects of
    the loaded code took ~60 ms, a stall of every request the process was
    serving (45-120 ms stalls of a fixed request rate in `make bench`). The
    frozen objects are never collected: modules, classes and functions that
    live as long as the process anyway. A URLconf that cannot be imported now
    stops the server at start, not at its first request."""
    get_resolver().url_patterns  # noqa: B018 (imported for its effect)
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            translation.gettext("Home")
    gc.freeze()
