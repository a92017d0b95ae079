"""Read-side aggregates of one person's journal, for the trends page and the doctor's PDF.

Every figure is computed by the database (GROUP BY, conditional COUNT/SUM) over the
local date and hour each twitch stored when it was written (RULES.md 2), through the
indexes that carry them, so a twitch at 00:30 in Berlin belongs to that Berlin day on
SQLite and PostgreSQL alike, and stays there if the person moves. Python only folds the
grouped rows (at most a few hundred days, weeks or places) into plain dicts and
lists of numbers, text and dates: no Django objects, so every result can go straight
into `json_script` (which writes a date as "2025-03-01") or a PDF table.

Most functions take `(user, period)`; `trends(user, period)` bundles them for the
trends page in a fixed number of queries whatever the range or journal size.
"""

import operator
from dataclasses import dataclass
from datetime import date, timedelta

from django.contrib.auth import get_user_model
from django.db.models import (
    Aggregate,
    CharField,
    Count,
    DateField,
    Max,
    Min,
    OuterRef,
    Q,
    Subquery,
)

from . import body, wording
from .dbtime import IsoWeekday
from .models import DailyCheckIn, SymptomEntry, TwitchEntry, TwitchTrigger

# Below this many days on either side of a comparison, the page says there is not
# enough data yet instead of showing an average that one odd day could swing.
MIN_DAYS_PER_SIDE = 5

# The rolling average on the daily chart covers this many days, ending on each day.
ROLLING_DAYS = 7

# The lifestyle comparison looks at most this far either side of the change, and
# waits for this many days after it before comparing at all.
LIFESTYLE_MAX_WINDOW = 28
LIFESTYLE_MIN_WINDOW = 7
# The five-step plan asks for 3-4 weeks of steady changes before expecting a result.
LIFESTYLE_REVIEW_DAYS = 21
# A daily average at least this share lower after the change counts as better;
# this much higher counts as worse; anything between is "about the same".
LIFESTYLE_CHANGE_SHARE = 0.25

DURATION_BUCKETS = (
    ("up_to_1s", "A second or less", 0, 1),
    ("2_to_10s", "2 to 10 seconds", 2, 10),
    ("11_to_60s", "11 seconds to a minute", 11, 60),
    ("1_to_10min", "1 to 10 minutes", 61, 600),
    ("over_10min", "Over 10 minutes", 601, None),
)

# Check-in factors and the bands their values fall into: (field, label, unit,
# bands), each band (code, label, {lookup: value}) on the DailyCheckIn field.
CHECKIN_FACTORS = (
    (
        "caffeine_mg",
        "Caffeine",
        (
            ("low", "Under 100 mg", {"lt": 100}),
            ("medium", "100 to 299 mg", {"gte": 100, "lt": 300}),
            ("high", "300 mg or more", {"gte": 300}),
        ),
    ),
    (
        "sleep_hours",
        "Sleep",
        (
            ("short", "Under 6 hours", {"lt": 6}),
            ("usual", "6 to 8 hours", {"gte": 6, "lte": 8}),
            ("long", "Over 8 hours", {"gt": 8}),
        ),
    ),
    (
        "stress",
        "Stress",
        (
            ("low", "Low (1-2 of 5)", {"lte": 2}),
            ("medium", "Medium (3 of 5)", {"exact": 3}),
            ("high", "High (4-5 of 5)", {"gte": 4}),
        ),
    ),
    (
        "water_litres",
        "Water",
        (
            ("low", "Under 2 litres", {"lt": 2}),
            ("enough", "2 litres or more", {"gte": 2}),
        ),
    ),
)


@dataclass(frozen=True)
class Period:
    """A run of whole local days, `start` to `end` inclusive: the dates entries carry."""

    start: date
    end: date

    def __post_init__(self):
        if self.end < self.start:
            raise ValueError("A period cannot end before it starts.")

    @classmethod
    def ending(cls, end: date, days: int) -> "Period":
        """The `days` days up to and including `end`."""
        return cls(end - timedelta(days=days - 1), end)

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def previous(self) -> "Period":
        """The period of the same length just before this one."""
        return Period.ending(self.start - timedelta(days=1), self.days)

    def dates(self) -> list[date]:
        """Every day of the period, in order."""
        return [self.start + timedelta(days=n) for n in range(self.days)]

    def as_dict(self) -> dict:
        return {"start": self.start, "end": self.end, "days": self.days}


class CodesNoted(Aggregate):
    """The distinct values of a code column in each group, joined by ``separator``.

    Codes are plain words (body.py), so the separator never occurs inside one; their
    order within a group is the database's, so a caller treats them as a set.
    """

    separator = ","
    function = "GROUP_CONCAT"
    template = "%(function)s(DISTINCT %(expressions)s)"
    output_field = CharField()

    def as_postgresql(self, compiler, connection, **extra_context):
        return self.as_sql(
            compiler,
            connection,
            function="STRING_AGG",
            template=f"%(function)s(DISTINCT %(expressions)s, '{self.separator}')",
            **extra_context,
        )


def _twitches(user, period: Period):
    """The person's twitches on the period's local days.

    Served by the (user, local_date, ...) indexes: WHERE user_id=? AND local_date
    BETWEEN ? AND ?.
    """
    return TwitchEntry.objects.filter(
        user=user, local_date__gte=period.start, local_date__lte=period.end
    ).order_by()


def _average(total: int, days: int) -> float | None:
    return round(total / days, 2) if days else None


def _region_q(region: str, prefix: str = "") -> Q:
    """Twitches that count for a region: its places, plus "all over" for the body regions."""
    if region == body.EYELID:
        codes = [body.EYELID]
    else:
        codes = [code for code, r in body.REGION_OF.items() if r == region and code != body.EYELID]
        if region in body.ALL_OVER_REGIONS:
            codes.append(body.ALL_OVER)
    return Q(**{f"{prefix}location__in": codes})


def journal_start(user) -> date | None:
    """The local date of the person's first entry of any kind (twitch, symptom, check-in).

    One query; None for an empty journal. The "all" range starts here.
    """
    first_twitch = (
        TwitchEntry.objects.filter(user=OuterRef("pk"))
        .order_by("local_date")
        .values("local_date")[:1]
    )
    first_symptom = (
        SymptomEntry.objects.filter(user=OuterRef("pk")).order_by("noted_on").values("noted_on")[:1]
    )
    first_checkin = (
        DailyCheckIn.objects.filter(user=OuterRef("pk")).order_by("day").values("day")[:1]
    )
    row = (
        get_user_model()
        .objects.filter(pk=user.pk)
        .annotate(
            first_twitch=Subquery(first_twitch, output_field=DateField()),
            first_symptom=Subquery(first_symptom, output_field=DateField()),
            first_checkin=Subquery(first_checkin, output_field=DateField()),
        )
        .values_list("first_twitch", "first_symptom", "first_checkin")
        .get()
    )
    present = [day for day in row if day is not None]
    return min(present) if present else None


def day_rows(user, period: Period) -> dict[date, dict]:
    """One grouped query: per local day, all twitches and the twitches of each region.

    The daily series, the weekly spread and the day totals behind the trigger and
    check-in comparisons are all folded from these rows, so the twitches are grouped
    once; a caller drawing several of them reads the rows once and passes them on as
    ``days``.
    """
    aggregates = {"total": Count("id")}
    for code in body.SPREAD_REGION_CODES:
        aggregates[code] = Count("id", filter=_region_q(code))
    # The (user, local_date, location) index: GROUP BY local_date, counting by location.
    rows = _twitches(user, period).values("local_date").annotate(**aggregates)
    return {row["local_date"]: row for row in rows}


def _daily_series(rows: dict[date, dict], period: Period) -> list[dict]:
    series, window = [], []
    for day in period.dates():
        count = rows[day]["total"] if day in rows else 0
        window.append(count)
        if len(window) > ROLLING_DAYS:
            window.pop(0)
        series.append(
            {
                "date": day,
                "count": count,
                "average": round(sum(window) / len(window), 2),
            }
        )
    return series


def daily_counts(user, period: Period, days: dict[date, dict] | None = None) -> list[dict]:
    """Twitches per local day, every day of the period, with a rolling average.

    Returns `[{"date": date(2025, 3, 1), "count": 3, "average": 2.43}, ...]`, one item per
    day in order. `average` is the mean count of the ROLLING_DAYS days ending that
    day, over the days of the period available (fewer at its start).
    """
    return _daily_series(day_rows(user, period) if days is None else days, period)


def symptom_days(user, period: Period) -> list[dict]:
    """Days in the period with at least one symptom logged, in date order.

    Returns `[{"date": date, "kinds": [codes], "labels": [labels], "max_severity": 1-3}]`,
    kinds in vocabulary order.
    """
    rows = (
        SymptomEntry.objects.filter(user=user, noted_on__gte=period.start, noted_on__lte=period.end)
        .order_by()
        .values("noted_on", "kind")
        .annotate(severity=Max("severity"))
        .values_list("noted_on", "kind", "severity")
    )
    order = {code: n for n, (code, _) in enumerate(body.SYMPTOM_KINDS)}
    by_day: dict[date, dict] = {}
    for day, kind, severity in rows:
        item = by_day.setdefault(day, {"kinds": [], "max_severity": 0})
        item["kinds"].append(kind)
        item["max_severity"] = max(item["max_severity"], severity)
    result = []
    for day in sorted(by_day):
        kinds = sorted(by_day[day]["kinds"], key=lambda code: order.get(code, len(order)))
        result.append(
            {
                "date": day,
                "kinds": kinds,
                "labels": [body.symptom_label(code) for code in kinds],
                "max_severity": by_day[day]["max_severity"],
            }
        )
    return result


def location_counts(user, period: Period) -> list[dict]:
    """Twitches in the period by place and side, most first.

    Returns `[{"location": "calf", "side": "left", "label": "Calf", "side_label": "Left",
    "name": "Left calf", "region": "leg", "count": 4}, ...]`. `side` is "" when none
    was given; `region` is None for "all over". Ties keep the vocabulary's order.
    """
    rows = (
        _twitches(user, period)
        .values("location", "side")
        .annotate(count=Count("id"))
        .values_list("location", "side", "count")
    )
    order = {code: n for n, (code, _) in enumerate(body.TWITCH_LOCATIONS)}
    side_order = {code: n for n, (code, _) in enumerate(body.SIDES)}
    items = [
        {
            "location": location,
            "side": side,
            "label": body.location_label(location),
            "side_label": body.side_label(side) if side else "",
            "name": wording.place_text(location, side),
            "region": body.region_of(location),
            "count": count,
        }
        for location, side, count in rows
    ]
    items.sort(
        key=lambda item: (
            -item["count"],
            order.get(item["location"], len(order)),
            side_order.get(item["side"], -1),
        )
    )
    return items


def regions_from_locations(locations: list[dict]) -> list[dict]:
    """Fold `location_counts()` into the four regions plus eyelid apart.

    "All over" counts once in each of the arm, trunk and leg regions (RULES.md), so
    the regions can add up to more than the number of twitches.
    """
    totals = dict.fromkeys(body.SPREAD_REGION_CODES, 0)
    for item in locations:
        if item["location"] == body.EYELID:
            totals["eyelid"] += item["count"]
        else:
            for region in body.regions_for(item["location"]):
                totals[region] += item["count"]
    return [
        {
            "region": code,
            "label": wording.region_name(code),
            "lines": wording.region_lines(code),
            "count": totals[code],
        }
        for code in body.SPREAD_REGION_CODES
    ]


def body_map_counts(locations: list[dict]) -> dict:
    """Fold `location_counts()` into the areas of the body map, for the heat map.

    Returns `{"areas": {"calf": {"left": 7, "right": 5}, "neck": {"centre": 2}, ...},
    "max": 7, "all_over": n}`. A midline place has one area ("centre") whatever side
    was logged. On a paired place, "left" and "right" shade their own side, while
    "both sides" or no side shades both (and counts in each). "All over" has no
    area of its own: it is returned apart, for the text beside the map.
    """
    areas: dict[str, dict[str, int]] = {}
    all_over = 0
    for item in locations:
        location, side, count = item["location"], item["side"], item["count"]
        if location == body.ALL_OVER:
            all_over += count
            continue
        if location in body.MIDLINE_LOCATIONS:
            sides = ("centre",)
        elif side in ("left", "right"):
            sides = (side,)
        else:
            sides = ("left", "right")
        for area_side in sides:
            place = areas.setdefault(location, {})
            place[area_side] = place.get(area_side, 0) + count
    peak = max((n for place in areas.values() for n in place.values()), default=0)
    return {"areas": areas, "max": peak, "all_over": all_over}


def _weeks_from_days(rows: dict[date, dict], period: Period) -> dict:
    codes = body.SPREAD_REGION_CODES
    first_monday = period.start - timedelta(days=period.start.weekday())
    weeks = {}
    monday = first_monday
    while monday <= period.end:
        weeks[monday] = {
            "start": monday,
            "days": dict.fromkeys(codes, 0),
            "twitches": dict.fromkeys(codes, 0),
        }
        monday += timedelta(days=7)
    for day, row in rows.items():
        week = weeks[day - timedelta(days=day.weekday())]
        for code in codes:
            if row[code]:
                week["days"][code] += 1
                week["twitches"][code] += row[code]
    return {
        "regions": [
            {
                "region": code,
                "label": wording.region_name(code),
                "lines": wording.region_lines(code),
            }
            for code in codes
        ],
        "weeks": list(weeks.values()),
    }


def region_weeks(user, period: Period, days: dict[date, dict] | None = None) -> dict:
    """For each week (Monday to Sunday, local) the number of twitch-days per region.

    This is the "has it spread?" picture: weeks along one axis, regions on the other.
    Returns `{"regions": [{"region", "label", "lines"}...], "weeks": [{"start":
    Monday's date, "days": {"head": 0, "arm": 2, "trunk": 0, "leg": 1, "eyelid": 0},
    "twitches": {...same keys...}}, ...]}`, every week touching the period, in order.
    A region with at least one twitch-day in a week was active that week. The
    database groups by local day; the days are then folded into their weeks.
    """
    return _weeks_from_days(day_rows(user, period) if days is None else days, period)


def hourly_counts(user, period: Period) -> list[int]:
    """Twitches in the period by local hour of the day: a list of 24 counts, 00:00 first."""
    # The (user, local_date, local_hour) index: GROUP BY local_hour.
    rows = (
        _twitches(user, period)
        .values("local_hour")
        .annotate(count=Count("id"))
        .values_list("local_hour", "count")
    )
    hours = [0] * 24
    for hour, count in rows:
        hours[hour] = count
    return hours


def weekday_hour_grid(user, period: Period) -> list[dict]:
    """Twitches by local weekday and hour.

    Returns seven items, Monday first: `[{"weekday": 1, "label": "Monday",
    "hours": [24 counts, 00:00 first], "total": n}, ...]`.
    """
    # The (user, local_date, local_hour) index: GROUP BY weekday of local_date, local_hour.
    rows = (
        _twitches(user, period)
        .annotate(weekday=IsoWeekday("local_date"))
        .values("weekday", "local_hour")
        .annotate(count=Count("id"))
        .values_list("weekday", "local_hour", "count")
    )
    grid = [[0] * 24 for _ in wording.WEEKDAY_NAMES]
    for weekday, hour, count in rows:
        grid[weekday - 1][hour] = count
    return [
        {"weekday": n + 1, "label": label, "hours": hours, "total": sum(hours)}
        for n, (label, hours) in enumerate(zip(wording.WEEKDAY_NAMES, grid, strict=True))
    ]


def hours_from_grid(grid: list[dict]) -> list[int]:
    """The 24 hourly totals of a `weekday_hour_grid()` (same as `hourly_counts()`)."""
    return [sum(day["hours"][hour] for day in grid) for hour in range(24)]


def _comparison(days: int, twitches: int) -> dict:
    """One side of an association: its days, twitches and average, if there are enough."""
    enough = days >= MIN_DAYS_PER_SIDE
    return {
        "days": days,
        "twitches": twitches,
        "average": _average(twitches, days) if enough else None,
        "enough": enough,
    }


def _day_totals(user, period: Period, days: dict[date, dict] | None) -> dict[date, int]:
    """Twitches per local day of the period, from ``day_rows`` (read here if not given)."""
    if days is None:
        days = day_rows(user, period)
    return {day: row["total"] for day, row in days.items()}


def trigger_association(user, period: Period, days: dict[date, dict] | None = None) -> dict:
    """For each trigger logged in the period: twitches on days it was noted vs other days.

    Both sides count only days with at least one twitch logged (a trigger can only be
    noted on a twitch, so comparing with twitch-free days would always make it look
    worse). An association, never a cause. Returns
    `{"minimum_days": 5, "twitch_days": n, "twitches": n, "triggers": [{"trigger":
    "caffeine", "label": "Caffeine", "with": side, "without": side, "enough": bool}]}`
    where a side is `{"days", "twitches", "average" (None below the minimum), "enough"}`;
    triggers in vocabulary order, only those noted at least once in the period.

    ``days`` are the period's ``day_rows`` when the caller already has them; the
    query here then only asks which triggers were noted on which local days.
    """
    totals = _day_totals(user, period, days)
    # The (user, local_date, location) index finds the period's twitches in date order,
    # the triggers' (entry, code) constraint their triggers; one row per local day with
    # the codes noted that day, rather than one per (code, day) pair to sort.
    noted = (
        TwitchTrigger.objects.filter(
            entry__user=user,
            entry__local_date__gte=period.start,
            entry__local_date__lte=period.end,
        )
        .order_by()
        .values("entry__local_date")
        .annotate(codes=CodesNoted("code"))
        .values_list("entry__local_date", "codes")
    )
    days_by_trigger: dict[str, list[date]] = {}
    for day, codes in noted:
        for code in codes.split(CodesNoted.separator):
            days_by_trigger.setdefault(code, []).append(day)
    twitch_days = len(totals)
    twitches = sum(totals.values())
    triggers = []
    for code, label in body.TRIGGERS:
        days_with = days_by_trigger.get(code, ())
        if not days_with:
            continue
        twitches_with = sum(totals.get(day, 0) for day in days_with)
        with_side = _comparison(len(days_with), twitches_with)
        without_side = _comparison(twitch_days - len(days_with), twitches - twitches_with)
        triggers.append(
            {
                "trigger": code,
                "label": label,
                "with": with_side,
                "without": without_side,
                "enough": with_side["enough"] and without_side["enough"],
            }
        )
    return {
        "minimum_days": MIN_DAYS_PER_SIDE,
        "twitch_days": twitch_days,
        "twitches": twitches,
        "triggers": triggers,
    }


# Django lookups of CHECKIN_FACTORS' bands, as comparisons in Python.
_BAND_TESTS = {
    "lt": operator.lt,
    "lte": operator.le,
    "gt": operator.gt,
    "gte": operator.ge,
    "exact": operator.eq,
}


def _band_test(lookups: dict):
    """Whether a value falls in a band of ``lookups``: a check-in without it does not."""
    tests = tuple((_BAND_TESTS[lookup], limit) for lookup, limit in lookups.items())
    if len(tests) == 1:
        ((test, limit),) = tests
        return lambda value: test(value, limit)
    return lambda value: all(test(value, limit) for test, limit in tests)


# Each factor's bands with their tests, worked out once rather than for every check-in.
_FACTOR_BANDS = tuple(
    (
        field,
        label,
        tuple((band, band_label, _band_test(lookups)) for band, band_label, lookups in bands),
    )
    for field, label, bands in CHECKIN_FACTORS
)


def checkin_bands(user, period: Period, days: dict[date, dict] | None = None) -> dict:
    """Twitches per day grouped by check-in values (caffeine, sleep, stress, water).

    A check-in day falls in a band by its value (days without that value are left
    out); its twitches are all twitches on that local day, zero included. Returns
    `{"minimum_days": 5, "checkin_days": n, "factors": [{"factor": "sleep_hours",
    "label": "Sleep", "bands": [{"band": "short", "label": "Under 6 hours", "days": n,
    "twitches": n, "average": float or None, "enough": bool}, ...]}, ...]}`.
    One query for the period's check-ins (at most one a day); the twitches of each
    day come from ``days``, the period's ``day_rows`` (read here if not given).
    """
    totals = _day_totals(user, period, days)
    fields = [field for field, _, _ in CHECKIN_FACTORS]
    checkins = list(
        DailyCheckIn.objects.filter(user=user, day__gte=period.start, day__lte=period.end)
        .order_by()
        .values_list("day", *fields)
    )
    factors = []
    for index, (field, label, bands) in enumerate(_FACTOR_BANDS, start=1):
        # Each check-in day with this value noted, and that day's twitches.
        noted = [(row[index], totals.get(row[0], 0)) for row in checkins if row[index] is not None]
        items = []
        for band, band_label, in_band in bands:
            twitches = [count for value, count in noted if in_band(value)]
            side = _comparison(len(twitches), sum(twitches))
            items.append({"band": band, "label": band_label, **side})
        factors.append({"factor": field, "label": label, "bands": items})
    return {
        "minimum_days": MIN_DAYS_PER_SIDE,
        "checkin_days": len(checkins),
        "factors": factors,
    }


def _distribution_aggregates() -> dict:
    aggregates = {}
    for code, _, low, high in DURATION_BUCKETS:
        lookups = {"duration_seconds__gte": low}
        if high is not None:
            lookups["duration_seconds__lte"] = high
        aggregates[f"duration_{code}"] = Count("id", filter=Q(**lookups))
    aggregates["duration_unknown"] = Count("id", filter=Q(duration_seconds__isnull=True))
    for value, _ in body.INTENSITIES:
        aggregates[f"intensity_{value}"] = Count("id", filter=Q(intensity=value))
    aggregates["intensity_unknown"] = Count("id", filter=Q(intensity__isnull=True))
    return aggregates


def _distributions(user, period: Period) -> dict:
    return _twitches(user, period).aggregate(**_distribution_aggregates())


def _duration_items(totals: dict) -> list[dict]:
    items = [
        {"bucket": code, "label": label, "count": totals[f"duration_{code}"]}
        for code, label, _, _ in DURATION_BUCKETS
    ]
    items.append({"bucket": "unknown", "label": "Not noted", "count": totals["duration_unknown"]})
    return items


def _intensity_items(totals: dict) -> list[dict]:
    items = [
        {"intensity": value, "label": label, "count": totals[f"intensity_{value}"]}
        for value, label in body.INTENSITIES
    ]
    items.append(
        {
            "intensity": None,
            "label": wording.strength_name(None),
            "count": totals["intensity_unknown"],
        }
    )
    return items


def lifestyle_comparison(user, changed_on: date | None, today: date) -> dict | None:
    """Daily twitches before and after the day the person started changing habits.

    The two windows have equal length: the days since the change (today excluded, as
    it is not over), capped at LIFESTYLE_MAX_WINDOW and at the days the journal ran
    before the change (first twitch to the change). Returns None when no date is set,
    else `{"changed_on": date, "days_since": n, "journal_days_before": n, "window_days": n,
    "before": window, "after": window, "status": ..., "suggest_doctor": bool}` with a
    window `{"start", "end", "twitches", "average"}` (None when the window is empty).
    `status` is one of "not_started" (the date is in the future), "too_early" (window
    under LIFESTYLE_MIN_WINDOW days), "no_twitches", "better", "same" or "worse".
    `suggest_doctor` is true from LIFESTYLE_REVIEW_DAYS after the change when things
    are the same or worse.
    """
    if changed_on is None:
        return None
    days_since = (today - changed_on).days
    first = TwitchEntry.objects.filter(user=user).aggregate(first=Min("local_date"))["first"]
    journal_days_before = max(0, (changed_on - first).days) if first else 0
    window = max(0, min(days_since, LIFESTYLE_MAX_WINDOW, journal_days_before))
    totals = TwitchEntry.objects.filter(
        user=user,
        local_date__gte=changed_on - timedelta(days=window),
        local_date__lt=changed_on + timedelta(days=window),
    ).aggregate(
        before=Count("id", filter=Q(local_date__lt=changed_on)),
        after=Count("id", filter=Q(local_date__gte=changed_on)),
    )
    before_total, after_total = totals["before"], totals["after"]

    def side(start: date, total: int) -> dict:
        return {
            "start": start if window else None,
            "end": start + timedelta(days=window - 1) if window else None,
            "twitches": total,
            "average": _average(total, window),
        }

    before = side(changed_on - timedelta(days=window), before_total)
    after = side(changed_on, after_total)
    if days_since < 0:
        status = "not_started"
    elif window < LIFESTYLE_MIN_WINDOW:
        status = "too_early"
    elif before_total == after_total == 0:
        status = "no_twitches"
    elif after["average"] <= before["average"] * (1 - LIFESTYLE_CHANGE_SHARE):
        status = "better"
    elif after["average"] > before["average"] * (1 + LIFESTYLE_CHANGE_SHARE):
        status = "worse"
    else:
        status = "same"
    return {
        "changed_on": changed_on,
        "days_since": days_since,
        "journal_days_before": journal_days_before,
        "window_days": window,
        "before": before,
        "after": after,
        "status": status,
        "suggest_doctor": days_since >= LIFESTYLE_REVIEW_DAYS and status in ("same", "worse"),
    }


def summary_numbers(user, period: Period, days: dict[date, dict] | None = None) -> dict:
    """Headline figures for the period, and the change from the period just before it.

    Returns `{"twitches": n, "twitch_days": n, "days": n, "average_per_day": float,
    "first": date or None, "last": date or None, "previous": {"start", "end",
    "twitches", "average_per_day"}, "change_percent": float or None,
    "change_direction": "fewer", "more", "same" or None}`. `first`/`last` are the local
    dates of the period's first and last twitch; `change_percent` (negative for fewer)
    is None when the previous period had no twitches.

    One query. ``days`` are the period's ``day_rows`` when the caller already has them:
    the period's own figures are then folded from them, and the query only counts the
    previous period's twitches.
    """
    previous = period.previous()
    if days is not None:
        # The (user, local_date, location) index: WHERE user_id=? AND local_date BETWEEN ? AND ?
        totals = _twitches(user, previous).aggregate(previous=Count("id"))
        totals.update(
            twitches=sum(row["total"] for row in days.values()),
            twitch_days=len(days),
            first=min(days, default=None),
            last=max(days, default=None),
        )
    else:
        current = Q(local_date__gte=period.start)
        # The (user, local_date, location) index: WHERE user_id=? AND local_date BETWEEN ? AND ?
        totals = (
            TwitchEntry.objects.filter(
                user=user, local_date__gte=previous.start, local_date__lte=period.end
            )
            .order_by()
            .aggregate(
                twitches=Count("id", filter=current),
                previous=Count("id", filter=~current),
                twitch_days=Count("local_date", distinct=True, filter=current),
                first=Min("local_date", filter=current),
                last=Max("local_date", filter=current),
            )
        )
    twitches, before = totals["twitches"], totals["previous"]
    change = round((twitches - before) * 100 / before, 1) if before else None
    if change is None:
        direction = None
    else:
        direction = "fewer" if change < 0 else "more" if change > 0 else "same"
    return {
        "twitches": twitches,
        "twitch_days": totals["twitch_days"],
        "days": period.days,
        "average_per_day": _average(twitches, period.days),
        "first": totals["first"],
        "last": totals["last"],
        "previous": {
            "start": previous.start,
            "end": previous.end,
            "twitches": before,
            "average_per_day": _average(before, previous.days),
        },
        "change_percent": change,
        "change_direction": direction,
    }


def trends(user, period: Period, *, today: date, changed_on: date | None = None) -> dict:
    """Everything the trends page draws, in a fixed number of queries (eight, plus two
    when `changed_on` is set), whatever the period's length or the journal's size.
    The twitches per day are read once and serve the daily chart, the weekly spread
    and the trigger and check-in comparisons.

    Returns `{"period", "summary", "daily", "symptom_days", "locations", "body_map", "regions",
    "region_weeks", "hourly", "weekday_hours", "triggers", "checkins", "durations",
    "intensities", "lifestyle"}`, each shaped as the function of the same name.
    """
    days = day_rows(user, period)
    locations = location_counts(user, period)
    grid = weekday_hour_grid(user, period)
    distributions = _distributions(user, period)
    return {
        "period": period.as_dict(),
        "summary": summary_numbers(user, period, days),
        "daily": _daily_series(days, period),
        "symptom_days": symptom_days(user, period),
        "locations": locations,
        "body_map": body_map_counts(locations),
        "regions": regions_from_locations(locations),
        "region_weeks": _weeks_from_days(days, period),
        "hourly": hours_from_grid(grid),
        "weekday_hours": grid,
        "triggers": trigger_association(user, period, days),
        "checkins": checkin_bands(user, period, days),
        "durations": _duration_items(distributions),
        "intensities": _intensity_items(distributions),
        "lifestyle": lifestyle_comparison(user, changed_on, today),
    }
