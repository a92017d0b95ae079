"""Local dates, hours and weekdays computed by the database agree with Python's zoneinfo.

On SQLite they come from a CASE over the zone's offsets (journal.dbtime); every
instant here is checked against ``astimezone``, at each side of every offset change
in the tested years and outside the span where Django's own function takes over.
"""

import random
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from journal.dbtime import (
    SPAN_END,
    SPAN_START,
    LocalDate,
    LocalHour,
    LocalIsoWeekDay,
    offset_periods,
    same_date_band,
)
from journal.models import TwitchEntry

pytestmark = pytest.mark.django_db

ZONES = (
    "UTC",
    "Europe/London",
    "America/New_York",
    "America/Santiago",  # southern summer time
    "Australia/Lord_Howe",  # a half-hour daylight-saving shift
    "Asia/Kathmandu",  # +05:45
    "Pacific/Chatham",  # +12:45 / +13:45
    "Pacific/Apia",  # skipped 30 December 2011 entirely
    "Africa/Casablanca",  # summer time paused for Ramadan
    "Africa/Monrovia",  # -00:44:30 until 1972
)


def _instants(zone_name: str) -> list[datetime]:
    """Both sides of each offset change in 1971-1973 and 2010-2027, and random instants."""
    instants = []
    for start, _ in offset_periods(zone_name)[1:]:
        if start.year in (1971, 1972, 1973) or 2010 <= start.year <= 2027:
            for delta in (-3600, -1, 0, 1, 3599):
                instants.append(start + timedelta(seconds=delta, microseconds=0))
            instants.append(start - timedelta(microseconds=1))
    rng = random.Random(zone_name)
    span = int(
        (datetime(2028, 1, 1, tzinfo=UTC) - datetime(2000, 1, 1, tzinfo=UTC)).total_seconds()
    )
    instants += [
        datetime(2000, 1, 1, tzinfo=UTC) + timedelta(seconds=rng.randrange(span), microseconds=7)
        for _ in range(200)
    ]
    # Outside the span the database's own conversion answers.
    instants += [SPAN_START - timedelta(hours=13), SPAN_END + timedelta(days=400, hours=11)]
    return instants


@pytest.mark.parametrize("zone_name", ZONES)
def test_local_date_hour_and_weekday_match_zoneinfo_at_every_offset_change(user, zone_name):
    tz = ZoneInfo(zone_name)
    instants = _instants(zone_name)
    TwitchEntry.objects.bulk_create(
        TwitchEntry(user=user, occurred_at=moment, location="calf") for moment in instants
    )

    rows = (
        TwitchEntry.objects.filter(user=user)
        .annotate(
            day=LocalDate("occurred_at", tzinfo=tz),
            hour=LocalHour("occurred_at", tzinfo=tz),
            weekday=LocalIsoWeekDay("occurred_at", tzinfo=tz),
        )
        .values_list("occurred_at", "day", "hour", "weekday")
    )

    mismatches = [
        (moment, day, hour, weekday)
        for moment, day, hour, weekday in rows
        if (day, hour, weekday)
        != (
            moment.astimezone(tz).date(),
            moment.astimezone(tz).hour,
            moment.astimezone(tz).isoweekday(),
        )
    ]
    assert len(rows) == len(instants)
    assert mismatches == []


def test_grouping_by_local_date_counts_each_local_day(user):
    tz = ZoneInfo("America/New_York")
    # 23:30 and 00:30 local on either side of midnight, and 01:30 twice on the autumn
    # night the clocks go back (05:30 and 06:30 UTC are both 1 November, local).
    moments = [
        datetime(2026, 3, 7, 23, 30, tzinfo=tz),
        datetime(2026, 3, 8, 0, 30, tzinfo=tz),
        datetime(2026, 11, 1, 5, 30, tzinfo=UTC),
        datetime(2026, 11, 1, 6, 30, tzinfo=UTC),
    ]
    TwitchEntry.objects.bulk_create(
        TwitchEntry(user=user, occurred_at=moment, location="calf") for moment in moments
    )

    days = (
        TwitchEntry.objects.filter(user=user)
        .annotate(day=LocalDate("occurred_at", tzinfo=tz))
        .values_list("day", flat=True)
        .distinct()
        .order_by("day")
    )

    assert [day.isoformat() for day in days] == ["2026-03-07", "2026-03-08", "2026-11-01"]


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's own date functions")
def test_sqlite_works_out_dates_in_the_span_with_its_own_date_function(user):
    tz = ZoneInfo("Europe/London")
    with CaptureQueriesContext(connection) as captured:
        list(
            TwitchEntry.objects.annotate(day=LocalDate("occurred_at", tzinfo=tz)).values_list(
                "day", flat=True
            )
        )
    sql = captured.captured_queries[0]["sql"]
    # Before 23:00 UTC a London time is on the same date locally in any season, so
    # the date is read from the stored text; later times go through the offsets.
    assert sql.startswith(
        'SELECT CASE WHEN substr("journal_twitchentry"."occurred_at", 12, 8) < \'23:00:00\''
    )
    assert 'THEN substr("journal_twitchentry"."occurred_at", 1, 10)' in sql
    assert 'COALESCE(date(substr("journal_twitchentry"."occurred_at", 1, 19), CASE WHEN' in sql
    # Django's per-row function is only the fallback for times outside the span.
    assert sql.count("django_datetime_cast_date") == 1


@pytest.mark.parametrize(
    ("zone_name", "band"),
    [
        ("UTC", (0, 86400)),
        ("Europe/London", (0, 23 * 3600)),  # +00:00 and +01:00
        ("America/New_York", (5 * 3600, 86400)),  # -05:00 and -04:00
        ("Asia/Kathmandu", (0, 86400 - (5 * 3600 + 45 * 60))),  # +05:30 before 1986
        ("Pacific/Apia", None),  # -11:00 to +14:00: no time of day is always safe
    ],
)
def test_same_date_band_spans_the_times_of_day_no_offset_moves_to_another_date(zone_name, band):
    assert same_date_band(zone_name) == band


@pytest.mark.parametrize("zone_name", ZONES)
def test_local_date_is_right_at_each_edge_of_the_same_date_band(user, zone_name):
    tz = ZoneInfo(zone_name)
    band = same_date_band(zone_name) or (0, 86400)
    edges = [
        datetime(year, month, 14, tzinfo=UTC) + timedelta(seconds=edge + delta)
        for year in (1972, 2011, 2026)
        for month in (1, 7)
        for edge in band
        for delta in (-1, -0.000001, 0, 1)
    ]
    TwitchEntry.objects.bulk_create(
        TwitchEntry(user=user, occurred_at=moment, location="calf") for moment in edges
    )

    rows = (
        TwitchEntry.objects.filter(user=user)
        .annotate(day=LocalDate("occurred_at", tzinfo=tz))
        .values_list("occurred_at", "day")
    )

    assert len(rows) == len(edges)
    assert [(moment, day) for moment, day in rows if day != moment.astimezone(tz).date()] == []


def test_offset_periods_start_each_stretch_on_the_second_the_clocks_change():
    periods = dict(offset_periods("Europe/London"))
    assert periods[datetime(2026, 3, 29, 1, 0, tzinfo=UTC)] == 3600
    assert periods[datetime(2026, 10, 25, 1, 0, tzinfo=UTC)] == 0
    assert offset_periods("UTC") == ((SPAN_START, 0),)


@pytest.mark.parametrize("zone_name", ZONES)
def test_a_range_limits_the_offsets_in_the_sql_but_every_time_stays_exact(user, zone_name):
    tz = ZoneInfo(zone_name)
    first = datetime(2026, 3, 1, tzinfo=tz)
    end = datetime(2026, 5, 1, tzinfo=tz)
    # Inside the range, at its edges, and well outside it on both sides.
    instants = [first + timedelta(hours=7 * n, seconds=n) for n in range(0, 220)]
    instants += [first - timedelta(microseconds=1), end, end - timedelta(microseconds=1)]
    instants += [datetime(2011, 12, 29, 23, 30, tzinfo=UTC), datetime(2040, 7, 1, tzinfo=UTC)]
    TwitchEntry.objects.bulk_create(
        TwitchEntry(user=user, occurred_at=moment, location="calf") for moment in instants
    )

    rows = (
        TwitchEntry.objects.filter(user=user)
        .annotate(
            day=LocalDate("occurred_at", tzinfo=tz, within=(first, end)),
            hour=LocalHour("occurred_at", tzinfo=tz, within=(first, end)),
            weekday=LocalIsoWeekDay("occurred_at", tzinfo=tz, within=(first, end)),
        )
        .values_list("occurred_at", "day", "hour", "weekday")
    )

    assert len(rows) == len(instants)
    local = {moment: moment.astimezone(tz) for moment, *_ in rows}
    assert [
        row
        for row in rows
        if row[1:] != (local[row[0]].date(), local[row[0]].hour, local[row[0]].isoweekday())
    ] == []


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's own date functions")
def test_a_ninety_day_range_needs_only_the_offsets_in_force_during_it(user):
    tz = ZoneInfo("Europe/London")
    everything = LocalHour("occurred_at", tzinfo=tz)
    summer = LocalHour(
        "occurred_at",
        tzinfo=tz,
        within=(datetime(2026, 5, 1, tzinfo=tz), datetime(2026, 7, 30, tzinfo=tz)),
    )

    def sql(expression):
        with CaptureQueriesContext(connection) as captured:
            list(TwitchEntry.objects.annotate(hour=expression).values_list("hour", flat=True))
        return captured.captured_queries[0]["sql"]

    # Every clock change from 1970 to 2037, against British Summer Time alone.
    assert sql(everything).count("CASE WHEN") > 100
    assert sql(summer).count("CASE WHEN") == 1
    assert "'+3600 seconds'" in sql(summer)
