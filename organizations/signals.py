"""A membership shows on its user's ``/account/`` (the organizations they act
for): its change outdates that cached page (core.personal)."""

from django.db.models.signals import post_delete, post_save

from core.cache import bump_item

from .models import Membership


def _membership_changed(sender, instance: Membership, **kwargs) -> None:
    bump_item("person", instance.user_id)


def connect() -> None:
    post_save.connect(_membership_changed, sender=Membership, dispatch_uid="personal-member-saved")
    post_delete.connect(
        _membership_changed, sender=Membership, dispatch_uid="personal-member-deleted"
    )
