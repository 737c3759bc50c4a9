"""The one list of payment methods, for the marketplace's pickup desk and the
tours check-in desk alike. Stored values never change (``transfer`` is the
bank transfer tours has always stored); a new method is added here."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class PaymentMethod(models.TextChoices):
    CASH = "cash", _("cash")
    WECHAT = "wechat", _("WeChat Pay")
    ALIPAY = "alipay", _("Alipay")
    CARD = "card", _("bank card")
    BANK_TRANSFER = "transfer", _("bank transfer")
    OTHER = "other", _("other")
