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


def _sqlite_offset(column: str, zone_name: str) -> tuple[str, int]:
    """SQL for the SQLite modifier ('+3600 seconds') in force at ``column``, NULL outside
    the span; and how many times the SQL names the column (for repeating its params)."""
    periods = offset_periods(zone_name)

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
        f"CASE WHEN {column} < '{SPAN_START.strftime(_SQLITE_FORMAT)}' "
        f"OR {column} >= '{SPAN_END.strftime(_SQLITE_FORMAT)}' THEN NULL "
        f"ELSE {node(0, len(periods))} END"
    )
    # Two for the span check, one per boundary of the tree.
    return sql, 2 + len(periods) - 1


class _SQLiteNative:
    """Native SQLite for a Django time function, Django's own SQL as the fallback.

    ``native`` is a format string of the SQLite expression, with ``{column}`` (the
    stored time to the second) and ``{offset}`` (the modifier SQL); a NULL modifier
    makes it NULL, so COALESCE hands times outside the span to Django's function.
    """

    native = ""

    def as_sqlite(self, compiler, connection):
        fallback, fallback_params = self.as_sql(compiler, connection)
        zone_name = _zone_name(self)
        if zone_name is None:
            return fallback, fallback_params
        column, params = compiler.compile(self.lhs)
        offset, uses = _sqlite_offset(column, zone_name)
        # SQLite's date functions round fractions of a second to the millisecond, which
        # could carry 23:59:59.9999 into the next day; whole seconds are exact.
        seconds = f"substr({column}, 1, 19)"
        native = self.native.format(column=seconds, offset=offset)
        return f"COALESCE({native}, {fallback})", (*params, *params * uses, *fallback_params)


class LocalDate(_SQLiteNative, TruncDate):
    """``TruncDate(expression, tzinfo=tz)``: the date in ``tz``, native on SQLite too."""

    native = "date({column}, {offset})"


class LocalHour(_SQLiteNative, ExtractHour):
    """``ExtractHour(expression, tzinfo=tz)``: the hour (0-23) in ``tz``."""

    native = "CAST(strftime('%%H', {column}, {offset}) AS INTEGER)"


class LocalIsoWeekDay(_SQLiteNative, ExtractIsoWeekDay):
    """``ExtractIsoWeekDay(expression, tzinfo=tz)``: 1 for Monday to 7 for Sunday, in ``tz``."""

    # strftime's %w counts from Sunday = 0.
    native = "((CAST(strftime('%%w', {column}, {offset}) AS INTEGER) + 6) %% 7 + 1)"
