"""Turns a person's journal rows into a ``rules.History``: the one place rows become records.

Every date here is a calendar day in the person's own time zone (Profile.time_zone),
so a twitch at 23:30 in New York belongs to that evening's date even though it is
stored as the next day in UTC. Daylight-saving changes are handled by ``zoneinfo``.

The rules count days per place and region, never single twitches, so the database
groups the twitches before they arrive: one row per local day and place in the last
``LOOKBACK_DAYS``, and, when the current episode of twitching began before that
window, one row per earlier day of that episode, found by walking its local days
newest first and stopping at the first gap the episode cannot bridge. The number of
queries is the same whatever the size of the journal, an empty one included.
"""

from __future__ import annotations

import functools
import zoneinfo
from datetime import date, datetime, time, timedelta

from django.db import connection
from django.db.models import (
    Case,
    CharField,
    DateField,
    DateTimeField,
    F,
    IntegerField,
    Max,
    Min,
    Q,
    Value,
    When,
)
from django.db.models.expressions import RawSQL
from django.db.models.functions import Cast
from django.utils import timezone

from . import body, rules
from .dbtime import SPAN_END, SPAN_START, LocalDate, offset_periods
from .models import SymptomEntry, TwitchEntry

# The longest window any rule reads (SENSORY); WEAKNESS and MUSCLE_LOSS need 56 days,
# regions and most symptom rules 28, so 90 days serves them all.
LOOKBACK_DAYS = rules.SENSORY_LOOKBACK_DAYS

# Every place a twitch can be logged (the database holds no other). Naming them lets
# the (user, location, occurred_at) index answer each place's time range; SQLite then
# groups the window from the index alone, without reading the table's rows.
_EVERY_PLACE = tuple(code for code, _ in body.TWITCH_LOCATIONS)


def local_today(user) -> date:
    """Today's date where the person lives, whatever zone the request runs in."""
    return timezone.localdate(timezone=user.profile.tz)


def window_start(today: date) -> date:
    """The first day ``build_history`` reads in full: ``today - (LOOKBACK_DAYS - 1)``."""
    return today - timedelta(days=LOOKBACK_DAYS - 1)


def build_history(user, today: date | None = None) -> rules.History:
    """The person's ``rules.History`` as of ``today`` (their local date by default).

    ``twitches`` holds the twitch-days of the last ``LOOKBACK_DAYS``, oldest first:
    in the last ``rules.WINDOW_DAYS``, where the rules count places and regions, one
    record per local day and place; before that, one per day for the eyelid and one
    for everywhere else (with one of its places), as the rules only count days there.
    A record's ``entry_id`` is the first twitch behind it; one that stands for several
    twitches comes twice, with the first and the last, so evidence can still tell one
    entry from several. Only when the current episode reaches back before the window,
    they are preceded by one record per earlier day of the episode, without an entry
    id. Entries dated after ``today`` are left out. ``symptoms`` holds every symptom
    entry from the same window.

    Queries: the profile (unless already loaded on ``user``), the twitches, the
    symptoms, and the walk through the episode's earlier days (which stops at once
    when no earlier day could join it): the same four for every journal, an empty
    one included.
    """
    profile = user.profile
    tz = profile.tz
    if today is None:
        today = timezone.localdate(timezone=tz)
    start = window_start(today)
    # Midnight at each end in the person's zone; zoneinfo picks the right offset
    # for each date, so the bounds stay exact across daylight-saving changes.
    start_at = _midnight(start, tz)
    places_at = _midnight(today - timedelta(days=rules.WINDOW_DAYS - 1), tz)
    end_at = _midnight(today + timedelta(days=1), tz)

    twitches = _window_twitches(user, tz, start_at, places_at, end_at)
    symptoms = [
        rules.SymptomRecord(
            day=noted_on,
            kind=kind,
            severity=severity,
            onset=onset,
            location=location or None,
            side=side or None,
            entry_id=pk,
        )
        for pk, noted_on, kind, severity, onset, location, side in SymptomEntry.objects.filter(
            user=user, noted_on__gte=start, noted_on__lte=today
        )
        .order_by("noted_on", "id")
        .values_list("id", "noted_on", "kind", "severity", "onset", "location", "side")
    ]

    earliest = min(
        (record.day for record in twitches if record.location != body.EYELID), default=None
    )
    twitches = _episode_before(user, tz, start, earliest) + twitches

    return rules.History(
        twitches=tuple(twitches),
        symptoms=tuple(symptoms),
        family_history=profile.has_family_history,
        reassured_on=profile.reassured_on,
    )


def _midnight(day: date, tz) -> datetime:
    return datetime.combine(day, time.min, tzinfo=tz)


def _local_day_text(tz, start_at: datetime, end_at: datetime) -> Cast:
    """The local date of twitches between ``start_at`` and ``end_at``, as "YYYY-MM-DD"
    text: a few distinct days stand for many rows, so parsing each text once
    (``_DayParser``) beats a date conversion on every row."""
    return Cast(LocalDate("occurred_at", tzinfo=tz, within=(start_at, end_at)), CharField())


class _DayParser(dict):
    """``parser[text]`` is the date written as ``text``, parsed once per distinct day."""

    def __missing__(self, text: str) -> date:
        self[text] = day = date.fromisoformat(text)
        return day


def _window_twitches(user, tz, start_at, places_at, end_at) -> list[rules.TwitchRecord]:
    """The twitch records of the window, grouped by the database (see ``build_history``)."""
    # Places matter from ``places_at`` on; before it, only eyelid or not.
    place = Case(
        When(Q(occurred_at__gte=places_at) | Q(location=body.EYELID), then=F("location")),
        default=Value(""),
    )
    rows = (
        TwitchEntry.objects.filter(
            user=user, location__in=_EVERY_PLACE, occurred_at__gte=start_at, occurred_at__lt=end_at
        )
        .annotate(day=_local_day_text(tz, start_at, end_at), place=place)
        .values("day", "place")
        .annotate(where=Min("location"), first_id=Min("id"), last_id=Max("id"))
        # The grouping's own order, so the database need not sort again.
        .order_by("day", "place")
        .values_list("day", "where", "first_id", "last_id")
    )
    parse = _DayParser()
    records = []
    for text, location, first_id, last_id in rows:
        day = parse[text]
        records.append(rules.TwitchRecord(day=day, location=location, entry_id=first_id))
        if last_id != first_id:
            records.append(rules.TwitchRecord(day=day, location=location, entry_id=last_id))
    return records


# SQL for the walk back through the episode, per database: a day (a parameter), the
# place of a day not looked up, the day before one, whole days between two, and an
# instant some seconds from a day's midnight in UTC, as SQLite's stored text or as
# PostgreSQL's timestamp.
_DAY_SQL = {
    "sqlite": {
        "day": "%s",
        "no_place": "NULL",
        "previous": "date({day}, '-1 day')",
        "between": "(julianday({later}) - julianday({earlier}))",
        "instant": "datetime({day}, ({seconds}) || ' seconds')",
    },
    "postgresql": {
        "day": "CAST(%s AS date)",
        "no_place": "CAST(NULL AS varchar)",
        "previous": "({day} - 1)",
        "between": "({later} - {earlier})",
        "instant": "((({day})::timestamp + ({seconds}) * interval '1 second') AT TIME ZONE 'UTC')",
    },
}
# Outside the span whose offsets dbtime knows, a day's twitches are looked for a
# little over a day either side of its midnight, which covers any offset there is.
_ANY_OFFSET_SECONDS = 26 * 60 * 60


def _episode_before(user, tz, start: date, earliest: date | None) -> list[rules.TwitchRecord]:
    """One record per day of the episode before ``start``, oldest first.

    The rules count days, not places, before the window, so each day comes once, with
    the first place logged that day. The database walks back one local day at a time
    from the day before ``start``, looking each day up in the (user, occurred_at)
    index, and stops once ``rules.EPISODE_GAP_DAYS`` days in a row have no twitches.
    That reads a handful of index entries per day of the episode, rather than every
    twitch before the window. Eyelid twitches never join an episode (RULES.md 2.1).
    ``earliest`` is the first twitch-day in the window: when there is none, or it is
    too far from ``start`` for an earlier day to join, the walk stops before it
    starts, and running the query anyway keeps the number of queries the same for
    every journal.
    """
    sql, probe_params = _episode_walk_sql(connection.vendor, tz.key)
    if connection.vendor == "sqlite":
        first, newest = start.isoformat(), earliest.isoformat() if earliest else None
    else:
        first, newest = start, earliest
    params = [first, newest, user.pk, first, *probe_params, rules.EPISODE_GAP_DAYS]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    parse = _DayParser()
    return [
        rules.TwitchRecord(day=day if isinstance(day, date) else parse[day], location=place)
        for day, place in rows
    ]


@functools.lru_cache(maxsize=64)
def _episode_walk_sql(vendor: str, zone_name: str) -> tuple[str, tuple]:
    """The walk's SQL and the parameters of its probe, for one database and zone.

    ``walk`` starts on the window's first day (not looked up) with the episode's
    earliest day there as the newest twitch-day, and the person's id; each step looks
    up the day before. The SQL names no person, so it is built once per zone; the
    parameters in front of the probe's are (start, earliest, user id, start), and
    the gap follows it.
    """
    day_sql = _DAY_SQL[vendor]
    # Each row carries the day before its own, worked out once for the next step.
    probe, probe_params = _first_place_sql(zoneinfo.ZoneInfo(zone_name), vendor, "walk.before")
    newest = "CASE WHEN walk.place IS NULL THEN walk.newest ELSE walk.day END"
    sql = f"""
        WITH RECURSIVE walk(day, place, newest, person, before) AS (
            SELECT {day_sql["day"]}, {day_sql["no_place"]}, {day_sql["day"]}, %s,
                {day_sql["previous"].format(day=day_sql["day"])}
            UNION ALL
            SELECT walk.before, ({probe}), {newest}, walk.person,
                {day_sql["previous"].format(day="walk.before")}
            FROM walk
            WHERE {day_sql["between"].format(later=newest, earlier="walk.day")} < %s
        )
        SELECT day, place FROM walk WHERE place IS NOT NULL ORDER BY day
    """
    return sql, tuple(probe_params)


def _first_place_sql(tz, vendor: str, day_sql: str) -> tuple[str, tuple]:
    """SQL for the first non-eyelid place ``walk.person`` logged on the local day
    ``day_sql``.

    The day's twitches lie between its midnight less the zone's largest offset and the
    next midnight less its smallest; the local date of each candidate decides, so the
    answer is exact even on a day whose clocks jumped.
    """
    offsets = [offset for _, offset in offset_periods(tz.key)]
    first_known = (SPAN_START + timedelta(days=2)).date().isoformat()
    last_known = (SPAN_END - timedelta(days=2)).date().isoformat()

    def bound(seconds: int, fallback: int) -> RawSQL:
        # Day texts compare in date order, so this reads the same on both databases.
        offset = f"CASE WHEN {day_sql} BETWEEN '{first_known}' AND '{last_known}' "
        offset += f"THEN {seconds} ELSE {fallback} END"
        sql = _DAY_SQL[vendor]["instant"].format(day=day_sql, seconds=offset)
        return RawSQL(sql, [], output_field=DateTimeField())

    query = (
        TwitchEntry.objects.filter(
            user_id=RawSQL("walk.person", [], output_field=IntegerField()),
            occurred_at__gte=bound(-max(offsets), -_ANY_OFFSET_SECONDS),
            occurred_at__lt=bound(86400 - min(offsets), 86400 + _ANY_OFFSET_SECONDS),
        )
        .exclude(location=body.EYELID)
        .annotate(local_day=LocalDate("occurred_at", tzinfo=tz))
        .filter(local_day=RawSQL(day_sql, [], output_field=DateField()))
        # By time alone, which the (user, occurred_at) index already gives, so the
        # look-up stops at the day's first twitch instead of sorting all of them.
        .order_by("occurred_at")
        .values_list("location")[:1]
    )
    return query.query.sql_with_params()
