from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("Accounts")

    def ready(self) -> None:
        from django.db.models.signals import post_delete, post_save

        from .backends import forget_token, forget_user
        from .models import ApiToken, User

        def user_changed(sender, instance, **kwargs):
            forget_user(instance.pk)

        def token_changed(sender, instance, **kwargs):
            forget_token(instance.key_hash)

        # Functions made here: held strongly, or they would be collected at once.
        for signal, name in ((post_save, "saved"), (post_delete, "deleted")):
            signal.connect(user_changed, sender=User, weak=False, dispatch_uid=f"user-{name}")
            signal.connect(token_changed, sender=ApiToken, weak=False, dispatch_uid=f"token-{name}")
