"""Each twitch keeps the local date, hour and UTC offset it was logged with (RULES.md 2),
and each profile the flags of its last save.

Existing twitches are placed in their person's current time zone: the best guess there
is, and the zone every page used for them until now. The rows are read and written a
batch at a time, so the migration needs little memory on a large journal.
"""

import zoneinfo

from django.db import migrations, models
from django.db.models import Q

BATCH_SIZE = 2000


def place_existing_twitches(apps, schema_editor):
    TwitchEntry = apps.get_model("journal", "TwitchEntry")
    Profile = apps.get_model("journal", "Profile")
    db = schema_editor.connection.alias
    zones = dict(Profile.objects.using(db).values_list("user_id", "time_zone"))
    last_id = 0
    while True:
        batch = list(
            TwitchEntry.objects.using(db)
            .filter(id__gt=last_id)
            .order_by("id")
            .only("id", "user_id", "occurred_at")[:BATCH_SIZE]
        )
        if not batch:
            return
        for entry in batch:
            tz = zoneinfo.ZoneInfo(zones.get(entry.user_id, "UTC"))
            local = entry.occurred_at.astimezone(tz)
            entry.local_date = local.date()
            entry.local_hour = local.hour
            entry.utc_offset_minutes = int(local.utcoffset().total_seconds() // 60)
        TwitchEntry.objects.using(db).bulk_update(
            batch, ["local_date", "local_hour", "utc_offset_minutes"]
        )
        last_id = batch[-1].id


class Migration(migrations.Migration):
    # 0005 (one-time keys) reached main first; following it keeps one line of migrations.
    dependencies = [
        ("journal", "0004_onetimekey"),
    ]

    operations = [
        migrations.AddField(
            model_name="twitchentry",
            name="local_date",
            field=models.DateField(editable=False, null=True),
        ),
        migrations.AddField(
            model_name="twitchentry",
            name="local_hour",
            field=models.PositiveSmallIntegerField(editable=False, null=True),
        ),
        migrations.AddField(
            model_name="twitchentry",
            name="utc_offset_minutes",
            field=models.SmallIntegerField(editable=False, null=True),
        ),
        migrations.RunPython(place_existing_twitches, migrations.RunPython.noop, elidable=True),
        migrations.AlterField(
            model_name="twitchentry",
            name="local_date",
            field=models.DateField(editable=False),
        ),
        migrations.AlterField(
            model_name="twitchentry",
            name="local_hour",
            field=models.PositiveSmallIntegerField(editable=False),
        ),
        migrations.AlterField(
            model_name="twitchentry",
            name="utc_offset_minutes",
            field=models.SmallIntegerField(editable=False),
        ),
        migrations.RemoveIndex(
            model_name="twitchentry",
            name="twitch_user_loc_time",
        ),
        migrations.AddIndex(
            model_name="twitchentry",
            index=models.Index(
                fields=["user", "local_date", "location", "side"], name="twitch_user_day_place"
            ),
        ),
        migrations.AddIndex(
            model_name="twitchentry",
            index=models.Index(
                fields=["user", "local_date", "local_hour", "intensity", "duration_seconds"],
                name="twitch_user_day_hour",
            ),
        ),
        migrations.AddIndex(
            model_name="twitchentry",
            index=models.Index(fields=["user", "location", "local_date"], name="twitch_user_place_day"),
        ),
        migrations.AddConstraint(
            model_name="twitchentry",
            constraint=models.CheckConstraint(
                condition=Q(local_hour__gte=0) & Q(local_hour__lte=23),
                name="twitch_local_hour_0_23",
            ),
        ),
        migrations.AddField(
            model_name="profile",
            name="flag_levels",
            field=models.JSONField(blank=True, default=dict, editable=False),
        ),
        migrations.AddField(
            model_name="profile",
            name="flags_evaluated_on",
            field=models.DateField(blank=True, editable=False, null=True),
        ),
    ]
