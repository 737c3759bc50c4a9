"""accounts.ApiToken replaces DRF's rest_framework.authtoken (one plain-text,
never-expiring key per user). The keys that exist are carried over, hashed,
with a fresh API_TOKEN_TTL_DAYS to run from this migration, so signed-in apps
keep working; the plain-text copies are then deleted from authtoken_token
(the emptied table is left for `rest_framework.authtoken`'s own migrations)."""

import hashlib
from datetime import timedelta

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models
from django.utils import timezone

OLD_TABLE = "authtoken_token"


def carry_over_drf_tokens(apps, schema_editor):
    connection = schema_editor.connection
    if OLD_TABLE not in connection.introspection.table_names():
        return
    ApiToken = apps.get_model("accounts", "ApiToken")
    table = connection.ops.quote_name(OLD_TABLE)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {connection.ops.quote_name('key')}, user_id FROM {table}")
        rows = cursor.fetchall()
    expires_at = timezone.now() + timedelta(days=settings.API_TOKEN_TTL_DAYS)
    ApiToken.objects.bulk_create(
        ApiToken(
            user_id=user_id,
            key_hash=hashlib.sha256(key.encode()).hexdigest(),
            prefix=key[:8],
            name="rest_framework.authtoken",
            expires_at=expires_at,
        )
        for key, user_id in rows
    )
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {table}")


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0002_identity_unique"),
    ]

    operations = [
        migrations.CreateModel(
            name="ApiToken",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("key_hash", models.CharField(editable=False, max_length=64, unique=True)),
                (
                    "prefix",
                    models.CharField(editable=False, max_length=8, verbose_name="key prefix"),
                ),
                (
                    "name",
                    models.CharField(
                        blank=True,
                        help_text="The device or app it was issued to.",
                        max_length=200,
                        verbose_name="name",
                    ),
                ),
                ("created_at", models.DateTimeField(auto_now_add=True, verbose_name="created")),
                ("expires_at", models.DateTimeField(verbose_name="expires")),
                (
                    "last_used_at",
                    models.DateTimeField(
                        blank=True, editable=False, null=True, verbose_name="last used"
                    ),
                ),
                (
                    "user",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="api_tokens",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="user",
                    ),
                ),
            ],
            options={
                "verbose_name": "API token",
                "verbose_name_plural": "API tokens",
                "indexes": [
                    models.Index(fields=["user", "expires_at"], name="apitoken_user_expires")
                ],
            },
        ),
        migrations.RunPython(carry_over_drf_tokens, migrations.RunPython.noop, elidable=True),
    ]
