"""Made-up journals that read like real ones, for the demo, the benchmark and the load test.

``build_journal`` fills one person's journal: ``days`` days up to their today, with
exactly ``twitches`` twitches (the density), ``symptoms`` symptoms and a check-in on
``checkins`` of the days. Each day gets a plan first (how stressed the person was,
how much caffeine, how well they slept, how much they exercised and drank); busier
days bring more twitches, and the triggers noted on a twitch follow that day's plan.
A ``Pattern`` says what kind of journal it is: where the twitches are usually felt
and on which side, which symptoms come up, spells of days that differ (a stressful
fortnight, a spreading phase), and a day the person changed their habits.

Everything is drawn from the random generator passed in, so a seeded generator
builds the same journal relative to today on every run.
"""

from __future__ import annotations

import random
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.utils import timezone

from journal import body
from journal.models import (
    DailyCheckIn,
    SymptomEntry,
    TwitchEntry,
    TwitchTrigger,
    caffeine_from_servings,
)

BATCH_SIZE = 2_000

# Waking hours, busier in the evening when people sit still and notice.
HOUR_WEIGHTS = (1, 1, 1, 1, 1, 1, 2, 4, 5, 5, 5, 5, 5, 5, 5, 5, 6, 6, 7, 8, 9, 9, 7, 3)
# Most lengths are the log form's one-tap presets; a few are typed in seconds.
DURATION_WEIGHTS = {None: 3, 0: 4, 3: 8, 30: 3, 300: 1, 10: 1, 60: 1, 120: 1}
INTENSITY_WEIGHTS = {1: 50, 2: 38, 3: 12}
NOTES = (
    "On the sofa after work.",
    "While falling asleep.",
    "After the evening run.",
    "Sitting at my desk.",
    "Lots of little flickers in a row.",
    "Noticed it while reading.",
    "Woke up to it.",
    "Third coffee of the day.",
    "During a stressful meeting.",
)
NOTE_SHARE = 0.06
SYMPTOM_NOTES = {
    "cramps": ("Woke me up at night; eased after stretching.", "Arch of the foot, at night."),
    "heaviness": ("Legs felt tired all day, walked fine.", "Arms felt heavy after a long week."),
}
# Symptoms that are felt at one place; the others (speech, breathing...) have none.
_LOCATED_SYMPTOMS = frozenset({"weakness", "muscle_loss", "numbness_tingling", "cramps"})
# A week's level of activity, for patterns with busy and calm weeks.
WEEK_LEVELS = (0.2, 0.6, 1.0, 1.0, 1.4, 1.8)
# Any trigger a person may note beside those their day explains, and how often.
TRIGGER_WEIGHTS = {
    "caffeine": 8,
    "stress": 8,
    "poor_sleep": 6,
    "exercise": 6,
    "fatigue": 4,
    "dehydration": 3,
    "alcohol": 2,
    "cold": 2,
    "skipped_meal": 1,
    "nicotine": 1,
    "medication": 1,
    "illness": 1,
}


@dataclass(frozen=True)
class Spell:
    """A run of days, counted back from today, that differs from the person's usual.

    On those days a ``share`` of the twitches is felt at ``places`` (weighted), and
    the person is stressed when ``stressed`` says so.
    """

    days_ago: range
    places: Mapping[str, int] = field(default_factory=dict)
    share: float = 0.0
    stressed: bool = False


@dataclass(frozen=True)
class Pattern:
    """What kind of journal a person keeps."""

    places: Mapping[str, int]  # where twitches are usually felt, weighted
    sides: Mapping[str, int]  # the side of a place that has one ("" for not given)
    symptoms: Mapping[str, int]  # which symptoms come up, weighted
    noted_triggers: Mapping[int, int]  # how many more triggers a twitch gets, weighted
    spells: tuple[Spell, ...] = ()
    busy_weeks: bool = False  # weeks of more and of fewer twitches, the newest busy
    habits_changed: int | None = None  # days ago: less caffeine and more sleep since


@dataclass(frozen=True)
class Counts:
    """How many entries of each kind a journal got."""

    twitches: int
    triggers: int
    symptoms: int
    checkins: int


@dataclass(frozen=True)
class _Servings:
    """The caffeinated drinks of a day, as the person would enter them at /checkin/."""

    coffee: int = 0
    tea: int = 0
    energy: int = 0

    def entered(self) -> dict:
        """The check-in's fields, a drink not had left empty as a person leaves it."""
        counts = {"coffee_cups": self.coffee, "tea_cups": self.tea, "energy_drinks": self.energy}
        return {name: Decimal(count) if count else None for name, count in counts.items()}


@dataclass(frozen=True)
class _Plan:
    """What shapes one day: stress, caffeine, sleep, exercise, alcohol, water."""

    day: date
    days_ago: int
    stress: int
    caffeine: _Servings
    sleep_hours: float
    exercise: str
    alcohol_units: float
    water_litres: str

    @property
    def caffeine_mg(self) -> int:
        return caffeine_from_servings(**self.caffeine.entered())

    @property
    def weight(self) -> float:
        """How busy the day is for twitches: stress, caffeine and short sleep add up."""
        return (
            1
            + 0.8 * (self.stress >= 4)
            + 0.5 * (self.caffeine_mg >= 300)
            + 0.4 * (self.sleep_hours < 6)
        )


def _weighted(rng: random.Random, weights: Mapping):
    return rng.choices(tuple(weights), weights=tuple(weights.values()))[0]


def _spells_on(pattern: Pattern, days_ago: int) -> list[Spell]:
    return [spell for spell in pattern.spells if days_ago in spell.days_ago]


def _plan_day(rng: random.Random, pattern: Pattern, day: date, days_ago: int) -> _Plan:
    spells = _spells_on(pattern, days_ago)
    stressed = any(spell.stressed for spell in spells) or rng.random() < 0.12
    stress = rng.choice((4, 4, 5)) if stressed else rng.choice((1, 2, 2, 3))
    changed = pattern.habits_changed is not None and days_ago <= pattern.habits_changed
    if changed:
        caffeine = rng.choice(
            (_Servings(tea=1), _Servings(coffee=1), _Servings(coffee=1), _Servings(1, 1))
        )
        sleep = rng.choice((7.0, 7.5, 7.5, 8.0))
        water = rng.choice(("2.0", "2.5"))
    else:
        cups = rng.choice((2, 3, 3, 4)) + (2 if stressed else 0)
        extra = rng.choice((_Servings(), _Servings(), _Servings(tea=1), _Servings(energy=1)))
        caffeine = _Servings(cups, extra.tea, extra.energy)
        sleep = rng.choice((5.0, 5.5, 6.0)) if stressed else rng.choice((6.0, 6.5, 7.0, 7.5))
        water = rng.choice(("1.0", "1.5", "1.5", "2.0"))
    weekend = day.weekday() >= 5
    exercise = _weighted(rng, {"none": 3, "light": 3, "moderate": 2, "hard": 2 if weekend else 1})
    alcohol = rng.choice((0.0, 2.0, 3.0, 4.5)) if weekend else rng.choice((0.0, 0.0, 0.0, 1.5))
    return _Plan(day, days_ago, stress, caffeine, sleep, exercise, alcohol, water)


def _spread(total: int, weights: list[float], rng: random.Random) -> list[int]:
    """``total`` split over the days in proportion to their weights, exactly: each day
    gets its share rounded up or down (systematic sampling from a random start)."""
    scale = total / sum(weights)
    running = rng.random()
    counts, before = [], int(running)
    for weight in weights:
        running += weight * scale
        counts.append(int(running) - before)
        before = int(running)
    return counts


def _triggers(rng: random.Random, pattern: Pattern, plan: _Plan) -> list[str]:
    """The triggers noted on one twitch: what the day explains, and sometimes more."""
    codes = set()
    if plan.caffeine_mg >= 300 and rng.random() < 0.6:
        codes.add("caffeine")
    if plan.stress >= 4 and rng.random() < 0.6:
        codes.add("stress")
    if plan.sleep_hours < 6 and rng.random() < 0.5:
        codes.add("poor_sleep")
    if plan.exercise == "hard" and rng.random() < 0.5:
        codes.add("exercise")
    if plan.alcohol_units >= 3 and rng.random() < 0.3:
        codes.add("alcohol")
    for _ in range(_weighted(rng, pattern.noted_triggers)):
        codes.add(_weighted(rng, TRIGGER_WEIGHTS))
    return sorted(codes)


def _place(rng: random.Random, pattern: Pattern, days_ago: int) -> tuple[str, str]:
    places = pattern.places
    for spell in _spells_on(pattern, days_ago):
        if spell.places and rng.random() < spell.share:
            places = spell.places
            break
    location = _weighted(rng, places)
    if location in body.MIDLINE_LOCATIONS or location == body.ALL_OVER:
        return location, rng.choice(("centre", ""))
    return location, _weighted(rng, pattern.sides)


def _moment(rng: random.Random, plan: _Plan, tz, now: datetime) -> datetime:
    """A time on the plan's day, mostly in the evening; never later than now."""
    hour = rng.choices(range(24), weights=HOUR_WEIGHTS)[0]
    local = datetime.combine(plan.day, time(hour, rng.randrange(60), rng.randrange(60)), tzinfo=tz)
    if local <= now:
        return local
    # Later today has not happened yet: some time earlier today instead.
    midnight = datetime.combine(plan.day, time.min, tzinfo=tz)
    return midnight + (now - midnight) * rng.random()


def _twitches(rng, user, pattern: Pattern, plans: list[_Plan], count: int, tz):
    weights = [plan.weight for plan in plans]
    if pattern.busy_weeks:
        levels = [rng.choice(WEEK_LEVELS) for _ in range(len(plans) // 7 + 1)]
        levels[0] = 1.4
        weights = [w * levels[plan.days_ago // 7] for w, plan in zip(weights, plans, strict=True)]
    now = timezone.now()
    entries, trigger_codes = [], []
    for plan, day_count in zip(plans, _spread(count, weights, rng), strict=True):
        for _ in range(day_count):
            location, side = _place(rng, pattern, plan.days_ago)
            entries.append(
                TwitchEntry(
                    user=user,
                    occurred_at=_moment(rng, plan, tz, now),
                    location=location,
                    side=side,
                    duration_seconds=_weighted(rng, DURATION_WEIGHTS),
                    intensity=_weighted(rng, INTENSITY_WEIGHTS),
                    notes=rng.choice(NOTES) if rng.random() < NOTE_SHARE else "",
                )
            )
            trigger_codes.append(_triggers(rng, pattern, plan))
    return entries, trigger_codes


def _symptoms(rng, user, pattern: Pattern, plans: list[_Plan], count: int) -> list:
    places = [code for code in pattern.places if code != body.ALL_OVER]
    symptoms = []
    for _ in range(count):
        plan = rng.choice(plans)
        kind = _weighted(rng, pattern.symptoms)
        location = rng.choice(places) if kind in _LOCATED_SYMPTOMS else ""
        side = ""
        if location and location not in body.MIDLINE_LOCATIONS:
            side = rng.choice(("left", "right", "both"))
        notes = SYMPTOM_NOTES.get(kind, ())
        symptoms.append(
            SymptomEntry(
                user=user,
                noted_on=plan.day,
                kind=kind,
                severity=rng.choices((1, 2, 3), weights=(70, 25, 5))[0],
                onset="sudden" if kind == "cramps" else "gradual",
                location=location,
                side=side,
                notes=rng.choice(notes) if notes and rng.random() < 0.5 else "",
            )
        )
    return symptoms


def _checkins(rng, user, plans: list[_Plan], count: int) -> list:
    # Today's check-in is left for the person to do.
    past = [plan for plan in plans if plan.days_ago > 0]
    return [
        DailyCheckIn(
            user=user,
            day=plan.day,
            caffeine_mg=plan.caffeine_mg,
            **plan.caffeine.entered(),
            sleep_hours=Decimal(str(plan.sleep_hours)),
            stress=plan.stress,
            exercise=plan.exercise,
            alcohol_units=Decimal(str(plan.alcohol_units)),
            water_litres=Decimal(plan.water_litres),
        )
        for plan in sorted(rng.sample(past, min(count, len(past))), key=lambda p: p.day)
    ]


def build_journal(
    user,
    pattern: Pattern,
    *,
    today: date,
    days: int,
    twitches: int,
    symptoms: int,
    checkins: int,
    rng: random.Random,
) -> Counts:
    """Fill ``user``'s journal with ``days`` days up to ``today`` (their local day):
    exactly ``twitches`` twitches and ``symptoms`` symptoms, and a check-in on
    ``checkins`` of the days before today. Written in a few bulk inserts."""
    tz = user.profile.tz
    plans = [
        _plan_day(rng, pattern, today - timedelta(days=days_ago), days_ago)
        for days_ago in range(days - 1, -1, -1)
    ]
    entries, trigger_codes = _twitches(rng, user, pattern, plans, twitches, tz)
    entries = TwitchEntry.objects.bulk_create(entries, batch_size=BATCH_SIZE)
    triggers = TwitchTrigger.objects.bulk_create(
        (
            TwitchTrigger(entry=entry, code=code)
            for entry, codes in zip(entries, trigger_codes, strict=True)
            for code in codes
        ),
        batch_size=BATCH_SIZE,
    )
    symptom_rows = SymptomEntry.objects.bulk_create(
        _symptoms(rng, user, pattern, plans, symptoms), batch_size=BATCH_SIZE
    )
    checkin_rows = DailyCheckIn.objects.bulk_create(
        _checkins(rng, user, plans, checkins), batch_size=BATCH_SIZE
    )
    return Counts(len(entries), len(triggers), len(symptom_rows), len(checkin_rows))


# --- The kinds of journal the tools build ---------------------------------------------

# The demo person: the common, harmless pattern. Calf twitches most days (mostly the
# left), more on stressful and high-caffeine days; a stressful fortnight at work, a
# short eyelid spell, and about a month ago two weeks in which the twitches spread to
# the arms and back; a few night cramps and tired-legs days, never weakness. Three
# weeks ago they cut caffeine and slept more.
DEMO = Pattern(
    places={"calf": 80, "thigh_front": 12, "foot": 8},
    sides={"left": 7, "right": 2, "both": 1},
    symptoms={"cramps": 2, "heaviness": 1},
    noted_triggers={0: 95, 1: 5},
    spells=(
        Spell(range(46, 59), stressed=True),
        Spell(range(47, 53), places={"eyelid": 1}, share=0.3),
        Spell(
            range(16, 31),
            places={
                "upper_arm": 3,
                "forearm": 2,
                "thumb_base": 2,
                "upper_back": 2,
                "chest": 1,
                "thigh_back": 2,
                "shoulder": 1,
            },
            share=0.45,
        ),
    ),
    habits_changed=21,
)

# A heavy logger's journal, as twitch journals tend to read: calves, eyelids and
# thighs far more often than the face or the trunk, busy and calm weeks, triggers
# noted on most twitches, now and then a symptom of any kind.
VARIED = Pattern(
    places={
        "calf": 18,
        "eyelid": 12,
        "thigh_front": 6,
        "thigh_back": 5,
        "upper_arm": 6,
        "foot": 5,
        "forearm": 4,
        "thumb_base": 4,
        "hand": 3,
        "sole": 3,
        "shoulder": 3,
        "abdomen": 3,
        "toes": 2,
        "shin": 2,
        "buttock": 2,
        "lower_back": 2,
        "fingers": 2,
        "chest": 2,
        "upper_back": 2,
        "cheek": 2,
        "knee": 1,
        "neck": 1,
        "elbow": 1,
        "lips": 1,
        "jaw": 1,
        "forehead": 1,
        "tongue": 1,
        "all_over": 1,
    },
    sides={"left": 45, "right": 45, "both": 7, "": 3},
    symptoms={
        "cramps": 35,
        "heaviness": 25,
        "numbness_tingling": 20,
        "weakness": 6,
        "coordination": 4,
        "muscle_loss": 2,
        "speech": 2,
        "swallowing": 2,
        "breathing": 2,
    },
    noted_triggers={0: 30, 1: 40, 2: 25, 3: 5},
    busy_weeks=True,
)
