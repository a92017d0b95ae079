"""Read-side aggregates of one person's journal, for the trends page, the doctor's PDF and
view, and the API.

Every figure is computed by the database (GROUP BY, conditional COUNT/SUM) over the
local date and hour each twitch stored when it was written (RULES.md 2), through the
indexes that carry them, so a twitch at 00:30 in Berlin belongs to that Berlin day on
SQLite and PostgreSQL alike, and stays there if the person moves. Python only folds the
grouped rows (at most a few hundred days, weeks or places) into the small frozen
dataclasses below, of numbers, text and real dates: each class says what one figure is,
and the function of the same name how it is counted. The names of places, regions,
triggers and bands come from ``body`` and ``wording``, so every page, chart and the PDF
say them alike.

Most functions take `(user, period)`; `trends(user, period)` bundles them for the
trends page in a fixed number of queries whatever the range or journal size, and
`Trends.chart_data()` is the part of them the page's charts draw (static/js/trends.js).
"""

import operator
from collections.abc import Iterable, Sequence
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

from . import body, figures, wording
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


# What the functions below return. Counts are twitch entries; days are local days.


@dataclass(frozen=True)
class PreviousPeriod:
    """The period of the same length just before the one asked for, and its twitches."""

    start: date
    end: date
    twitches: int
    average_per_day: float | None


@dataclass(frozen=True)
class Summary:
    """Headline figures of a period (``summary_numbers``), and the change on the period
    just before it. ``first`` and ``last`` are the local dates of its first and last
    twitch; ``change_percent`` (negative for fewer) is None when the period before had no
    twitches, and ``change_direction`` then too ("fewer", "more" or "same" otherwise)."""

    twitches: int
    twitch_days: int
    days: int
    average_per_day: float | None
    first: date | None
    last: date | None
    previous: PreviousPeriod
    change_percent: float | None
    change_direction: str | None


@dataclass(frozen=True)
class DayCount:
    """Twitches on one local day (``daily_counts``), with the average of the
    ROLLING_DAYS days ending that day (fewer at the start of the period)."""

    date: date
    count: int
    average: float


@dataclass(frozen=True)
class SymptomDay:
    """A local day with at least one symptom logged (``symptom_days``): its kinds in
    vocabulary order, their names, and the highest severity (1-3) noted that day."""

    date: date
    kinds: tuple[str, ...]
    labels: tuple[str, ...]
    max_severity: int


@dataclass(frozen=True)
class PlaceCount:
    """Twitches at one place on one side (``location_counts``); ``side`` is "" when none
    was given. The names are the vocabulary's."""

    location: str
    side: str
    count: int

    @property
    def label(self) -> str:
        """The place alone: "Calf"."""
        return body.location_label(self.location)

    @property
    def side_label(self) -> str:
        """The side alone ("Left"), "" when none was given."""
        return body.side_label(self.side) if self.side else ""

    @property
    def name(self) -> str:
        """The place with its side: "Left calf"."""
        return wording.place_text(self.location, self.side)

    @property
    def region(self) -> str | None:
        """The region the place is in; None for "all over"."""
        return body.region_of(self.location)


@dataclass(frozen=True)
class Region:
    """A body region, or eyelid apart (``body.SPREAD_REGION_CODES``), with its one name."""

    region: str

    @property
    def label(self) -> str:
        return wording.region_name(self.region)

    @property
    def lines(self) -> tuple[str, ...]:
        """The name on at most two lines, for a chart's narrow axis."""
        return wording.region_lines(self.region)


@dataclass(frozen=True)
class RegionCount(Region):
    """Twitches in a region over the period (``regions_from_locations``); "all over"
    counts once in each of the arm, trunk and leg regions."""

    count: int


@dataclass(frozen=True)
class BodyMap:
    """Twitches by area of the body map (``body_map_counts``): ``areas`` is
    `{location: {side: count}}` with side "left", "right" or "centre" (a midline place),
    ``max`` the busiest area's count, and ``all_over`` the twitches logged "all over",
    which have no area of their own."""

    areas: dict[str, dict[str, int]]
    max: int
    all_over: int


@dataclass(frozen=True)
class RegionWeek:
    """One week, Monday to Sunday (local), from Monday ``start``: per spread row code
    (``body.SPREAD_REGION_CODES``) the days with a twitch there."""

    start: date
    days: dict[str, int]


@dataclass(frozen=True)
class RegionWeeks:
    """The "has it spread?" picture (``region_weeks``): its rows, and every week touching
    the period, in order."""

    regions: tuple[Region, ...]
    weeks: tuple[RegionWeek, ...]


@dataclass(frozen=True)
class WeekdayHours:
    """Twitches on one local weekday (1 Monday to 7 Sunday) by local hour, 00:00 first."""

    weekday: int
    label: str
    hours: tuple[int, ...]
    total: int


@dataclass(frozen=True)
class Side:
    """One side of a comparison: its days, their twitches, and twitches a day, which is
    None below MIN_DAYS_PER_SIDE days (``enough`` is false then)."""

    days: int
    twitches: int
    average: float | None
    enough: bool

    @classmethod
    def of(cls, days: int, twitches: int) -> "Side":
        enough = days >= MIN_DAYS_PER_SIDE
        return cls(days, twitches, _average(twitches, days) if enough else None, enough)


@dataclass(frozen=True)
class TriggerComparison:
    """Twitch-days on which a trigger was noted (``noted``) against the period's other
    twitch-days (``other``): an association, never a cause."""

    trigger: str
    label: str
    noted: Side
    other: Side

    @property
    def enough(self) -> bool:
        """Whether both sides have enough days for their averages."""
        return self.noted.enough and self.other.enough


@dataclass(frozen=True)
class TriggerAssociation:
    """Every trigger noted in the period (``trigger_association``), in vocabulary order,
    with the period's twitch-days and twitches that the sides split."""

    minimum_days: int
    twitch_days: int
    twitches: int
    triggers: tuple[TriggerComparison, ...]


@dataclass(frozen=True)
class CheckinBand:
    """Check-in days whose value falls in one band of a factor ("Under 6 hours"), and
    their twitches, as a ``Side``'s figures."""

    band: str
    label: str
    days: int
    twitches: int
    average: float | None
    enough: bool


@dataclass(frozen=True)
class CheckinFactor:
    """One check-in question (caffeine, sleep, stress, water) and its bands."""

    factor: str
    label: str
    bands: tuple[CheckinBand, ...]


@dataclass(frozen=True)
class CheckinBands:
    """Twitches a day by check-in values (``checkin_bands``), from ``checkin_days``."""

    minimum_days: int
    checkin_days: int
    factors: tuple[CheckinFactor, ...]


@dataclass(frozen=True)
class DurationCount:
    """Twitches that lasted as long as one of DURATION_BUCKETS ("unknown": not noted)."""

    bucket: str
    label: str
    count: int


@dataclass(frozen=True)
class IntensityCount:
    """Twitches of one strength (1-3; None: logged without one)."""

    intensity: int | None
    label: str
    count: int


@dataclass(frozen=True)
class Window:
    """Days either side of a lifestyle change, and their twitches. ``start``, ``end`` and
    ``average`` are None when the window is empty."""

    start: date | None
    end: date | None
    twitches: int
    average: float | None


@dataclass(frozen=True)
class Lifestyle:
    """Twitches a day before and after the person began changing habits
    (``lifestyle_comparison``), over two windows of ``window_days`` each.

    ``status`` is "not_started" (the day is still to come), "too_early" (windows under
    LIFESTYLE_MIN_WINDOW days), "no_twitches", "better", "same" or "worse";
    ``suggest_doctor`` is true from LIFESTYLE_REVIEW_DAYS after the change when things
    are the same or worse."""

    changed_on: date
    days_since: int
    journal_days_before: int
    window_days: int
    before: Window
    after: Window
    status: str
    suggest_doctor: bool


@dataclass(frozen=True)
class Trends:
    """Everything the trends page shows of a period (``trends``), each figure as the
    function of the same name gives it."""

    period: Period
    summary: Summary
    daily: tuple[DayCount, ...]
    symptom_days: tuple[SymptomDay, ...]
    locations: tuple[PlaceCount, ...]
    body_map: BodyMap
    regions: tuple[RegionCount, ...]
    region_weeks: RegionWeeks
    hourly: tuple[int, ...]
    weekday_hours: tuple[WeekdayHours, ...]
    triggers: TriggerAssociation
    checkins: CheckinBands
    durations: tuple[DurationCount, ...]
    intensities: tuple[IntensityCount, ...]
    lifestyle: Lifestyle | None

    def chart_data(self) -> dict:
        """What the charts draw, for ``json_script`` (dates as "YYYY-MM-DD"): exactly the
        names static/js/trends.js reads, and nothing the page's text alone shows."""

        def region(item: Region) -> dict:
            return {"region": item.region, "label": item.label, "lines": item.lines}

        def side(item: Side) -> dict:
            return {"days": item.days, "average": item.average}

        return {
            "daily": [
                {"date": day.date, "count": day.count, "average": day.average} for day in self.daily
            ],
            "symptom_days": [{"date": day.date, "labels": day.labels} for day in self.symptom_days],
            "regions": [{**region(item), "count": item.count} for item in self.regions],
            "region_weeks": {
                "regions": [region(item) for item in self.region_weeks.regions],
                "weeks": [
                    {"start": week.start, "days": week.days} for week in self.region_weeks.weeks
                ],
            },
            "hourly": self.hourly,
            "weekday_hours": [
                {"label": day.label, "hours": day.hours} for day in self.weekday_hours
            ],
            "triggers": {
                "triggers": [
                    {
                        "label": item.label,
                        "enough": item.enough,
                        "noted": side(item.noted),
                        "other": side(item.other),
                    }
                    for item in self.triggers.triggers
                ]
            },
            "checkins": {
                "factors": [
                    {
                        "factor": factor.factor,
                        "label": factor.label,
                        "bands": [
                            {
                                "label": band.label,
                                "days": band.days,
                                "average": band.average,
                                "enough": band.enough,
                            }
                            for band in factor.bands
                        ],
                    }
                    for factor in self.checkins.factors
                ]
            },
            "durations": [
                {"bucket": item.bucket, "label": item.label, "count": item.count}
                for item in self.durations
            ],
            "intensities": [
                {"intensity": item.intensity, "label": item.label, "count": item.count}
                for item in self.intensities
            ],
            "body_map": {"areas": self.body_map.areas, "max": self.body_map.max},
        }


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


def _daily_series(rows: dict[date, dict], period: Period) -> tuple[DayCount, ...]:
    series, window = [], []
    for day in period.dates():
        count = rows[day]["total"] if day in rows else 0
        window.append(count)
        if len(window) > ROLLING_DAYS:
            window.pop(0)
        series.append(DayCount(day, count, round(sum(window) / len(window), 2)))
    return tuple(series)


def daily_counts(
    user, period: Period, days: dict[date, dict] | None = None
) -> tuple[DayCount, ...]:
    """Twitches per local day, every day of the period in order, with a rolling average:
    `DayCount(date(2025, 3, 1), 3, 2.43)`. The average is the mean count of the
    ROLLING_DAYS days ending that day, over the days of the period available (fewer at
    its start).
    """
    return _daily_series(day_rows(user, period) if days is None else days, period)


def symptom_days(user, period: Period) -> tuple[SymptomDay, ...]:
    """Days in the period with at least one symptom logged, in date order, kinds in
    vocabulary order."""
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
        kinds = tuple(sorted(by_day[day]["kinds"], key=lambda code: order.get(code, len(order))))
        result.append(
            SymptomDay(
                date=day,
                kinds=kinds,
                labels=tuple(body.symptom_label(code) for code in kinds),
                max_severity=by_day[day]["max_severity"],
            )
        )
    return tuple(result)


def location_counts(user, period: Period) -> tuple[PlaceCount, ...]:
    """Twitches in the period by place and side, most first: `PlaceCount("calf", "left",
    4)`. Ties keep the vocabulary's order.
    """
    rows = (
        _twitches(user, period)
        .values("location", "side")
        .annotate(count=Count("id"))
        .values_list("location", "side", "count")
    )
    order = {code: n for n, (code, _) in enumerate(body.TWITCH_LOCATIONS)}
    side_order = {code: n for n, (code, _) in enumerate(body.SIDES)}
    items = sorted(
        (PlaceCount(location, side, count) for location, side, count in rows),
        key=lambda item: (
            -item.count,
            order.get(item.location, len(order)),
            side_order.get(item.side, -1),
        ),
    )
    return tuple(items)


def regions_from_locations(locations: Iterable[PlaceCount]) -> tuple[RegionCount, ...]:
    """Fold `location_counts()` into the four regions plus eyelid apart.

    "All over" counts once in each of the arm, trunk and leg regions (RULES.md), so
    the regions can add up to more than the number of twitches.
    """
    totals = dict.fromkeys(body.SPREAD_REGION_CODES, 0)
    for item in locations:
        if item.location == body.EYELID:
            totals["eyelid"] += item.count
        else:
            for region in body.regions_for(item.location):
                totals[region] += item.count
    return tuple(RegionCount(code, totals[code]) for code in body.SPREAD_REGION_CODES)


def body_map_counts(locations: Iterable[PlaceCount]) -> BodyMap:
    """Fold `location_counts()` into the areas of the body map, for the heat map:
    `areas` like `{"calf": {"left": 7, "right": 5}, "neck": {"centre": 2}, ...}`.

    A midline place has one area ("centre") whatever side was logged. On a paired
    place, "left" and "right" shade their own side, while "both sides" or no side
    shades both (and counts in each). "All over" has no area of its own: it is counted
    apart, for the text beside the map.
    """
    areas: dict[str, dict[str, int]] = {}
    all_over = 0
    for item in locations:
        location, side, count = item.location, item.side, item.count
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
    return BodyMap(areas=areas, max=peak, all_over=all_over)


def _weeks_from_days(rows: dict[date, dict], period: Period) -> RegionWeeks:
    codes = body.SPREAD_REGION_CODES
    first_monday = period.start - timedelta(days=period.start.weekday())
    weeks = {}
    monday = first_monday
    while monday <= period.end:
        weeks[monday] = RegionWeek(start=monday, days=dict.fromkeys(codes, 0))
        monday += timedelta(days=7)
    for day, row in rows.items():
        week = weeks[day - timedelta(days=day.weekday())]
        for code in codes:
            if row[code]:
                week.days[code] += 1
    return RegionWeeks(regions=tuple(Region(code) for code in codes), weeks=tuple(weeks.values()))


def region_weeks(user, period: Period, days: dict[date, dict] | None = None) -> RegionWeeks:
    """For each week (Monday to Sunday, local) the number of twitch-days per region:
    `RegionWeek(Monday's date, days={"head": 0, "arm": 2, "trunk": 0, "leg": 1,
    "eyelid": 0})`, every week touching the period, in order.

    This is the "has it spread?" picture: weeks along one axis, regions on the other.
    A region with at least one twitch-day in a week was active that week. The
    database groups by local day; the days are then folded into their weeks.
    """
    return _weeks_from_days(day_rows(user, period) if days is None else days, period)


def hourly_counts(user, period: Period) -> tuple[int, ...]:
    """Twitches in the period by local hour of the day: 24 counts, 00:00 first."""
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
    return tuple(hours)


def weekday_hour_grid(user, period: Period) -> tuple[WeekdayHours, ...]:
    """Twitches by local weekday and hour: seven days, Monday first, each with 24 counts."""
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
    return tuple(
        WeekdayHours(weekday=n + 1, label=label, hours=tuple(hours), total=sum(hours))
        for n, (label, hours) in enumerate(zip(wording.WEEKDAY_NAMES, grid, strict=True))
    )


def hours_from_grid(grid: Sequence[WeekdayHours]) -> tuple[int, ...]:
    """The 24 hourly totals of a `weekday_hour_grid()` (same as `hourly_counts()`)."""
    return tuple(sum(day.hours[hour] for day in grid) for hour in range(24))


def _day_totals(user, period: Period, days: dict[date, dict] | None) -> dict[date, int]:
    """Twitches per local day of the period, from ``day_rows`` (read here if not given)."""
    if days is None:
        days = day_rows(user, period)
    return {day: row["total"] for day, row in days.items()}


def trigger_association(
    user, period: Period, days: dict[date, dict] | None = None
) -> TriggerAssociation:
    """For each trigger logged in the period: twitches on days it was noted vs other days.

    Both sides count only days with at least one twitch logged (a trigger can only be
    noted on a twitch, so comparing with twitch-free days would always make it look
    worse). An association, never a cause. Triggers in vocabulary order, only those
    noted at least once in the period; a side's average is None below MIN_DAYS_PER_SIDE.

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
        triggers.append(
            TriggerComparison(
                trigger=code,
                label=label,
                noted=Side.of(len(days_with), twitches_with),
                other=Side.of(twitch_days - len(days_with), twitches - twitches_with),
            )
        )
    return TriggerAssociation(
        minimum_days=MIN_DAYS_PER_SIDE,
        twitch_days=twitch_days,
        twitches=twitches,
        triggers=tuple(triggers),
    )


# Django lookups of CHECKIN_FACTORS' bands, as comparisons in Python.
_BAND_TESTS = {
    "lt": operator.lt,
    "lte": operator.le,
    "gt": operator.gt,
    "gte": operator.ge,
    "exact": operator.eq,
}


def _band_test(lookups: dict):
    """A test of whether a noted value falls in a band of ``lookups``. It runs for each
    check-in and band, so a band of one comparison (most are) is that comparison alone."""
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


def checkin_bands(user, period: Period, days: dict[date, dict] | None = None) -> CheckinBands:
    """Twitches per day grouped by check-in values (caffeine, sleep, stress, water), in
    CHECKIN_FACTORS' order.

    A check-in day falls in a band by its value (days without that value are left
    out); its twitches are all twitches on that local day, zero included; a band's
    average is None below MIN_DAYS_PER_SIDE days. One query for the period's check-ins
    (at most one a day); the twitches of each day come from ``days``, the period's
    ``day_rows`` (read here if not given).
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
            side = Side.of(len(twitches), sum(twitches))
            items.append(
                CheckinBand(band, band_label, side.days, side.twitches, side.average, side.enough)
            )
        factors.append(CheckinFactor(field, label, tuple(items)))
    return CheckinBands(
        minimum_days=MIN_DAYS_PER_SIDE, checkin_days=len(checkins), factors=tuple(factors)
    )


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


def _duration_items(totals: dict) -> tuple[DurationCount, ...]:
    return (
        *(
            DurationCount(code, label, totals[f"duration_{code}"])
            for code, label, _, _ in DURATION_BUCKETS
        ),
        DurationCount("unknown", "Not noted", totals["duration_unknown"]),
    )


def _intensity_items(totals: dict) -> tuple[IntensityCount, ...]:
    return (
        *(
            IntensityCount(value, label, totals[f"intensity_{value}"])
            for value, label in body.INTENSITIES
        ),
        IntensityCount(None, wording.strength_name(None), totals["intensity_unknown"]),
    )


def lifestyle_comparison(user, changed_on: date | None, today: date) -> Lifestyle | None:
    """Daily twitches before and after the day the person started changing habits;
    None when no date is set.

    The two windows have equal length: the days since the change (today excluded, as
    it is not over), capped at LIFESTYLE_MAX_WINDOW and at the days the journal ran
    before the change (first twitch to the change).
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

    def side(start: date, total: int) -> Window:
        return Window(
            start=start if window else None,
            end=start + timedelta(days=window - 1) if window else None,
            twitches=total,
            average=_average(total, window),
        )

    before = side(changed_on - timedelta(days=window), before_total)
    after = side(changed_on, after_total)
    if days_since < 0:
        status = "not_started"
    elif window < LIFESTYLE_MIN_WINDOW:
        status = "too_early"
    elif before_total == after_total == 0:
        status = "no_twitches"
    elif after.average <= before.average * (1 - LIFESTYLE_CHANGE_SHARE):
        status = "better"
    elif after.average > before.average * (1 + LIFESTYLE_CHANGE_SHARE):
        status = "worse"
    else:
        status = "same"
    return Lifestyle(
        changed_on=changed_on,
        days_since=days_since,
        journal_days_before=journal_days_before,
        window_days=window,
        before=before,
        after=after,
        status=status,
        suggest_doctor=days_since >= LIFESTYLE_REVIEW_DAYS and status in ("same", "worse"),
    )


def summary_numbers(user, period: Period, days: dict[date, dict] | None = None) -> Summary:
    """Headline figures for the period, and the change from the period just before it.

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
    return Summary(
        twitches=twitches,
        twitch_days=totals["twitch_days"],
        days=period.days,
        average_per_day=_average(twitches, period.days),
        first=totals["first"],
        last=totals["last"],
        previous=PreviousPeriod(
            start=previous.start,
            end=previous.end,
            twitches=before,
            average_per_day=_average(before, previous.days),
        ),
        change_percent=change,
        change_direction=figures.change_direction(change),
    )


def trends(user, period: Period, *, today: date, changed_on: date | None = None) -> Trends:
    """Everything the trends page draws, in a fixed number of queries (eight, plus two
    when `changed_on` is set), whatever the period's length or the journal's size.
    The twitches per day are read once and serve the daily chart, the weekly spread
    and the trigger and check-in comparisons.
    """
    days = day_rows(user, period)
    locations = location_counts(user, period)
    grid = weekday_hour_grid(user, period)
    distributions = _distributions(user, period)
    return Trends(
        period=period,
        summary=summary_numbers(user, period, days),
        daily=_daily_series(days, period),
        symptom_days=symptom_days(user, period),
        locations=locations,
        body_map=body_map_counts(locations),
        regions=regions_from_locations(locations),
        region_weeks=_weeks_from_days(days, period),
        hourly=hours_from_grid(grid),
        weekday_hours=grid,
        triggers=trigger_association(user, period, days),
        checkins=checkin_bands(user, period, days),
        durations=_duration_items(distributions),
        intensities=_intensity_items(distributions),
        lifestyle=lifestyle_comparison(user, changed_on, today),
    )
