"""Check-ins keep the caffeine the person entered: cups of coffee and tea, energy drinks
and other mg. caffeine_mg is worked out from them from now on.

A check-in saved before this knows only its total, which becomes its "other mg": the
form shows that total back and every figure stays as it was.
"""

import django.core.validators
from django.db import migrations, models
from django.db.models import F


def servings_field():
    return models.DecimalField(
        blank=True,
        decimal_places=1,
        max_digits=3,
        null=True,
        validators=[
            django.core.validators.MinValueValidator(0),
            django.core.validators.MaxValueValidator(20),
        ],
    )


def totals_become_other_mg(apps, schema_editor):
    DailyCheckIn = apps.get_model("journal", "DailyCheckIn")
    DailyCheckIn.objects.filter(caffeine_mg__isnull=False).update(
        other_caffeine_mg=F("caffeine_mg")
    )


def servings_0_20(name):
    return models.Q((f"{name}__isnull", True)) | models.Q((f"{name}__gte", 0), (f"{name}__lte", 20))


NOTHING_ENTERED = (
    ("coffee_cups__isnull", True),
    ("energy_drinks__isnull", True),
    ("other_caffeine_mg__isnull", True),
    ("tea_cups__isnull", True),
)


class Migration(migrations.Migration):
    dependencies = [
        ("journal", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="dailycheckin", name="coffee_cups", field=servings_field()
        ),
        migrations.AddField(model_name="dailycheckin", name="tea_cups", field=servings_field()),
        migrations.AddField(
            model_name="dailycheckin", name="energy_drinks", field=servings_field()
        ),
        migrations.AddField(
            model_name="dailycheckin",
            name="other_caffeine_mg",
            field=models.PositiveIntegerField(
                blank=True,
                null=True,
                validators=[django.core.validators.MaxValueValidator(2000)],
            ),
        ),
        migrations.RunPython(totals_become_other_mg, migrations.RunPython.noop),
        *(
            migrations.AddConstraint(
                model_name="dailycheckin",
                constraint=models.CheckConstraint(
                    condition=servings_0_20(name), name=f"checkin_{name}_0_20"
                ),
            )
            for name in ("coffee_cups", "tea_cups", "energy_drinks")
        ),
        migrations.AddConstraint(
            model_name="dailycheckin",
            constraint=models.CheckConstraint(
                condition=models.Q(("other_caffeine_mg__isnull", True))
                | models.Q(("other_caffeine_mg__lte", 2000)),
                name="checkin_other_caffeine_0_2000",
            ),
        ),
        migrations.AddConstraint(
            model_name="dailycheckin",
            constraint=models.CheckConstraint(
                condition=models.Q(("caffeine_mg__isnull", True), *NOTHING_ENTERED)
                | models.Q(
                    ("caffeine_mg__isnull", False), models.Q(*NOTHING_ENTERED, _negated=True)
                ),
                name="checkin_caffeine_from_servings",
            ),
        ),
    ]
