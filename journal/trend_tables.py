"""The trends page's text and table alternatives to its charts, from ``insights.trends()``.

Each chart on the page has a table (or a sentence) beside it saying the same in words,
for screen readers and for anyone who prefers numbers; this module folds the figures
into those rows, so the view only passes them on. The tables' cells are text already,
in ``wording``'s words (dates, averages to one decimal), so the template prints each
as it is rather than filtering hundreds of cells on every request. The two grids of
counts (hours by weekday, regions by week) come as each row's cells already, which
spares the template a loop turn per cell.
"""

from collections.abc import Iterable
from datetime import date, timedelta

from django.utils.safestring import SafeString, mark_safe

from . import insights, wording

# Up to this many days the daily chart's table lists each day; a longer range lists
# weeks, so two years read as about a hundred rows rather than seven hundred.
DAILY_TABLE_MAX_DAYS = 90


def table_rows(data: insights.Trends) -> dict:
    """Reshape the insights for the page's text and table alternatives to the charts."""
    symptoms = {day.date: day.labels for day in data.symptom_days}
    daily = data.daily
    grid = data.weekday_hours
    regions = [region.region for region in data.region_weeks.regions]
    weeks = data.region_weeks.weeks
    lifestyle = data.lifestyle
    by_week = len(daily) > DAILY_TABLE_MAX_DAYS
    return {
        "daily_rows": []
        if by_week
        else [
            {
                "day": wording.weekday_date_text(day.date),
                "count": str(day.count),
                "average": wording.decimals(day.average),
                "symptoms": ", ".join(symptoms.get(day.date, ())),
            }
            for day in daily
            if day.count or day.date in symptoms
        ],
        "weekly_rows": weekly_rows(daily, symptoms) if by_week else [],
        "averages": {"first": daily[0].average, "last": daily[-1].average},
        "spread_rows": [
            {
                "start": wording.date_text(week.start),
                "cells": count_cells(week.days[code] for code in regions),
            }
            for week in weeks
        ],
        "spread_summary": [
            {
                "label": region.label,
                "weeks": sum(1 for week in weeks if week.days[region.region]),
            }
            for region in data.region_weeks.regions
        ],
        "hour_rows": [
            {
                "hour": f"{hour:02d}",
                "cells": count_cells(day.hours[hour] for day in grid),
                "total": str(data.hourly[hour]),
            }
            for hour in range(24)
        ],
        "place_rows": [
            {"label": item.label, "side": item.side_label or "Not given", "count": str(item.count)}
            for item in data.locations
        ],
        "busiest_hour": (
            max(range(24), key=lambda hour: data.hourly[hour]) if any(data.hourly) else None
        ),
        "charted_triggers": sum(1 for item in data.triggers.triggers if item.enough),
        "charted_bands": sum(
            1 for factor in data.checkins.factors for band in factor.bands if band.enough
        ),
        "thin_bands": [
            {"factor": factor.label, "band": band.label, "days": band.days}
            for factor in data.checkins.factors
            for band in factor.bands
            if band.days and not band.enough
        ],
        "days_to_compare": (
            insights.LIFESTYLE_MIN_WINDOW - lifestyle.days_since if lifestyle else None
        ),
    }


def count_cells(counts: Iterable[int]) -> SafeString:
    """Whole numbers as a table row's right-aligned cells. Only integers are accepted
    (``:d`` refuses anything else), so there is nothing to escape."""
    return mark_safe("".join(f'<td class="text-end">{count:d}</td>' for count in counts))


def weekly_rows(
    daily: tuple[insights.DayCount, ...], symptoms: dict[date, tuple[str, ...]]
) -> list[dict]:
    """The daily series folded into weeks (Monday to Sunday) for a long range's table.

    Each week with twitches or symptoms, as text: its first and last day within the
    range, its twitches, their average over the week's days in the range, and the
    symptoms noted (each kind once, in the order first noted).
    """
    weeks: dict[date, dict] = {}
    for day in daily:
        monday = day.date - timedelta(days=day.date.weekday())
        week = weeks.setdefault(monday, {"start": day.date, "count": 0, "days": 0, "symptoms": []})
        week["end"] = day.date
        week["count"] += day.count
        week["days"] += 1
        for label in symptoms.get(day.date, ()):
            if label not in week["symptoms"]:
                week["symptoms"].append(label)
    return [
        {
            "label": wording.week_text(week["start"], week["end"]),
            "count": str(week["count"]),
            "average": wording.decimals(week["count"] / week["days"]),
            "symptoms": ", ".join(week["symptoms"]),
        }
        for week in weeks.values()
        if week["count"] or week["symptoms"]
    ]
