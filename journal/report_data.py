"""Gathers one person's ``report.ReportData`` for a period: the PDF's only database reads.

The figures come from ``insights`` (aggregates by the person's local day and hour),
the red flags and checklist from ``rules`` over ``history.build_history`` as of the
period's last day. Three listings have no aggregate to come from, so they are read
here: the check-in averages, the symptom table and the full entry log. Every query is
filtered by the person, and their number does not grow with the size of the journal.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime

from django.db.models import Avg, Count
from django.utils import timezone

from . import body, insights, rules
from .history import build_history
from .models import DailyCheckIn, SymptomEntry, TwitchEntry, TwitchTrigger, logged_clock
from .report import (
    CheckinAverages,
    DailyCount,
    KeyNumbers,
    LogRow,
    PlaceCount,
    RegionWeek,
    ReportData,
    SymptomRow,
    TriggerLink,
)


def build_report_data(user, start: date, end: date, now: datetime | None = None) -> ReportData:
    """Everything the summary PDF shows for ``user`` from ``start`` to ``end`` (local days).

    Flags and checklist are evaluated as of ``end``, so an earlier period shows what
    the journal said then. ``now`` (aware) is the generation time; it defaults to the
    current moment, shown in the person's zone.
    """
    profile = user.profile
    tz = profile.tz
    period = insights.Period(start, end)
    history = build_history(user, today=end)
    summary = insights.summary_numbers(user, period)
    # The twitches of each day, read once for the triggers, the spread and the daily chart.
    days = insights.day_rows(user, period)
    triggers = insights.trigger_association(user, period, days)
    weeks = insights.region_weeks(user, period, days)
    return ReportData(
        name=profile.display_name,
        date_of_birth=profile.date_of_birth,
        time_zone=profile.time_zone,
        start=start,
        end=end,
        generated_at=(now or timezone.now()).astimezone(tz),
        numbers=_key_numbers(summary),
        places=tuple(
            PlaceCount(item["location"], item["side"], item["count"])
            for item in insights.location_counts(user, period)
        ),
        flags=tuple(rules.evaluate(history, end)),
        checklist=rules.checklist(history, end),
        family_history=profile.family_history,
        reassured_on=profile.reassured_on,
        symptoms=_symptoms(user, start, end),
        triggers=tuple(
            TriggerLink(
                code=item["trigger"],
                days_with=item["with"]["days"],
                average_with=item["with"]["average"],
                average_without=item["without"]["average"],
            )
            for item in triggers["triggers"]
        ),
        trigger_minimum_days=triggers["minimum_days"],
        checkins=_checkin_averages(user, start, end),
        daily=tuple(
            DailyCount(item["date"], item["count"], item["average"])
            for item in insights.daily_counts(user, period, days)
        ),
        region_weeks=tuple(RegionWeek(week["start"], week["days"]) for week in weeks["weeks"]),
        hourly=tuple(insights.hourly_counts(user, period)),
        log=_log(user, period),
    )


def _key_numbers(summary: dict) -> KeyNumbers:
    previous = summary["previous"]
    return KeyNumbers(
        entries=summary["twitches"],
        twitch_days=summary["twitch_days"],
        days=summary["days"],
        average_per_day=summary["average_per_day"],
        first_day=summary["first"],
        last_day=summary["last"],
        previous_start=previous["start"],
        previous_end=previous["end"],
        previous_entries=previous["twitches"],
        change_percent=summary["change_percent"],
    )


def _checkin_averages(user, start: date, end: date) -> CheckinAverages:
    """One aggregate over the period's check-ins; averages skip days without a value."""
    totals = DailyCheckIn.objects.filter(user=user, day__gte=start, day__lte=end).aggregate(
        days=Count("id"),
        caffeine_mg=Avg("caffeine_mg"),
        sleep_hours=Avg("sleep_hours"),
        stress=Avg("stress"),
        water_litres=Avg("water_litres"),
        alcohol_units=Avg("alcohol_units"),
    )
    return CheckinAverages(
        days=totals.pop("days"),
        **{name: None if value is None else float(value) for name, value in totals.items()},
    )


def _symptoms(user, start: date, end: date) -> tuple[SymptomRow, ...]:
    rows = (
        SymptomEntry.objects.filter(user=user, noted_on__gte=start, noted_on__lte=end)
        .order_by("noted_on", "id")
        .values_list("noted_on", "kind", "severity", "onset", "location", "side", "notes")
    )
    return tuple(SymptomRow(*row) for row in rows)


def _log(user, period: insights.Period) -> tuple[LogRow, ...]:
    """Every twitch in the period, oldest first, in two queries (entries, then triggers).

    Plain tuples rather than model instances: a dense year holds about 7,000 entries.
    """
    # The (user, local_date, location) index: WHERE user_id=? AND local_date BETWEEN ? AND ?
    in_period = {"local_date__gte": period.start, "local_date__lte": period.end}
    triggers: dict[int, list[str]] = defaultdict(list)
    trigger_rows = TwitchTrigger.objects.filter(
        entry__user=user, **{f"entry__{key}": value for key, value in in_period.items()}
    ).values_list("entry_id", "code")
    for entry_id, code in trigger_rows:
        triggers[entry_id].append(code)
    order = {code: n for n, (code, _) in enumerate(body.TRIGGERS)}
    entries = (
        TwitchEntry.objects.filter(user=user, **in_period)
        .order_by("occurred_at", "id")
        .values_list(
            "id",
            "occurred_at",
            "utc_offset_minutes",
            "location",
            "side",
            "duration_seconds",
            "intensity",
            "notes",
        )
    )
    return tuple(
        LogRow(
            when=logged_clock(occurred_at, offset),
            location=location,
            side=side,
            duration_seconds=duration,
            intensity=intensity,
            triggers=tuple(
                sorted(triggers.get(pk, ()), key=lambda code: order.get(code, len(order)))
            ),
            notes=notes,
        )
        for pk, occurred_at, offset, location, side, duration, intensity, notes in entries
    )
