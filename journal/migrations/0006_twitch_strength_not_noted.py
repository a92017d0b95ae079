"""A twitch's strength may be not noted (NULL): the log form no longer fills in "visible"
for a strength the person never chose. Entries saved before keep what they hold."""

import django.core.validators
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("journal", "0005_twitch_local_time_flag_state"),
    ]

    operations = [
        migrations.AlterField(
            model_name="twitchentry",
            name="intensity",
            field=models.PositiveSmallIntegerField(
                blank=True,
                choices=[(1, "Faint"), (2, "Visible"), (3, "Strong")],
                null=True,
                validators=[
                    django.core.validators.MinValueValidator(1),
                    django.core.validators.MaxValueValidator(3),
                ],
            ),
        ),
    ]
