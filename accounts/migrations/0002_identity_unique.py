"""Usernames and e-mail addresses are unique whatever their letter case.

Sign-in ignores case, so two accounts "Alice" and "alice" could not both be
reached. Existing duplicates stop the migration with a list to resolve by hand
(rename or merge), rather than failing on an anonymous index error.
"""

import django.db.models.functions.text
from django.db import migrations, models


def refuse_duplicates(apps, schema_editor):
    from django.db.models import Count
    from django.db.models.functions import Lower

    User = apps.get_model("accounts", "User")
    clashes = []
    for field in ("username", "email"):
        rows = (
            User.objects.exclude(**{field: ""})
            .annotate(key=Lower(field))
            .values("key")
            .annotate(n=Count("pk"))
            .filter(n__gt=1)
        )
        clashes += [f"{field} {row['key']!r} ({row['n']} accounts)" for row in rows]
    if clashes:
        raise RuntimeError(
            "Accounts differ only in letter case; resolve them first: " + "; ".join(clashes)
        )


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [
        migrations.RunPython(refuse_duplicates, migrations.RunPython.noop, elidable=True),
        migrations.AddConstraint(
            model_name="user",
            constraint=models.UniqueConstraint(
                django.db.models.functions.text.Lower("username"),
                name="user_username_ci_unique",
                violation_error_message="This username or phone number cannot be used.",
            ),
        ),
        migrations.AddConstraint(
            model_name="user",
            constraint=models.UniqueConstraint(
                django.db.models.functions.text.Lower("email"),
                condition=models.Q(("email", ""), _negated=True),
                name="user_email_ci_unique",
                violation_error_message="This e-mail address cannot be used.",
            ),
        ),
    ]
