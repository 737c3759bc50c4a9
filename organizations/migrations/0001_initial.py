"""The directory moved here from cooperation: the tables stay (cooperation_*), only Django's state moves, and the content types follow (so permissions and admin history keep pointing at the same rows)."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

MODELS = ("district", "area", "organization", "membership")


def content_types_follow(apps, schema_editor):
    """Existing databases: the four models' content types (and with them every
    permission and admin log entry) now belong to this app. A fresh database has
    none yet: they are created for this app after the migrations."""
    ContentType = apps.get_model("contenttypes", "ContentType")
    ContentType.objects.using(schema_editor.connection.alias).filter(
        app_label="cooperation", model__in=MODELS
    ).update(app_label="organizations")


def content_types_return(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    ContentType.objects.using(schema_editor.connection.alias).filter(
        app_label="organizations", model__in=MODELS
    ).update(app_label="cooperation")


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('contenttypes', '0002_remove_content_type_name'),
        ('cooperation', '0003_source_related_names'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.CreateModel(
                    name='District',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('code', models.SlugField(unique=True, verbose_name='code')),
                        ('name', models.CharField(max_length=100, verbose_name='name')),
                        ('name_zh_hans', models.CharField(max_length=100, null=True, verbose_name='name')),
                        ('name_en', models.CharField(max_length=100, null=True, verbose_name='name')),
                        ('description', models.TextField(blank=True, verbose_name='description')),
                        ('description_zh_hans', models.TextField(blank=True, null=True, verbose_name='description')),
                        ('description_en', models.TextField(blank=True, null=True, verbose_name='description')),
                        ('role', models.CharField(choices=[('supporting', 'supporting'), ('supported', 'supported')], max_length=20, verbose_name='role')),
                    ],
                    options={
                        'verbose_name': 'district',
                        'verbose_name_plural': 'districts',
                        'db_table': 'cooperation_district',
                        'ordering': ['pk'],
                    },
                ),
                migrations.CreateModel(
                    name='Area',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('is_demo', models.BooleanField(default=False, help_text='Invented for the demo, not from the report.', verbose_name='demo data')),
                        ('kind', models.CharField(choices=[('town', 'town'), ('township', 'township'), ('subdistrict', 'sub-district'), ('village', 'village')], max_length=20, verbose_name='kind')),
                        ('name', models.CharField(max_length=100, verbose_name='name')),
                        ('name_zh_hans', models.CharField(max_length=100, null=True, verbose_name='name')),
                        ('name_en', models.CharField(max_length=100, null=True, verbose_name='name')),
                        ('latitude', models.DecimalField(blank=True, decimal_places=6, max_digits=9, null=True, verbose_name='latitude')),
                        ('longitude', models.DecimalField(blank=True, decimal_places=6, max_digits=9, null=True, verbose_name='longitude')),
                        ('collectively_weak', models.BooleanField(default=False, help_text='集体经济薄弱村 when the cooperation began.', verbose_name='collectively weak village')),
                        ('weak_status_ended', models.PositiveSmallIntegerField(blank=True, help_text='The year the village left weak status (脱薄).', null=True, verbose_name='year weak status ended')),
                        ('parent', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='children', to='organizations.area', verbose_name='part of')),
                        ('district', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='areas', to='organizations.district', verbose_name='district')),
                    ],
                    options={
                        'verbose_name': 'area',
                        'verbose_name_plural': 'areas',
                        'db_table': 'cooperation_area',
                        'ordering': ['district', 'kind', 'name'],
                    },
                ),
                migrations.CreateModel(
                    name='Membership',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('role', models.CharField(choices=[('manager', 'manager'), ('staff', 'staff')], default='staff', max_length=20, verbose_name='role')),
                        ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='since')),
                        ('user', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='memberships', to=settings.AUTH_USER_MODEL, verbose_name='user')),
                    ],
                    options={
                        'verbose_name': 'membership',
                        'verbose_name_plural': 'memberships',
                        'db_table': 'cooperation_membership',
                    },
                ),
                migrations.CreateModel(
                    name='Organization',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('is_demo', models.BooleanField(default=False, help_text='Invented for the demo, not from the report.', verbose_name='demo data')),
                        ('slug', models.SlugField(max_length=80, unique=True, verbose_name='slug')),
                        ('name', models.CharField(max_length=200, verbose_name='name')),
                        ('name_zh_hans', models.CharField(max_length=200, null=True, verbose_name='name')),
                        ('name_en', models.CharField(max_length=200, null=True, verbose_name='name')),
                        ('kind', models.CharField(choices=[('school', 'school'), ('kindergarten', 'kindergarten'), ('hospital', 'hospital'), ('health_centre', 'community health centre'), ('chamber', 'chamber of commerce'), ('village_collective', 'village collective'), ('producer', 'producer'), ('cooperative', 'cooperative'), ('support_centre', 'consumption-support centre'), ('tour_operator', 'tour operator'), ('fund_company', 'fund company'), ('government', 'government body'), ('supermarket', 'supermarket'), ('restaurant', 'restaurant')], db_index=True, max_length=30, verbose_name='kind')),
                        ('description', models.TextField(blank=True, verbose_name='description')),
                        ('description_zh_hans', models.TextField(blank=True, null=True, verbose_name='description')),
                        ('description_en', models.TextField(blank=True, null=True, verbose_name='description')),
                        ('website', models.URLField(blank=True, verbose_name='website')),
                        ('phone', models.CharField(blank=True, max_length=30, verbose_name='phone')),
                        ('email', models.EmailField(blank=True, max_length=254, verbose_name='e-mail')),
                        ('area', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='organizations', to='organizations.area', verbose_name='area')),
                        ('district', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='organizations', to='organizations.district', verbose_name='district')),
                        ('members', models.ManyToManyField(related_name='organizations', through='organizations.Membership', to=settings.AUTH_USER_MODEL, verbose_name='members')),
                    ],
                    options={
                        'verbose_name': 'organization',
                        'verbose_name_plural': 'organizations',
                        'db_table': 'cooperation_organization',
                        'ordering': ['name'],
                    },
                ),
                migrations.AddField(
                    model_name='membership',
                    name='organization',
                    field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='memberships', to='organizations.organization', verbose_name='organization'),
                ),
                migrations.AddConstraint(
                    model_name='area',
                    constraint=models.UniqueConstraint(fields=('district', 'kind', 'name'), name='area_unique_name'),
                ),
                migrations.AddConstraint(
                    model_name='area',
                    constraint=models.CheckConstraint(condition=models.Q(('weak_status_ended__isnull', True), ('collectively_weak', True), _connector='OR'), name='area_weak_end_needs_weak'),
                ),
                migrations.AddConstraint(
                    model_name='area',
                    constraint=models.UniqueConstraint(fields=('district', 'kind', 'name_zh_hans'), name='area_unique_name-zh-hans'),
                ),
                migrations.AddConstraint(
                    model_name='area',
                    constraint=models.UniqueConstraint(fields=('district', 'kind', 'name_en'), name='area_unique_name-en'),
                ),
                migrations.AddConstraint(
                    model_name='membership',
                    constraint=models.UniqueConstraint(fields=('user', 'organization'), name='membership_unique'),
                ),
            ],
        ),
        migrations.RunPython(content_types_follow, content_types_return),
]
