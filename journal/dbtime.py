"""The person's local date, hour and weekday of a stored time, worked out by the database.

Drop-in replacements for Django's ``TruncDate``, ``ExtractHour`` and
``ExtractIsoWeekDay`` with ``tzinfo=``. On PostgreSQL they are exactly Django's
(``AT TIME ZONE`` is native there). On SQLite, Django converts each row by calling
back into Python, about twenty microseconds a row: the day of each twitch in a
journal of two years of dense logging then takes longer than the page around it.

So on SQLite the zone's UTC offsets are worked out once per process (every change
between ``SPAN_START`` and ``SPAN_END``) and written into the query as a balanced
CASE on the stored UTC text, which picks the offset in a handful of comparisons;
SQLite's own ``date()`` and ``strftime()`` apply it. A time outside that span falls
back to Django's function, so the answer is exact for any time.

Most times need no offset at all to find their local date: in London a time before
23:00 UTC is on the same date locally whatever the season. ``LocalDate`` reads the
date straight from the stored text for those, and works out the offset only for the
hour or so of each UTC day in which the local date can differ.
"""

from __future__ import annotations

import functools
import zoneinfo
from datetime import UTC, datetime

from django.db.models.functions import ExtractHour, ExtractIsoWeekDay, TruncDate

SPAN_START = datetime(1970, 1, 1, tzinfo=UTC)
SPAN_END = datetime(2038, 1, 1, tzinfo=UTC)

# SQLite stores an aware time as naive UTC text, "YYYY-MM-DD HH:MM:SS[.ffffff]", so a
# text comparison with an instant in the same form orders them correctly.
_SQLITE_FORMAT = "%Y-%m-%d %H:%M:%S"


def _offset_seconds(tz: zoneinfo.ZoneInfo, epoch_seconds: int) -> int:
    moment = datetime.fromtimestamp(epoch_seconds, UTC)
    return int(moment.astimezone(tz).utcoffset().total_seconds())


@functools.lru_cache(maxsize=128)
def offset_periods(zone_name: str) -> tuple[tuple[datetime, int], ...]:
    """Each stretch of one UTC offset in the span: (first instant, offset in seconds).

    Probes a day at a time and narrows each change down to the second (zone changes
    fall on whole seconds, and never twice within a day). About 25,000 probes, done
    once per zone and process.
    """
    tz = zoneinfo.ZoneInfo(zone_name)
    start, end = int(SPAN_START.timestamp()), int(SPAN_END.timestamp())
    day = 24 * 60 * 60
    periods = [(start, _offset_seconds(tz, start))]
    for probe in range(start, end, day):
        following = min(probe + day, end - 1)
        if _offset_seconds(tz, following) == periods[-1][1]:
            continue
        # The first second with the new offset lies in (before, after].
        before, after = probe, following
        while after - before > 1:
            middle = (before + after) // 2
            if _offset_seconds(tz, middle) == periods[-1][1]:
                before = middle
            else:
                after = middle
        periods.append((after, _offset_seconds(tz, after)))
    return tuple((datetime.fromtimestamp(when, UTC), offset) for when, offset in periods)


def _zone_name(expression) -> str | None:
    """The IANA name of the expression's zone, or None when it is not one (an offset)."""
    name = expression.get_tzname()
    try:
        zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return None
    return name


def _utc(moment: datetime | None, default: datetime) -> datetime:
    return default if moment is None else moment.astimezone(UTC)


@functools.lru_cache(maxsize=1024)
def _periods_within(
    zone_name: str, first: datetime, end: datetime
) -> tuple[datetime, datetime, tuple[tuple[datetime, int], ...]]:
    """The part of the span inside [first, end), and the offset periods overlapping it.

    Returns (lower, upper, periods): times from ``lower`` to before ``upper`` are worked
    out natively; ``periods`` may start before ``lower`` (the first is in force there).
    """
    lower, upper = max(SPAN_START, first), min(SPAN_END, end)
    periods = offset_periods(zone_name)
    kept = tuple(
        period
        for n, period in enumerate(periods)
        if period[0] < upper and (n + 1 == len(periods) or periods[n + 1][0] > lower)
    )
    return lower, upper, kept if lower < upper else ()


@functools.lru_cache(maxsize=1024)
def _sqlite_offset(
    column: str, zone_name: str, first: datetime, end: datetime
) -> tuple[str, int] | None:
    """SQL for the SQLite modifier ('+3600 seconds') in force at ``column``, NULL outside
    [first, end) and the span; and how many times the SQL names the column (for
    repeating its params). None when no time there can be worked out natively.

    Kept per column, zone and range: building the tree of a zone with many clock
    changes costs more than the query that uses it.
    """
    lower, upper, periods = _periods_within(zone_name, first, end)
    if not periods:
        return None

    def node(first: int, last: int) -> str:
        if last - first == 1:
            return f"'{periods[first][1]:+d} seconds'"
        middle = (first + last) // 2
        boundary = periods[middle][0].strftime(_SQLITE_FORMAT)
        return (
            f"CASE WHEN {column} < '{boundary}' THEN {node(first, middle)} "
            f"ELSE {node(middle, last)} END"
        )

    sql = (
        f"CASE WHEN {column} < '{lower.strftime(_SQLITE_FORMAT)}' "
        f"OR {column} >= '{upper.strftime(_SQLITE_FORMAT)}' THEN NULL "
        f"ELSE {node(0, len(periods))} END"
    )
    # Two for the range check, one per boundary of the tree.
    return sql, 2 + len(periods) - 1


class _SQLiteNative:
    """Native SQLite for a Django time function, Django's own SQL as the fallback.

    ``native`` is a format string of the SQLite expression, with ``{column}`` (the
    stored time to the second) and ``{offset}`` (the modifier SQL); a NULL modifier
    makes it NULL, so COALESCE hands times outside the span to Django's function.

    ``within=(first, end)`` (aware datetimes, either may be None) says where the
    query's times lie, so the SQL need only know the offsets in force there: a
    90-day chart needs one or two, not every clock change since 1970. A time outside
    it still gets the exact answer, from Django's function.
    """

    native = ""

    def __init__(
        self, *args, within: tuple[datetime | None, datetime | None] = (None, None), **kwargs
    ):
        super().__init__(*args, **kwargs)
        self.within = within

    def native_range(self) -> tuple[datetime, datetime]:
        """The range of stored times this expression works out natively (UTC)."""
        first, end = self.within
        return _utc(first, SPAN_START), _utc(end, SPAN_END)

    def as_sqlite(self, compiler, connection):
        fallback, fallback_params = self.as_sql(compiler, connection)
        zone_name = _zone_name(self)
        if zone_name is None:
            return fallback, fallback_params
        column, params = compiler.compile(self.lhs)
        offset = _sqlite_offset(column, zone_name, *self.native_range())
        if offset is None:
            return fallback, fallback_params
        offset_sql, uses = offset
        # SQLite's date functions round fractions of a second to the millisecond, which
        # could carry 23:59:59.9999 into the next day; whole seconds are exact.
        seconds = f"substr({column}, 1, 19)"
        native = self.native.format(column=seconds, offset=offset_sql)
        return f"COALESCE({native}, {fallback})", (*params, *params * uses, *fallback_params)


def same_date_band(
    zone_name: str, first: datetime = SPAN_START, end: datetime = SPAN_END
) -> tuple[int, int] | None:
    """The UTC times of day whose local date is the UTC date whatever the offset in
    force between ``first`` and ``end`` (within the span), as (from, to) seconds into
    the day, ``to`` excluded; None when no time of day is always so, or no offset is
    known there.

    A time ``t`` seconds into its UTC day is at ``t + offset`` locally, on the same date
    while that stays within [0, 86400) for every offset the zone has there.
    """
    offsets = [offset for _, offset in _periods_within(zone_name, first, end)[2]]
    if not offsets:
        return None
    first_second, end_second = max(0, -min(offsets)), min(86400, 86400 - max(offsets))
    return (first_second, end_second) if first_second < end_second else None


def _time_of_day(seconds: int) -> str:
    return f"{seconds // 3600:02d}:{seconds % 3600 // 60:02d}:{seconds % 60:02d}"


class LocalDate(_SQLiteNative, TruncDate):
    """``TruncDate(expression, tzinfo=tz)``: the date in ``tz``, native on SQLite too."""

    native = "date({column}, {offset})"

    def as_sqlite(self, compiler, connection):
        sql, params = super().as_sqlite(compiler, connection)
        zone_name = _zone_name(self)
        band = zone_name and same_date_band(zone_name, *self.native_range())
        if not band:
            return sql, params
        column, column_params = compiler.compile(self.lhs)
        lower, upper, _ = _periods_within(zone_name, *self.native_range())
        # The stored text is "YYYY-MM-DD HH:MM:SS[.ffffff]": its time of day compares as
        # text, and within the band its first ten characters are the local date. The
        # range check keeps times whose offsets were not worked out on the full path.
        checks = [
            f"{column} >= '{lower.strftime(_SQLITE_FORMAT)}'",
            f"{column} < '{upper.strftime(_SQLITE_FORMAT)}'",
        ]
        first, end = band
        if first > 0:
            checks.insert(0, f"substr({column}, 12, 8) >= '{_time_of_day(first)}'")
        if end < 86400:
            checks.insert(0, f"substr({column}, 12, 8) < '{_time_of_day(end)}'")
        shortcut = f"CASE WHEN {' AND '.join(checks)} THEN substr({column}, 1, 10) ELSE {sql} END"
        return shortcut, (*column_params * (len(checks) + 1), *params)


class LocalHour(_SQLiteNative, ExtractHour):
    """``ExtractHour(expression, tzinfo=tz)``: the hour (0-23) in ``tz``."""

    native = "CAST(strftime('%%H', {column}, {offset}) AS INTEGER)"


class LocalIsoWeekDay(_SQLiteNative, ExtractIsoWeekDay):
    """``ExtractIsoWeekDay(expression, tzinfo=tz)``: 1 for Monday to 7 for Sunday, in ``tz``."""

    # strftime's %w counts from Sunday = 0.
    native = "((CAST(strftime('%%w', {column}, {offset}) AS INTEGER) + 6) %% 7 + 1)"
