# One list of payment methods for the marketplace and tours (core.payments):
# tours gains "other"; no stored value changes.

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
        ("tours", "0005_search_text"),
    ]

    operations = [
        migrations.AlterField(
            model_name="booking",
            name="payment_method",
            field=models.CharField(
                blank=True, choices=CHOICES, max_length=20, verbose_name="payment method"
            ),
        ),
    ]
