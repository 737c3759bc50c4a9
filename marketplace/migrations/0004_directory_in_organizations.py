"""Foreign keys to the directory now name organizations' models: the same tables, so state only."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('marketplace', '0003_open_orders_by_counter_deadline'),
        ('organizations', '0001_initial'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.AlterField(
                    model_name='bulkorder',
                    name='buyer',
                    field=models.ForeignKey(limit_choices_to={'kind__in': ('supermarket', 'restaurant')}, on_delete=django.db.models.deletion.PROTECT, related_name='bulk_purchases', to='organizations.organization', verbose_name='buyer'),
                ),
                migrations.AlterField(
                    model_name='bulkorder',
                    name='producer',
                    field=models.ForeignKey(limit_choices_to={'kind__in': ('producer', 'cooperative')}, on_delete=django.db.models.deletion.PROTECT, related_name='bulk_sales', to='organizations.organization', verbose_name='producer'),
                ),
                migrations.AlterField(
                    model_name='bulkorderline',
                    name='village',
                    field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='organizations.area', verbose_name='village'),
                ),
                migrations.AlterField(
                    model_name='businessbuyer',
                    name='organization',
                    field=models.OneToOneField(limit_choices_to={'kind__in': ('supermarket', 'restaurant')}, on_delete=django.db.models.deletion.PROTECT, related_name='business_buyer', to='organizations.organization', verbose_name='organization'),
                ),
                migrations.AlterField(
                    model_name='centre',
                    name='organization',
                    field=models.OneToOneField(limit_choices_to={'kind': 'support_centre'}, on_delete=django.db.models.deletion.PROTECT, related_name='centre', to='organizations.organization', verbose_name='organization'),
                ),
                migrations.RemoveField(
                    model_name='counter',
                    name='producers',
                ),
                migrations.AlterField(
                    model_name='orderline',
                    name='producer',
                    field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='organizations.organization', verbose_name='producer'),
                ),
                migrations.AlterField(
                    model_name='orderline',
                    name='village',
                    field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='organizations.area', verbose_name='village'),
                ),
                migrations.AlterField(
                    model_name='product',
                    name='origin_area',
                    field=models.ForeignKey(blank=True, help_text="The village or town it comes from; empty means the producer's own area.", null=True, on_delete=django.db.models.deletion.PROTECT, related_name='products', to='organizations.area', verbose_name='origin'),
                ),
                migrations.AlterField(
                    model_name='product',
                    name='producer',
                    field=models.ForeignKey(limit_choices_to={'kind__in': ('producer', 'cooperative')}, on_delete=django.db.models.deletion.PROTECT, related_name='products', to='organizations.organization', verbose_name='producer'),
                ),
                migrations.AddField(
                    model_name='counter',
                    name='producers',
                    field=models.ManyToManyField(blank=True, limit_choices_to={'kind__in': ('producer', 'cooperative')}, related_name='counters', to='organizations.organization', verbose_name='producers carried'),
                ),
            ],
        ),
    ]
