"""The journal's data: twitches, symptoms, daily check-ins, and each person's profile.

Codes (locations, sides, symptom kinds, triggers) come from body.py, which follows
RULES.md; labels are for people, codes are what is stored. Times are stored aware
in UTC; the person's time zone (Profile.time_zone) decides their local day.
"""

import datetime
import functools
import zoneinfo
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator, MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q

from . import body

NOTES_MAX_LENGTH = 2000
MAX_DURATION_SECONDS = 24 * 60 * 60
# The earliest day the journal takes anywhere (a twitch's time, a date of birth, a
# filter, an imported row): before it a year is a typing slip (1 or 0190), and further
# back a time zone offset can push a moment off the edge of the calendar.
EARLIEST_DAY = datetime.date(1900, 1, 1)
# A moment a few minutes ahead of the server's clock is a clock out of step (a phone a
# minute fast), not a mistake: the forms and the import allow it, no more.
FUTURE_TOLERANCE = datetime.timedelta(minutes=5)

# Roughly how much caffeine one serving holds, in mg: a cup of brewed coffee, a cup
# of black tea, a 250 ml can of energy drink. The check-in form states them.
CAFFEINE_MG_PER_SERVING = {"coffee": 95, "tea": 47, "energy": 80}
MAX_SERVINGS = 20
MAX_CAFFEINE_MG = 2000


def caffeine_from_servings(
    coffee_cups=None, tea_cups=None, energy_drinks=None, other_caffeine_mg=None
) -> int | None:
    """A day's caffeine in mg, from what the person entered: servings by kind (cups of
    coffee and tea, cans of energy drink, in halves if they like) and other caffeine in mg.

    None when nothing was entered: the question was not answered, which is not 0 mg.
    Rounded half up, as the check-in page's live total (JavaScript's Math.round) shows
    it. The only place caffeine mg is worked out: a check-in's save, the form's limit and
    the import all use it, so charts and rules read the same figure the person saw.
    """
    servings = {"coffee": coffee_cups, "tea": tea_cups, "energy": energy_drinks}
    if other_caffeine_mg is None and all(count is None for count in servings.values()):
        return None
    exact = Decimal(other_caffeine_mg or 0) + sum(
        Decimal(count) * CAFFEINE_MG_PER_SERVING[kind]
        for kind, count in servings.items()
        if count is not None
    )
    return int(exact.quantize(Decimal(1), rounding=ROUND_HALF_UP))


def validate_time_zone(value: str) -> None:
    """Accept only IANA time zone names this machine knows (e.g. "Europe/London")."""
    if value not in zoneinfo.available_timezones():
        raise ValidationError("Choose a time zone from the list, such as Europe/London.")


FUTURE_REASSURANCE = "This date is in the future. Enter the day the examination took place."


def validate_reassured_on(day, today) -> None:
    """Refuse a doctor's reassurance date after ``today``, the person's local date.

    RULES.md 1: forms and imports refuse a future ``reassured_on`` (the rules ignore one).
    The check needs the person's today, so callers pass it: the /flags/ form and the
    import both call this, so both give the same answer in the same words.
    """
    if day is not None and day > today:
        raise ValidationError(FUTURE_REASSURANCE, code="future")


def notes_field():
    return models.TextField(
        blank=True,
        max_length=NOTES_MAX_LENGTH,
        validators=[MaxLengthValidator(NOTES_MAX_LENGTH)],
    )


def servings_field():
    """How many servings of one kind of caffeinated drink; empty when not answered."""
    return models.DecimalField(
        max_digits=3,
        decimal_places=1,
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(MAX_SERVINGS)],
    )


class Profile(models.Model):
    """What the journal knows about the person beyond their login."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="profile"
    )
    display_name = models.CharField(max_length=80, blank=True)
    time_zone = models.CharField(max_length=64, default="UTC", validators=[validate_time_zone])
    family_history = models.CharField(
        max_length=24, choices=body.FAMILY_HISTORY_CHOICES, default="unknown"
    )
    reassured_on = models.DateField(null=True, blank=True)
    date_of_birth = models.DateField(null=True, blank=True)
    # The day the person started the lifestyle plan (caffeine, water, sleep, stress);
    # the trends page compares before and after it.
    habits_changed_on = models.DateField(null=True, blank=True)
    # What the flags were at the last save, and on which day they were worked out
    # (flagging.FlagState): a save compares against them to tell the person when it
    # made a new flag fire, without evaluating the journal twice.
    flag_levels = models.JSONField(default=dict, blank=True, editable=False)
    flags_evaluated_on = models.DateField(null=True, blank=True, editable=False)

    def __str__(self):
        return self.name

    @property
    def name(self) -> str:
        return self.display_name or self.user.email or self.user.get_username()

    @property
    def tz(self) -> zoneinfo.ZoneInfo:
        return zoneinfo.ZoneInfo(self.time_zone)

    @property
    def has_family_history(self) -> bool:
        return self.family_history in body.FAMILY_HISTORY_POSITIVE


# The columns TwitchEntry.place_in_time() sets.
PLACED_FIELDS = ("local_date", "local_hour", "utc_offset_minutes")


def placed_in_time(moment: datetime.datetime, tz: datetime.tzinfo) -> tuple:
    """The PLACED_FIELDS of a twitch at ``moment`` in ``tz``: its local date, hour and
    UTC offset in minutes (TwitchEntry.place_in_time, and the import's rows)."""
    local = moment.astimezone(tz)
    return local.date(), local.hour, int(local.utcoffset().total_seconds() // 60)


@functools.lru_cache(maxsize=256)
def _fixed_zone(offset_minutes: int) -> datetime.timezone:
    return datetime.timezone(datetime.timedelta(minutes=offset_minutes))


def logged_clock(moment: datetime.datetime, offset_minutes: int) -> datetime.datetime:
    """``moment`` on the clock it was logged on, ``offset_minutes`` from UTC
    (TwitchEntry.local_time, for reads that fetch plain values rather than entries)."""
    return moment.astimezone(_fixed_zone(offset_minutes))


class TwitchEntryQuerySet(models.QuerySet):
    def bulk_create(self, objs, *args, **kwargs):
        """Insert many twitches, each placed in time first (save() is skipped here)."""
        objs = list(objs)
        for entry in objs:
            if entry.local_date is None:
                entry.place_in_time()
        return super().bulk_create(objs, *args, **kwargs)


class TwitchEntry(models.Model):
    """One twitch (or a burst of them) felt at one place and time."""

    # No index of its own: every index below begins with the person, and each
    # write would keep a fifth one up to date for nothing.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="twitches", db_index=False
    )
    occurred_at = models.DateTimeField()
    location = models.CharField(max_length=20, choices=body.TWITCH_LOCATIONS)
    side = models.CharField(max_length=10, choices=body.SIDES, blank=True)
    duration_seconds = models.PositiveIntegerField(
        null=True,
        blank=True,
        validators=[MaxValueValidator(MAX_DURATION_SECONDS)],
        help_text="Leave empty when unknown.",
    )
    # How strong, when the person said; None when they did not choose (a quick log). A
    # strength never chosen is not a fact, so it is stored as not noted, not as a default.
    intensity = models.PositiveSmallIntegerField(
        choices=body.INTENSITIES,
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(3)],
    )
    notes = notes_field()
    # Where the person's clock stood when it happened, fixed when the entry is written
    # (RULES.md 2): the local date and hour every page groups by, and the UTC offset
    # that shows the time as it was logged. place_in_time() sets them; changing the
    # profile's time zone later leaves them be.
    local_date = models.DateField(editable=False)
    local_hour = models.PositiveSmallIntegerField(editable=False)
    utc_offset_minutes = models.SmallIntegerField(editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = TwitchEntryQuerySet.as_manager()

    class Meta:
        ordering = ["-occurred_at", "-id"]
        verbose_name_plural = "twitch entries"
        indexes = [
            # timeline.home_summary() latest twitches, exports.export_rows(), the import's
            # duplicates: WHERE user_id=? [AND occurred_at BETWEEN ? AND ?] ORDER BY occurred_at
            models.Index(fields=["user", "occurred_at"], name="twitch_user_time"),
            # history.build_history(), insights.day_rows(), location_counts(),
            # summary_numbers(), trigger_association(), timeline day counts and pages,
            # report log: WHERE user_id=? AND local_date BETWEEN ? AND ?
            # GROUP BY local_date, location [, side], read from the index alone
            models.Index(
                fields=["user", "local_date", "location", "side"], name="twitch_user_day_place"
            ),
            # insights.weekday_hour_grid(), hourly_counts(), the length and strength
            # counts: WHERE user_id=? AND local_date BETWEEN ? AND ? GROUP BY weekday,
            # local_hour (or COUNT by intensity, duration_seconds), read from the index alone
            models.Index(
                fields=["user", "local_date", "local_hour", "intensity", "duration_seconds"],
                name="twitch_user_day_hour",
            ),
            # journal filtered by place: WHERE user_id=? AND location IN (...)
            # AND local_date BETWEEN ? AND ?
            models.Index(fields=["user", "location", "local_date"], name="twitch_user_place_day"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(local_hour__gte=0) & Q(local_hour__lte=23),
                name="twitch_local_hour_0_23",
            ),
            models.CheckConstraint(
                condition=Q(intensity__gte=1) & Q(intensity__lte=3), name="twitch_intensity_1_3"
            ),
            models.CheckConstraint(
                condition=Q(duration_seconds__isnull=True)
                | (Q(duration_seconds__gte=0) & Q(duration_seconds__lte=MAX_DURATION_SECONDS)),
                name="twitch_duration_0_24h",
            ),
            models.CheckConstraint(
                condition=Q(location__in=[code for code, _ in body.TWITCH_LOCATIONS]),
                name="twitch_location_known",
            ),
        ]

    def __str__(self):
        when = self.occurred_at if self.utc_offset_minutes is None else self.local_time
        return f"{body.location_label(self.location)} at {when:%Y-%m-%d %H:%M}"

    def save(self, *args, **kwargs):
        if self.local_date is None or self.occurred_at != getattr(self, "_placed_at", None):
            self.place_in_time()
            update_fields = kwargs.get("update_fields")
            if update_fields is not None:
                kwargs["update_fields"] = {*update_fields, *PLACED_FIELDS}
        super().save(*args, **kwargs)

    @classmethod
    def from_db(cls, db, field_names, values):
        entry = super().from_db(db, field_names, values)
        entry._placed_at = entry.__dict__.get("occurred_at")
        return entry

    def place_in_time(self, tz: datetime.tzinfo | None = None) -> None:
        """Fix the local date, hour and offset of ``occurred_at`` in ``tz``.

        ``tz`` is the person's time zone now (Profile.time_zone) unless given: an import
        passes the offset its file wrote. The one place these columns are set on an
        entry (``placed_in_time`` works them out): save() calls it when the time is new
        or changed, and bulk_create() for every entry not placed yet; the import writes
        its rows' own ``placed_in_time`` without making entries.
        """
        self.local_date, self.local_hour, self.utc_offset_minutes = placed_in_time(
            self.occurred_at, tz or self.user.profile.tz
        )
        self._placed_at = self.occurred_at

    @property
    def local_time(self) -> datetime.datetime:
        """When it happened, on the clock where the person was when it was logged."""
        return logged_clock(self.occurred_at, self.utc_offset_minutes)

    @property
    def trigger_codes(self) -> list[str]:
        """Trigger codes in vocabulary order (uses prefetched rows when present)."""
        codes = {row.code for row in self.trigger_rows.all()}
        return [code for code, _ in body.TRIGGERS if code in codes]

    def set_triggers(self, codes, *, new: bool = False) -> None:
        """Replace this entry's triggers with `codes` (the entry must be saved).

        ``new`` says the entry was created just now and has no triggers yet: only the
        insert is left to do, without looking for triggers to remove or keep.
        """
        codes = set(codes)
        existing = set()
        if not new:
            self.trigger_rows.exclude(code__in=codes).delete()
            existing = set(self.trigger_rows.values_list("code", flat=True))
        TwitchTrigger.objects.bulk_create(
            [TwitchTrigger(entry=self, code=code) for code in sorted(codes - existing)]
        )


class TwitchTrigger(models.Model):
    """A suspected trigger of one twitch entry: one row per (entry, trigger).

    A row per trigger, rather than a list in one column, lets SQLite and PostgreSQL
    alike count twitches by trigger with a plain JOIN and GROUP BY.
    """

    # Found by its entry through the (entry, code) constraint's index: every read joins
    # from the entries (insights.trigger_association(), timeline, the report, the export).
    entry = models.ForeignKey(
        TwitchEntry, on_delete=models.CASCADE, related_name="trigger_rows", db_index=False
    )
    code = models.CharField(max_length=20, choices=body.TRIGGERS)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["entry", "code"], name="trigger_once_per_entry"),
        ]

    def __str__(self):
        return self.get_code_display()


class SymptomEntry(models.Model):
    """A related symptom on a given day (weakness, numbness, speech change...)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="symptoms"
    )
    noted_on = models.DateField()
    kind = models.CharField(max_length=24, choices=body.SYMPTOM_KINDS)
    severity = models.PositiveSmallIntegerField(
        choices=body.SEVERITIES, default=1, validators=[MinValueValidator(1), MaxValueValidator(3)]
    )
    onset = models.CharField(max_length=10, choices=body.ONSETS, default="gradual")
    location = models.CharField(max_length=20, choices=body.LOCATIONS, blank=True)
    side = models.CharField(max_length=10, choices=body.SIDES, blank=True)
    notes = notes_field()
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-noted_on", "-id"]
        verbose_name_plural = "symptom entries"
        indexes = [
            # journal timeline, history.py, insights symptom days:
            # WHERE user_id=? AND noted_on BETWEEN ? AND ?
            models.Index(fields=["user", "noted_on"], name="symptom_user_day"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(severity__gte=1) & Q(severity__lte=3), name="symptom_severity_1_3"
            ),
            models.CheckConstraint(
                condition=Q(kind__in=[code for code, _ in body.SYMPTOM_KINDS]),
                name="symptom_kind_known",
            ),
            models.CheckConstraint(
                condition=Q(onset__in=[code for code, _ in body.ONSETS]), name="symptom_onset_known"
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} on {self.noted_on:%Y-%m-%d}"


# A check-in's fields for caffeine as entered: servings by kind, then other mg.
SERVING_FIELDS = ("coffee_cups", "tea_cups", "energy_drinks")
CAFFEINE_FIELDS = (*SERVING_FIELDS, "other_caffeine_mg")


def _nothing_entered() -> dict:
    return {f"{name}__isnull": True for name in CAFFEINE_FIELDS}


class DailyCheckIn(models.Model):
    """One short daily check-in: caffeine, sleep, stress, exercise, alcohol, water."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="checkins"
    )
    day = models.DateField()
    # What the person entered for caffeine, kept as entered so the form shows it back.
    coffee_cups = servings_field()
    tea_cups = servings_field()
    energy_drinks = servings_field()
    other_caffeine_mg = models.PositiveIntegerField(
        null=True, blank=True, validators=[MaxValueValidator(MAX_CAFFEINE_MG)]
    )
    # Worked out from the four above on every save (caffeine_from_servings): the figure
    # charts, the report and the rules read.
    caffeine_mg = models.PositiveIntegerField(
        null=True, blank=True, validators=[MaxValueValidator(MAX_CAFFEINE_MG)]
    )
    sleep_hours = models.DecimalField(
        max_digits=3,
        decimal_places=1,
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(24)],
    )
    stress = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    exercise = models.CharField(max_length=10, choices=body.EXERCISE_LEVELS, blank=True)
    alcohol_units = models.DecimalField(
        max_digits=4,
        decimal_places=1,
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )
    water_litres = models.DecimalField(
        max_digits=3,
        decimal_places=1,
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(20)],
    )
    notes = notes_field()
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-day"]
        constraints = [
            # Also serves the journal and insights: WHERE user_id=? AND day BETWEEN ? AND ?
            models.UniqueConstraint(fields=["user", "day"], name="checkin_one_per_day"),
            models.CheckConstraint(
                condition=Q(caffeine_mg__isnull=True) | Q(caffeine_mg__lte=MAX_CAFFEINE_MG),
                name="checkin_caffeine_0_2000",
            ),
            *(
                models.CheckConstraint(
                    condition=Q(**{f"{name}__isnull": True})
                    | (Q(**{f"{name}__gte": 0}) & Q(**{f"{name}__lte": MAX_SERVINGS})),
                    name=f"checkin_{name}_0_{MAX_SERVINGS}",
                )
                for name in SERVING_FIELDS
            ),
            models.CheckConstraint(
                condition=Q(other_caffeine_mg__isnull=True)
                | Q(other_caffeine_mg__lte=MAX_CAFFEINE_MG),
                name="checkin_other_caffeine_0_2000",
            ),
            # The total is there exactly when something was entered to work it out from.
            models.CheckConstraint(
                condition=Q(caffeine_mg__isnull=True, **_nothing_entered())
                | (Q(caffeine_mg__isnull=False) & ~Q(**_nothing_entered())),
                name="checkin_caffeine_from_servings",
            ),
            models.CheckConstraint(
                condition=Q(sleep_hours__isnull=True)
                | (Q(sleep_hours__gte=0) & Q(sleep_hours__lte=24)),
                name="checkin_sleep_0_24",
            ),
            models.CheckConstraint(
                condition=Q(stress__isnull=True) | (Q(stress__gte=1) & Q(stress__lte=5)),
                name="checkin_stress_1_5",
            ),
            models.CheckConstraint(
                condition=Q(alcohol_units__isnull=True)
                | (Q(alcohol_units__gte=0) & Q(alcohol_units__lte=100)),
                name="checkin_alcohol_0_100",
            ),
            models.CheckConstraint(
                condition=Q(water_litres__isnull=True)
                | (Q(water_litres__gte=0) & Q(water_litres__lte=20)),
                name="checkin_water_0_20",
            ),
        ]

    def __str__(self):
        return f"Check-in {self.day:%Y-%m-%d}"

    def save(self, *args, **kwargs):
        self.count_caffeine()
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and set(update_fields) & set(CAFFEINE_FIELDS):
            kwargs["update_fields"] = {*update_fields, "caffeine_mg"}
        super().save(*args, **kwargs)

    def count_caffeine(self) -> None:
        """Set caffeine_mg from what was entered. save() does it; a bulk insert, which
        skips save(), calls it for each check-in."""
        self.caffeine_mg = caffeine_from_servings(
            **{name: getattr(self, name) for name in CAFFEINE_FIELDS}
        )


class PendingImport(models.Model):
    """A checked import waiting for its owner to confirm or cancel it (exports.pending)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="pending_import"
    )
    token = models.CharField(max_length=64)
    created_at = models.DateTimeField()
    # The checked rows and profile, as the JSON text exports.pending writes.
    checked = models.TextField()

    class Meta:
        indexes = [
            # exports.pending.keep(): DELETE WHERE created_at < ? (expired previews)
            models.Index(fields=["created_at"], name="pending_import_created"),
        ]

    def __str__(self):
        return f"Import waiting since {self.created_at:%Y-%m-%d %H:%M}"


class OneTimeKey(models.Model):
    """The key one save was made with, so that the same save sent again writes nothing.

    Every entry form carries a key rendered with it, and an API request may send one in
    its ``Idempotency-Key`` header (journal.once). The first save claims the key in the
    transaction that writes the entry; a second request with the key finds the entry the
    first one saved instead of saving another. ``manage.py purge`` removes old keys.
    """

    class Kind(models.TextChoices):
        TWITCH = "twitch", "Twitch"
        SYMPTOM = "symptom", "Symptom"
        CHECKIN = "checkin", "Check-in"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="one_time_keys"
    )
    # "form-" and a digest of the form's key with what it sent, or "api-" and the header.
    key = models.CharField(max_length=120)
    # A digest of the API request the key first came with; empty for forms.
    fingerprint = models.CharField(max_length=64, blank=True)
    kind = models.CharField(max_length=10, choices=Kind.choices)
    entry_id = models.BigIntegerField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            # Also serves once.earlier(): WHERE user_id=? AND key=?
            models.UniqueConstraint(fields=["user", "key"], name="one_time_key_once_per_person"),
            models.CheckConstraint(
                condition=Q(kind__in=["twitch", "symptom", "checkin"]),
                name="one_time_key_kind_known",
            ),
        ]
        indexes = [
            # purge: DELETE WHERE created_at < ?
            models.Index(fields=["created_at"], name="one_time_key_created"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.entry_id} saved once"
