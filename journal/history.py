"""Turns a person's journal rows into a ``rules.History``: the one place rows become records.

Every date here is a calendar day in the person's own time zone (Profile.time_zone),
so a twitch at 23:30 in New York belongs to that evening's date even though it is
stored as the next day in UTC. Daylight-saving changes are handled by ``zoneinfo``.

Only what the rules' windows need is read, in a fixed number of queries whatever the
size of the journal: the last ``LOOKBACK_DAYS`` of twitches and symptoms, and, when
the current episode of twitching began before that window, one row per earlier
day of that episode, found by walking its local days newest first and stopping at
the first gap the episode cannot bridge.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from django.db.models import Min
from django.utils import timezone

from . import body, rules
from .dbtime import LocalDate
from .models import SymptomEntry, TwitchEntry

# The longest window any rule reads (EYELID); WEAKNESS and MUSCLE_LOSS need 56 days,
# regions and most symptom rules 28, so 90 days serves them all.
LOOKBACK_DAYS = rules.EYELID_LOOKBACK_DAYS


def local_today(user) -> date:
    """Today's date where the person lives, whatever zone the request runs in."""
    return timezone.localdate(timezone=user.profile.tz)


def window_start(today: date) -> date:
    """The first day ``build_history`` reads in full: ``today - (LOOKBACK_DAYS - 1)``."""
    return today - timedelta(days=LOOKBACK_DAYS - 1)


def build_history(user, today: date | None = None) -> rules.History:
    """The person's ``rules.History`` as of ``today`` (their local date by default).

    ``twitches`` holds one record per twitch entry from the last ``LOOKBACK_DAYS``
    (with entry id, local hour, duration and intensity). Only when the current
    episode reaches back before that window, they are preceded by one record per
    earlier day of the episode, without an entry id: the rules count days, not
    entries, there. Entries dated after ``today`` are left out. ``symptoms`` holds
    every symptom entry from the same window.

    Queries: the profile (unless already loaded on ``user``), the twitches, the
    symptoms, and at most one more for an episode that began before the window.
    """
    profile = user.profile
    tz = profile.tz
    if today is None:
        today = timezone.localdate(timezone=tz)
    start = window_start(today)
    # Midnight at each end in the person's zone; zoneinfo picks the right offset
    # for each date, so the bounds stay exact across daylight-saving changes.
    start_at = datetime.combine(start, time.min, tzinfo=tz)
    end_at = datetime.combine(today + timedelta(days=1), time.min, tzinfo=tz)

    twitches = [
        _twitch_record(row, tz)
        for row in TwitchEntry.objects.filter(
            user=user, occurred_at__gte=start_at, occurred_at__lt=end_at
        )
        .order_by("occurred_at", "id")
        .values_list("id", "occurred_at", "location", "side", "duration_seconds", "intensity")
    ]
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
    if earliest is not None and (earliest - start).days < rules.EPISODE_GAP_DAYS:
        # A twitch-day just before the window could still join the episode.
        twitches = _episode_before(user, tz, start_at, earliest) + twitches

    return rules.History(
        twitches=tuple(twitches),
        symptoms=tuple(symptoms),
        family_history=profile.has_family_history,
        reassured_on=profile.reassured_on,
    )


def _twitch_record(row, tz) -> rules.TwitchRecord:
    pk, occurred_at, location, side, duration_seconds, intensity = row
    local = occurred_at.astimezone(tz)
    return rules.TwitchRecord(
        day=local.date(),
        location=location,
        side=side,
        hour=local.hour,
        duration_seconds=duration_seconds,
        intensity=intensity,
        entry_id=pk,
    )


def _episode_before(user, tz, start_at: datetime, earliest: date) -> list[rules.TwitchRecord]:
    """One record per day of the episode before ``start_at``, oldest first.

    The rules count days, not places, before the window, so each day comes once,
    with one of the places logged that day: one grouped query of local days, newest
    first, walked until the first gap over ``rules.EPISODE_GAP_DAYS``. Eyelid
    twitches never join an episode (RULES.md 2.1).
    """
    rows = (
        TwitchEntry.objects.filter(user=user, occurred_at__lt=start_at)
        .exclude(location=body.EYELID)
        .annotate(day=LocalDate("occurred_at", tzinfo=tz))
        .values("day")
        .annotate(place=Min("location"))
        .values_list("day", "place")
        .order_by("-day")
    )
    found = []
    newest = earliest
    for day, location in rows.iterator(chunk_size=100):
        if (newest - day).days > rules.EPISODE_GAP_DAYS:
            break
        found.append(rules.TwitchRecord(day=day, location=location))
        newest = day
    found.reverse()
    return found
