"""Local dates, hours and weekdays: stored with each twitch, grouped by the database.

Each twitch is placed in time when written (``TwitchEntry.place_in_time``, with
zoneinfo); the database only reads the stored date and hour, and works out a date's
weekday (``journal.dbtime.IsoWeekday``). Every instant here is checked against
``astimezone``, at each side of every offset change in the tested years.
"""

import random
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from journal.dbtime import IsoWeekday
from journal.models import TwitchEntry

pytestmark = pytest.mark.django_db

ZONES = (
    "UTC",
    "Europe/London",
    "America/New_York",
    "America/St_Johns",  # -03:30 / -02:30
    "Asia/Kolkata",  # +05:30
    "Pacific/Auckland",  # southern summer time, +13:00
    "Australia/Lord_Howe",  # a half-hour daylight-saving shift
    "Asia/Kathmandu",  # +05:45
    "Pacific/Chatham",  # +12:45 / +13:45
    "Pacific/Apia",  # skipped 30 December 2011 entirely
    "Africa/Casablanca",  # summer time paused for Ramadan
)


def _offset_changes(tz, first: datetime, end: datetime) -> list[datetime]:
    """Each instant from ``first`` to ``end`` at which the zone's offset changes (to the
    minute: zone changes fall on whole minutes here)."""
    changes, moment = [], first
    offset = moment.astimezone(tz).utcoffset()
    while moment < end:
        following = moment + timedelta(hours=1)
        if following.astimezone(tz).utcoffset() != offset:
            low, high = moment, following
            while high - low > timedelta(minutes=1):
                middle = low + (high - low) / 2
                middle = middle.replace(second=0, microsecond=0)
                if middle.astimezone(tz).utcoffset() == offset:
                    low = middle
                else:
                    high = middle
            changes.append(high)
            offset = following.astimezone(tz).utcoffset()
        moment = following
    return changes


def _instants(zone_name: str) -> list[datetime]:
    """Both sides of each offset change in 2011 and 2025-2026, and random instants."""
    tz = ZoneInfo(zone_name)
    instants = []
    for first, end in ((2011, 2012), (2025, 2027)):
        for change in _offset_changes(
            tz, datetime(first, 1, 1, tzinfo=UTC), datetime(end, 1, 1, tzinfo=UTC)
        ):
            for delta in (-3600, -1, 0, 1, 3599):
                instants.append(change + timedelta(seconds=delta))
    rng = random.Random(zone_name)
    span = int(
        (datetime(2028, 1, 1, tzinfo=UTC) - datetime(2000, 1, 1, tzinfo=UTC)).total_seconds()
    )
    instants += [
        datetime(2000, 1, 1, tzinfo=UTC) + timedelta(seconds=rng.randrange(span), microseconds=7)
        for _ in range(200)
    ]
    return instants


@pytest.mark.parametrize("zone_name", ZONES)
def test_stored_local_date_hour_and_weekday_match_zoneinfo_at_every_offset_change(
    make_user, zone_name
):
    person = make_user(time_zone=zone_name)
    tz = ZoneInfo(zone_name)
    instants = _instants(zone_name)
    TwitchEntry.objects.bulk_create(
        TwitchEntry(user=person, occurred_at=moment, location="calf") for moment in instants
    )

    rows = (
        TwitchEntry.objects.filter(user=person)
        .annotate(weekday=IsoWeekday("local_date"))
        .values_list("occurred_at", "local_date", "local_hour", "weekday", "utc_offset_minutes")
    )

    mismatches = [
        row
        for row in rows
        if row[1:]
        != (
            row[0].astimezone(tz).date(),
            row[0].astimezone(tz).hour,
            row[0].astimezone(tz).isoweekday(),
            int(row[0].astimezone(tz).utcoffset().total_seconds() // 60),
        )
    ]
    assert len(rows) == len(instants)
    assert mismatches == []


def test_grouping_by_local_date_counts_each_local_day(make_user):
    person = make_user(time_zone="America/New_York")
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
        TwitchEntry(user=person, occurred_at=moment, location="calf") for moment in moments
    )

    days = (
        TwitchEntry.objects.filter(user=person)
        .values_list("local_date", flat=True)
        .distinct()
        .order_by("local_date")
    )

    assert list(days) == [date(2026, 3, 7), date(2026, 3, 8), date(2026, 11, 1)]


def test_the_weekday_of_every_date_over_four_years_matches_python(make_user):
    person = make_user()
    first = date(2023, 12, 25)
    days = [first + timedelta(days=n) for n in range(4 * 366)]
    TwitchEntry.objects.bulk_create(
        TwitchEntry(
            user=person,
            occurred_at=datetime(d.year, d.month, d.day, 12, tzinfo=UTC),
            location="calf",
        )
        for d in days
    )

    rows = (
        TwitchEntry.objects.filter(user=person)
        .annotate(weekday=IsoWeekday("local_date"))
        .values_list("local_date", "weekday")
    )

    assert dict(rows) == {d: d.isoweekday() for d in days}


def test_no_query_converts_times_between_zones(make_user):
    person = make_user(time_zone="Pacific/Chatham")
    TwitchEntry.objects.create(
        user=person, occurred_at=datetime(2025, 1, 1, tzinfo=UTC), location="calf"
    )

    with CaptureQueriesContext(connection) as captured:
        list(
            TwitchEntry.objects.filter(user=person)
            .annotate(weekday=IsoWeekday("local_date"))
            .values("weekday", "local_hour")
        )

    sql = captured.captured_queries[0]["sql"].upper()
    assert "AT TIME ZONE" not in sql
    assert "DJANGO_DATE" not in sql
    assert "CASE" not in sql
