# One list of payment methods for the marketplace and tours (core.payments):
# the marketplace gains "bank transfer"; no stored value changes.

from django.db import migrations, models

CHOICES = [
    ("cash", "cash"),
    ("wechat", "WeChat Pay"),
    ("alipay", "Alipay"),
    ("card", "bank card"),
    ("transfer", "bank transfer"),
    ("other", "other"),
]


class Migration(migrations.Migration):
    dependencies = [
        ("marketplace", "0006_search_text"),
    ]

    operations = [
        migrations.AlterField(
            model_name="order",
            name="payment_method",
            field=models.CharField(
                blank=True, choices=CHOICES, max_length=12, verbose_name="payment method"
            ),
        ),
    ]
