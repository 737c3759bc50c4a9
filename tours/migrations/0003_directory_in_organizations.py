"""Foreign keys to the directory now name organizations' models: the same tables, so state only."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('organizations', '0001_initial'),
        ('tours', '0002_status_event_base'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.AlterField(
                    model_name='attraction',
                    name='area',
                    field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='attractions', to='organizations.area', verbose_name='town or sub-district'),
                ),
                migrations.AlterField(
                    model_name='attraction',
                    name='district',
                    field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='attractions', to='organizations.district', verbose_name='district'),
                ),
                migrations.AlterField(
                    model_name='route',
                    name='operator',
                    field=models.ForeignKey(limit_choices_to={'kind': 'tour_operator'}, on_delete=django.db.models.deletion.PROTECT, related_name='routes', to='organizations.organization', verbose_name='operator'),
                ),
            ],
        ),
    ]
