from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("Accounts")

    def ready(self) -> None:
        from django.db.models.signals import post_delete, post_save

        from .backends import forget_user
        from .models import User

        def forget(sender, instance, **kwargs):
            forget_user(instance.pk)

        # A function made here: held strongly, or it would be collected at once.
        post_save.connect(forget, sender=User, weak=False, dispatch_uid="accounts.forget_user")
        post_delete.connect(
            forget, sender=User, weak=False, dispatch_uid="accounts.forget_user_deleted"
        )
