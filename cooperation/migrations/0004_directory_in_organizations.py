"""The directory left this app for organizations: its models leave Django's state; the tables stay and belong to organizations now."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('cooperation', '0003_source_related_names'),
        ('marketplace', '0004_directory_in_organizations'),
        ('organizations', '0001_initial'),
        ('tours', '0003_directory_in_organizations'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.RemoveConstraint(
                    model_name='area',
                    name='area_unique_name',
                ),
                migrations.RemoveConstraint(
                    model_name='area',
                    name='area_weak_end_needs_weak',
                ),
                migrations.RemoveConstraint(
                    model_name='area',
                    name='area_unique_name-zh-hans',
                ),
                migrations.RemoveConstraint(
                    model_name='area',
                    name='area_unique_name-en',
                ),
                migrations.AlterField(
                    model_name='project',
                    name='area',
                    field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='projects', to='organizations.area', verbose_name='area'),
                ),
                migrations.AlterField(
                    model_name='pairing',
                    name='huairou_area',
                    field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='huairou_pairings', to='organizations.area', verbose_name='Huairou area'),
                ),
                migrations.AlterField(
                    model_name='pairing',
                    name='dongcheng_area',
                    field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='dongcheng_pairings', to='organizations.area', verbose_name='Dongcheng area'),
                ),
                migrations.RemoveField(
                    model_name='organization',
                    name='area',
                ),
                migrations.RemoveField(
                    model_name='organization',
                    name='district',
                ),
                migrations.RemoveConstraint(
                    model_name='membership',
                    name='membership_unique',
                ),
                migrations.RemoveField(
                    model_name='organization',
                    name='members',
                ),
                migrations.AlterField(
                    model_name='pairing',
                    name='dongcheng_organization',
                    field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='dongcheng_pairings', to='organizations.organization', verbose_name='Dongcheng organization'),
                ),
                migrations.AlterField(
                    model_name='project',
                    name='lead_organization',
                    field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='led_projects', to='organizations.organization', verbose_name='lead organization'),
                ),
                migrations.AlterField(
                    model_name='fundinvestment',
                    name='company',
                    field=models.ForeignKey(limit_choices_to={'kind': 'fund_company'}, on_delete=django.db.models.deletion.PROTECT, related_name='fund_investments', to='organizations.organization', verbose_name='company'),
                ),
                migrations.AlterField(
                    model_name='pairing',
                    name='huairou_organization',
                    field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='huairou_pairings', to='organizations.organization', verbose_name='Huairou organization'),
                ),
                migrations.RemoveField(
                    model_name='area',
                    name='district',
                ),
                migrations.RemoveField(
                    model_name='area',
                    name='parent',
                ),
                migrations.RemoveField(
                    model_name='membership',
                    name='organization',
                ),
                migrations.RemoveField(
                    model_name='membership',
                    name='user',
                ),
                migrations.DeleteModel(
                    name='District',
                ),
                migrations.DeleteModel(
                    name='Area',
                ),
                migrations.DeleteModel(
                    name='Organization',
                ),
                migrations.DeleteModel(
                    name='Membership',
                ),
            ],
        ),
    ]
