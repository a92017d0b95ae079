"""`manage.py seed_demo`: create (or reset) a demo account with ten weeks of journal.

The demo person mostly has the common, harmless pattern: calf twitches most days,
more of them on stressful and high-caffeine days, a short eyelid spell, a few night
cramps and a tired-legs day, and a daily check-in on most days. About a month ago
the twitches spread to the arms and back for two weeks, so the trends and the
pattern checks have something to show. There is no weakness in it.

The data is made by a seeded random generator, so every run builds the same journal
relative to today. `build_journal()` is also used to give load-test people a journal.
"""

import datetime
import random
import secrets
from dataclasses import dataclass
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from journal.models import DailyCheckIn, SymptomEntry, TwitchEntry, TwitchTrigger

DEMO_EMAIL = "demo@example.com"
DEMO_TIME_ZONE = "Europe/London"
DEMO_SEED = 1993
DAYS = 10 * 7

# Days before today: the stressful fortnight at work, the spreading phase, the
# eyelid spell, and the day the person started cutting caffeine and sleeping more.
STRESS_SPELL = range(58, 45, -1)
SPREAD_PHASE = range(30, 15, -1)
EYELID_SPELL = range(52, 46, -1)
HABITS_CHANGED = 21

SPREAD_PLACES = (
    ("upper_arm", 3),
    ("forearm", 2),
    ("thumb_base", 2),
    ("upper_back", 2),
    ("chest", 1),
    ("thigh_back", 2),
    ("shoulder", 1),
)
NOTES = (
    "On the sofa after work.",
    "While falling asleep.",
    "After the evening run.",
    "Sitting at my desk.",
    "Lots of little flickers in a row.",
    "Noticed it while reading.",
    "Woke up to it.",
)
DURATIONS = ((0, 4), (3, 8), (30, 3), (300, 1), (None, 3))


@dataclass
class DemoCounts:
    """How many entries of each kind a demo journal got."""

    twitches: int
    symptoms: int
    checkins: int


@dataclass
class _Day:
    """What shapes one demo day: how stressed, how much caffeine, how well slept."""

    day: datetime.date
    days_ago: int
    stress: int
    caffeine_mg: int
    sleep_hours: float
    exercise: str
    alcohol_units: float


def _weighted(rng: random.Random, pairs):
    values, weights = zip(*pairs, strict=True)
    return rng.choices(values, weights=weights)[0]


def _plan_day(rng: random.Random, day: datetime.date, days_ago: int) -> _Day:
    stressed = days_ago in STRESS_SPELL or rng.random() < 0.12
    stress = rng.choice((4, 4, 5)) if stressed else rng.choice((1, 2, 2, 3))
    if days_ago > HABITS_CHANGED:
        cups = rng.choice((2, 3, 3, 4)) + (2 if stressed else 0)
        caffeine = cups * 95 + rng.choice((0, 0, 47, 80))
        sleep = rng.choice((5.0, 5.5, 6.0)) if stressed else rng.choice((6.0, 6.5, 7.0, 7.5))
    else:
        caffeine = rng.choice((47, 95, 95, 142))
        sleep = rng.choice((7.0, 7.5, 7.5, 8.0))
    weekend = day.weekday() >= 5
    exercise = _weighted(
        rng, (("none", 3), ("light", 3), ("moderate", 2), ("hard", 2 if weekend else 1))
    )
    alcohol = rng.choice((0.0, 2.0, 3.0, 4.5)) if weekend else rng.choice((0.0, 0.0, 0.0, 1.5))
    return _Day(day, days_ago, stress, caffeine, sleep, exercise, alcohol)


def _triggers(rng: random.Random, plan: _Day) -> list[str]:
    codes = []
    if plan.caffeine_mg >= 300 and rng.random() < 0.6:
        codes.append("caffeine")
    if plan.stress >= 4 and rng.random() < 0.6:
        codes.append("stress")
    if plan.sleep_hours < 6 and rng.random() < 0.5:
        codes.append("poor_sleep")
    if plan.exercise == "hard" and rng.random() < 0.5:
        codes.append("exercise")
    if plan.alcohol_units >= 3 and rng.random() < 0.3:
        codes.append("alcohol")
    if rng.random() < 0.05:
        codes.append("dehydration")
    return codes


def _twitch_places(rng: random.Random, plan: _Day) -> list[tuple[str, str]]:
    """Where this day's twitches were felt: (location, side) pairs."""
    places = []
    if rng.random() < 0.85:
        extra = (plan.stress >= 4) + (plan.caffeine_mg >= 300) + (plan.sleep_hours < 6)
        calf_count = rng.randint(1, 2) + extra + rng.choice((0, 0, 1))
        for _ in range(calf_count):
            places.append(("calf", _weighted(rng, (("left", 7), ("right", 2), ("both", 1)))))
    if rng.random() < 0.15:
        places.append(("thigh_front", rng.choice(("left", "right"))))
    if plan.days_ago in SPREAD_PHASE:
        for _ in range(rng.randint(1, 3)):
            location = _weighted(rng, SPREAD_PLACES)
            side = (
                "centre" if location in ("upper_back", "chest") else rng.choice(("left", "right"))
            )
            places.append((location, side))
    if plan.days_ago in EYELID_SPELL:
        places.append(("eyelid", "left"))
    return places


def _moment(rng, plan: _Day, tz, now) -> datetime.datetime | None:
    """A time of day for a twitch: mostly evenings at rest, never later than now."""
    hour = _weighted(rng, ((7, 2), (9, 1), (12, 1), (15, 1), (18, 2), (20, 3), (21, 3), (22, 3)))
    moment = datetime.datetime.combine(
        plan.day, datetime.time(hour, rng.randrange(60)), tzinfo=tz
    ) + datetime.timedelta(minutes=rng.randrange(60))
    return moment if moment <= now else None


def build_journal(user, *, today: datetime.date, seed: int = DEMO_SEED) -> DemoCounts:
    """Fill `user`'s journal with ten weeks of demo entries ending on `today` (their local day)."""
    rng = random.Random(seed)
    tz = user.profile.tz
    now = timezone.now()
    twitches, twitch_triggers, checkins = [], [], []
    for days_ago in range(DAYS - 1, -1, -1):
        plan = _plan_day(rng, today - datetime.timedelta(days=days_ago), days_ago)
        for location, side in _twitch_places(rng, plan):
            moment = _moment(rng, plan, tz, now)
            if moment is None:
                continue
            twitches.append(
                TwitchEntry(
                    user=user,
                    occurred_at=moment,
                    location=location,
                    side=side,
                    duration_seconds=_weighted(rng, DURATIONS),
                    intensity=_weighted(rng, ((1, 5), (2, 4), (3, 1))),
                    notes=rng.choice(NOTES) if rng.random() < 0.08 else "",
                )
            )
            twitch_triggers.append(_triggers(rng, plan))
        # Most days have a check-in; today's is left for the person to do.
        water = ("1.0", "1.5", "1.5", "2.0") if days_ago > HABITS_CHANGED else ("2.0", "2.5")
        if days_ago > 0 and rng.random() < 0.88:
            checkins.append(
                DailyCheckIn(
                    user=user,
                    day=plan.day,
                    caffeine_mg=plan.caffeine_mg,
                    sleep_hours=Decimal(str(plan.sleep_hours)),
                    stress=plan.stress,
                    exercise=plan.exercise,
                    alcohol_units=Decimal(str(plan.alcohol_units)),
                    water_litres=Decimal(rng.choice(water)),
                )
            )
    symptoms = [
        SymptomEntry(
            user=user,
            noted_on=today - datetime.timedelta(days=days_ago),
            kind=kind,
            severity=severity,
            onset="sudden" if kind == "cramps" else "gradual",
            location=location,
            side=side,
            notes=notes,
        )
        for days_ago, kind, severity, location, side, notes in (
            (61, "cramps", 2, "calf", "left", "Woke me up at night; eased after stretching."),
            (50, "heaviness", 1, "thigh_front", "both", "Legs felt tired all day, walked fine."),
            (43, "cramps", 1, "calf", "left", ""),
            (33, "cramps", 2, "foot", "right", "Arch of the foot, at night."),
            (24, "heaviness", 1, "upper_arm", "both", "Arms felt heavy after a long week."),
            (12, "cramps", 1, "calf", "right", ""),
        )
    ]
    created = TwitchEntry.objects.bulk_create(twitches)
    TwitchTrigger.objects.bulk_create(
        TwitchTrigger(entry=entry, code=code)
        for entry, codes in zip(created, twitch_triggers, strict=True)
        for code in codes
    )
    SymptomEntry.objects.bulk_create(symptoms)
    DailyCheckIn.objects.bulk_create(checkins)
    return DemoCounts(len(created), len(symptoms), len(checkins))


class Command(BaseCommand):
    help = "Create or reset the demo account (demo@example.com) with ten weeks of journal."

    def add_arguments(self, parser):
        parser.add_argument("--password", help="Use this password instead of a random one.")

    def handle(self, *args, password=None, **options):
        password = password or secrets.token_urlsafe(12)
        User = get_user_model()
        with transaction.atomic():
            # Resetting starts from nothing: the old account and its entries go.
            User.objects.filter(username=DEMO_EMAIL).delete()
            user = User.objects.create_user(
                username=DEMO_EMAIL, email=DEMO_EMAIL, password=password
            )
            profile = user.profile
            profile.display_name = "Sam"
            profile.time_zone = DEMO_TIME_ZONE
            profile.family_history = "none"
            today = timezone.localtime(timezone.now(), profile.tz).date()
            profile.habits_changed_on = today - datetime.timedelta(days=HABITS_CHANGED)
            profile.save()
            counts = build_journal(user, today=today)
        self.stdout.write(
            self.style.SUCCESS(f"Demo account ready: {DEMO_EMAIL}") + f"\nPassword: {password}\n"
            f"{counts.twitches} twitches, {counts.symptoms} symptoms and {counts.checkins} "
            f"check-ins over the last {DAYS // 7} weeks ({DEMO_TIME_ZONE} time)."
        )
