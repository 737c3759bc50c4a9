"""The idempotency keys moved to core: the table stays, the model leaves this app's state."""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('core', '0001_initial'),
        ('accounts', '0003_api_tokens'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.RemoveConstraint(
                    model_name='idempotencykey',
                    name='idempotency_key_unique',
                ),
                migrations.DeleteModel(
                    name='IdempotencyKey',
                ),
            ],
        ),
    ]
