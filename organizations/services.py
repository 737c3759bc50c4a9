"""Writes of the directory. District staff edit it in the admin; each change
bumps the page-cache scope of everything that shows an organization or a place."""

from core.cache import bump


def directory_changed() -> None:
    """Districts, areas, organizations or memberships changed: pages showing them are stale."""
    bump("organizations")
