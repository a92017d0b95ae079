"""Gathers one person's ``report.ReportData`` for a period: the PDF's only database reads.

The figures come from ``insights`` (aggregates by the person's local day and hour) for
the days ``figures.span`` says the journal covers, the red flags and checklist from
``rules`` over ``history.build_history`` as of the period's last day. The listings
with no aggregate to come from are read here: the places of each day, the check-ins,
the symptom table and, when asked for, every entry. Every query is filtered by the
person, and their number does not grow with the size of the journal.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime
from decimal import Decimal

from django.conf import settings
from django.db.models import Count
from django.utils import timezone

from . import body, figures, insights, rules
from .history import build_history
from .models import DailyCheckIn, SymptomEntry, TwitchEntry, TwitchTrigger, logged_clock
from .report import (
    CheckinAverages,
    CheckinDay,
    DayRow,
    LogRow,
    PlaceCount,
    ReportData,
    SymptomRow,
)


def build_report_data(
    user,
    start: date,
    end: date,
    now: datetime | None = None,
    *,
    every_entry: bool = False,
) -> ReportData:
    """Everything the summary PDF shows for ``user`` from ``start`` to ``end`` (local days).

    The figures cover the days from the journal's first entry when it starts after
    ``start`` (``figures.span``), as the trends page's do. Flags and checklist are
    evaluated as of ``end``, so an earlier period shows what the journal said then.
    ``every_entry`` adds every twitch, up to ``settings.REPORT_EVERY_ENTRY_CAP`` (the
    latest ones). ``now`` (aware) is the generation time; it defaults to the current
    moment, shown in the person's zone.
    """
    profile = user.profile
    tz = profile.tz
    span = figures.span(start, end, insights.journal_start(user))
    period = insights.Period(span.start, span.end)
    history = build_history(user, today=end)
    summary = insights.summary_numbers(user, period)
    # The twitches of each day, read once for the triggers, the spread and the daily chart.
    days = insights.day_rows(user, period)
    triggers = insights.trigger_association(user, period, days)
    symptoms = _symptoms(user, span.start, span.end)
    checkins = list(
        DailyCheckIn.objects.filter(user=user, day__gte=span.start, day__lte=span.end).order_by(
            "day"
        )
    )
    return ReportData(
        name=profile.display_name,
        date_of_birth=profile.date_of_birth,
        time_zone=profile.time_zone,
        generated_at=(now or timezone.now()).astimezone(tz),
        figures=figures.Figures.from_summary(span, summary),
        places=insights.location_counts(user, period),
        flags=tuple(rules.evaluate(history, end)),
        checklist=rules.checklist(history, end),
        family_history=profile.family_history,
        reassured_on=profile.reassured_on,
        symptoms=symptoms,
        triggers=triggers.triggers,
        trigger_minimum_days=triggers.minimum_days,
        checkins=_checkin_averages(checkins),
        daily=insights.daily_counts(user, period, days),
        region_weeks=insights.region_weeks(user, period, days).weeks,
        hourly=insights.hourly_counts(user, period),
        day_rows=_day_rows(user, period, symptoms, checkins),
        every_entry=every_entry,
        log=_log(user, period, settings.REPORT_EVERY_ENTRY_CAP) if every_entry else (),
    )


_CHECKIN_AVERAGED = ("caffeine_mg", "sleep_hours", "stress", "water_litres", "alcohol_units")


def _checkin_averages(checkins: list[DailyCheckIn]) -> CheckinAverages:
    """Averages over the period's check-ins (at most one a day), each skipping the days
    without its value."""
    averages = {}
    for name in _CHECKIN_AVERAGED:
        values = [getattr(c, name) for c in checkins if getattr(c, name) is not None]
        averages[name] = float(sum(values) / len(values)) if values else None
    return CheckinAverages(days=len(checkins), **averages)


def _plain(value):
    """A stored decimal as a float for the PDF; whole numbers and None as they are."""
    return float(value) if isinstance(value, Decimal) else value


def _day_rows(user, period: insights.Period, symptoms, checkins) -> tuple[DayRow, ...]:
    """Each day with anything logged: its twitches by place and side (one grouped query),
    its symptoms and its check-in's figures."""
    places: dict[date, list[PlaceCount]] = defaultdict(list)
    # The (user, local_date, location) index: WHERE user_id=? AND local_date BETWEEN ? AND ?
    rows = (
        TwitchEntry.objects.filter(
            user=user, local_date__gte=period.start, local_date__lte=period.end
        )
        .order_by()
        .values("local_date", "location", "side")
        .annotate(count=Count("id"))
        .values_list("local_date", "location", "side", "count")
    )
    for day, location, side, count in rows:
        places[day].append(PlaceCount(location, side, count))
    day_symptoms: dict[date, list[tuple[str, int]]] = defaultdict(list)
    for row in symptoms:
        day_symptoms[row.day].append((row.kind, row.severity))
    answers = {
        checkin.day: CheckinDay(
            **{name: _plain(getattr(checkin, name)) for name in _CHECKIN_AVERAGED},
            exercise=checkin.exercise,
        )
        for checkin in checkins
    }
    return tuple(
        DayRow(
            day=day,
            twitches=sum(place.count for place in places.get(day, ())),
            places=tuple(places.get(day, ())),
            symptoms=tuple(day_symptoms.get(day, ())),
            checkin=answers.get(day),
        )
        for day in sorted({*places, *day_symptoms, *answers})
    )


def _symptoms(user, start: date, end: date) -> tuple[SymptomRow, ...]:
    rows = (
        SymptomEntry.objects.filter(user=user, noted_on__gte=start, noted_on__lte=end)
        .order_by("noted_on", "id")
        .values_list("noted_on", "kind", "severity", "onset", "location", "side", "notes")
    )
    return tuple(SymptomRow(*row) for row in rows)


def _log(user, period: insights.Period, cap: int) -> tuple[LogRow, ...]:
    """The period's twitches, oldest first: all of them, or the latest ``cap`` when there
    are more. Two queries (entries, then their triggers).

    Plain tuples rather than model instances: a dense year holds about 7,000 entries.
    """
    # The (user, local_date, location) index: WHERE user_id=? AND local_date BETWEEN ? AND ?
    entries = list(
        TwitchEntry.objects.filter(
            user=user, local_date__gte=period.start, local_date__lte=period.end
        )
        .order_by("-occurred_at", "-id")
        .values_list(
            "id",
            "occurred_at",
            "utc_offset_minutes",
            "location",
            "side",
            "duration_seconds",
            "intensity",
            "notes",
        )[:cap]
    )
    entries.reverse()
    triggers: dict[int, list[str]] = defaultdict(list)
    if entries:
        trigger_rows = TwitchTrigger.objects.filter(
            entry__user=user,
            entry__local_date__lte=period.end,
            entry__occurred_at__gte=entries[0][1],
        ).values_list("entry_id", "code")
    else:
        trigger_rows = TwitchTrigger.objects.none().values_list("entry_id", "code")
    for entry_id, code in trigger_rows:
        triggers[entry_id].append(code)
    order = {code: n for n, (code, _) in enumerate(body.TRIGGERS)}
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
