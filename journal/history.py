"""Turns a person's journal rows into a ``rules.History``: the one place rows become records.

Every date here is the local date stored with each entry when it was written
(RULES.md 2): a twitch at 23:30 in New York belongs to that evening's date, and stays
there when the person later moves to another time zone.

The rules count days per place and region, never single twitches, so the database
groups the twitches before they arrive: one row per local day and place in the last
``LOOKBACK_DAYS``, and, for the current episode of twitching, each distinct day
before that window, newest first, of which those up to the first gap the episode
cannot bridge are kept. Both are read through the (user, local_date, location)
index. The number of queries is the same whatever the size of the journal, an empty
one included.
"""

from __future__ import annotations

from datetime import date, timedelta

from django.db.models import Case, F, Max, Min, Q, Value, When
from django.utils import timezone

from . import body, rules
from .models import SymptomEntry, TwitchEntry

# The longest window any rule reads (SENSORY); WEAKNESS and MUSCLE_LOSS need 56 days,
# regions and most symptom rules 28, so 90 days serves them all.
LOOKBACK_DAYS = rules.SENSORY_LOOKBACK_DAYS


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
    entry from several. Entries dated after ``today`` are left out. ``symptoms``
    holds every symptom entry from the same window. Only when the current episode
    reaches back before the window, ``earlier_days`` holds its days before it.

    Queries: the profile (unless already loaded on ``user``), the twitches, the
    symptoms, and the episode's earlier days: the same four for every journal, an
    empty one included.
    """
    profile = user.profile
    if today is None:
        today = timezone.localdate(timezone=profile.tz)
    start = window_start(today)
    twitches = _window_twitches(user, start, today)
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
    return rules.History(
        twitches=tuple(twitches),
        symptoms=tuple(symptoms),
        family_history=profile.has_family_history,
        reassured_on=profile.reassured_on,
        earlier_days=_episode_before(user, start, earliest),
    )


def _window_twitches(user, start: date, today: date) -> list[rules.TwitchRecord]:
    """The twitch records of the window, grouped by the database (see ``build_history``)."""
    places_from = today - timedelta(days=rules.WINDOW_DAYS - 1)
    # Places matter from ``places_from`` on; before it, only eyelid or not.
    place = Case(
        When(Q(local_date__gte=places_from) | Q(location=body.EYELID), then=F("location")),
        default=Value(""),
    )
    rows = (
        # The (user, local_date, location) index: WHERE user_id=? AND local_date BETWEEN
        # ? AND ? GROUP BY local_date, place, read from the index alone.
        TwitchEntry.objects.filter(user=user, local_date__gte=start, local_date__lte=today)
        .values("local_date", place=place)
        .annotate(where=Min("location"), first_id=Min("id"), last_id=Max("id"))
        # The grouping's own order, so the database need not sort again. With the place
        # among the columns, both name it by position (GROUP BY 1, 2 ORDER BY 1, 2): the
        # CASE is written once, and SQLite sees the two orders are one.
        .order_by("local_date", "place")
        .values_list("local_date", "place", "where", "first_id", "last_id")
    )
    records = []
    for day, _, location, first_id, last_id in rows:
        records.append(rules.TwitchRecord(day=day, location=location, entry_id=first_id))
        if last_id != first_id:
            records.append(rules.TwitchRecord(day=day, location=location, entry_id=last_id))
    return records


def _episode_before(user, start: date, earliest: date | None) -> tuple[date, ...]:
    """The days of the current episode before ``start``, oldest first.

    The rules count days, not places or entries, before the window, so only the
    distinct non-eyelid twitch-days are read, newest first, and kept up to the first
    gap of more than ``rules.EPISODE_GAP_DAYS`` days. They are read in one go: the
    database has every day in hand before it returns the first (it sorts them, or
    reads the index through), and a server-side cursor, which reading in chunks takes
    on PostgreSQL, cost more round trips than the days it spared. ``earliest`` is
    the first non-eyelid twitch-day in the window; when there is none, no earlier
    day can join (the query still runs, so every journal asks the same questions).
    Eyelid twitches never join an episode (RULES.md 2.1).
    """
    days = (
        # The (user, local_date, location) index, backwards: SELECT DISTINCT local_date
        # WHERE user_id=? AND local_date < ? AND location <> 'eyelid' ORDER BY local_date DESC
        TwitchEntry.objects.filter(user=user, local_date__lt=start)
        .exclude(location=body.EYELID)
        .values_list("local_date", flat=True)
        .distinct()
        .order_by("-local_date")
    )
    found = []
    newest = earliest
    for day in days:
        if newest is None or (newest - day).days > rules.EPISODE_GAP_DAYS:
            break
        found.append(day)
        newest = day
    found.reverse()
    return tuple(found)
