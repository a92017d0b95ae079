"""The trends page's text and table alternatives to its charts, from ``insights.trends()``.

Each chart on the page has a table (or a sentence) beside it saying the same in words,
for screen readers and for anyone who prefers numbers; this module folds the figures
into those rows, so the view only passes them on.
"""

from datetime import date, timedelta

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
                "date": day.date,
                "count": day.count,
                "average": day.average,
                "symptoms": symptoms.get(day.date, ()),
            }
            for day in daily
            if day.count or day.date in symptoms
        ],
        "weekly_rows": weekly_rows(daily, symptoms) if by_week else [],
        "averages": {"first": daily[0].average, "last": daily[-1].average},
        "spread_rows": [
            {"start": week.start, "days": [week.days[code] for code in regions]} for week in weeks
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
                "hour": hour,
                "days": [day.hours[hour] for day in grid],
                "total": data.hourly[hour],
            }
            for hour in range(24)
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


def weekly_rows(
    daily: tuple[insights.DayCount, ...], symptoms: dict[date, tuple[str, ...]]
) -> list[dict]:
    """The daily series folded into weeks (Monday to Sunday) for a long range's table.

    Each week with twitches or symptoms: its first and last day within the range, its
    twitches, their average over the week's days in the range, and the symptoms noted
    (each kind once, in the order first noted).
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
            **week,
            "label": wording.week_text(week["start"], week["end"]),
            "average": week["count"] / week["days"],
        }
        for week in weeks.values()
        if week["count"] or week["symptoms"]
    ]
