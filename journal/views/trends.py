"""The trends page: charts of the person's own journal over a chosen range of days."""

from datetime import date, timedelta

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.templatetags.static import static
from django.utils import timezone
from django.utils.dateformat import format as format_date
from django.views.decorators.http import require_http_methods

from .. import insights
from ..forms import TRENDS_RANGES, HabitsStartForm, TrendsRangeForm

VENDORED_CHARTJS = "vendor/chartjs-4.5.1/chart.umd.min.js"

# Up to this many days the daily chart's table lists each day; a longer range lists
# weeks, so two years read as about a hundred rows rather than seven hundred.
DAILY_TABLE_MAX_DAYS = 90


def chartjs_script() -> dict:
    """Where the page loads Chart.js from: the pinned CDN copy when configured, with its
    integrity hash so a changed file is refused, else the vendored file."""
    if settings.CHARTJS_URL:
        return {"src": settings.CHARTJS_URL, "integrity": settings.CHARTJS_INTEGRITY}
    return {"src": static(VENDORED_CHARTJS), "integrity": ""}


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def trends(request):
    """Show the trends for the chosen range; POST sets or clears the lifestyle-plan date."""
    profile = request.user.profile
    today = timezone.localdate()
    # Read before binding the form: a rejected date must not reach the comparison.
    changed_on = profile.habits_changed_on
    if request.method == "POST":
        if "clear" in request.POST:
            profile.habits_changed_on = None
            profile.save(update_fields=["habits_changed_on"])
            messages.success(request, "The lifestyle comparison date is cleared.")
            return redirect(request.get_full_path() + "#lifestyle")
        habits_form = HabitsStartForm(request.POST, instance=profile, today=today)
        if habits_form.is_valid():
            habits_form.save()
            messages.success(request, "Saved. The comparison below now starts from that day.")
            return redirect(request.get_full_path() + "#lifestyle")
    else:
        habits_form = HabitsStartForm(instance=profile, today=today)

    range_form = TrendsRangeForm(request.GET or None, today=today)
    tz = profile.tz
    first_day = insights.journal_start(request.user, tz)
    period = range_form.period(tz, first_day)
    data = insights.trends(request.user, period, today=today, changed_on=changed_on)
    fell_back = range_form.is_bound and not range_form.is_valid()
    return render(
        request,
        "journal/trends.html",
        {
            "data": data,
            "journal_is_empty": first_day is None,
            "starts_with_journal": first_day is not None
            and period.start == first_day
            and range_form.selected != "all",
            "range_form": range_form,
            "ranges": TRENDS_RANGES,
            "selected_range": range_form.selected,
            "range_fell_back": fell_back,
            "custom_open": range_form.selected == "custom"
            or (fell_back and request.GET.get("range") == "custom"),
            "habits_form": habits_form,
            "changed_on": changed_on,
            "chartjs": chartjs_script(),
            "min_days": insights.MIN_DAYS_PER_SIDE,
            "lifestyle_min_days": insights.LIFESTYLE_MIN_WINDOW,
            **table_rows(data),
        },
    )


def table_rows(data: dict) -> dict:
    """Reshape the insights for the page's text and table alternatives to the charts."""
    symptoms = {day["date"]: day["labels"] for day in data["symptom_days"]}
    daily = data["daily"]
    grid = data["weekday_hours"]
    regions = [region["region"] for region in data["region_weeks"]["regions"]]
    weeks = data["region_weeks"]["weeks"]
    lifestyle = data["lifestyle"]
    by_week = len(daily) > DAILY_TABLE_MAX_DAYS
    return {
        "daily_rows": []
        if by_week
        else [
            {**day, "symptoms": symptoms.get(day["date"], [])}
            for day in daily
            if day["count"] or day["date"] in symptoms
        ],
        "weekly_rows": weekly_rows(daily, symptoms) if by_week else [],
        "averages": {"first": daily[0]["average"], "last": daily[-1]["average"]},
        "spread_rows": [
            {"start": week["start"], "days": [week["days"][code] for code in regions]}
            for week in weeks
        ],
        "spread_summary": [
            {
                "label": region["label"],
                "weeks": sum(1 for week in weeks if week["days"][region["region"]]),
            }
            for region in data["region_weeks"]["regions"]
        ],
        "hour_rows": [
            {
                "hour": hour,
                "days": [day["hours"][hour] for day in grid],
                "total": data["hourly"][hour],
            }
            for hour in range(24)
        ],
        "busiest_hour": (
            max(range(24), key=lambda hour: data["hourly"][hour]) if any(data["hourly"]) else None
        ),
        "charted_triggers": sum(1 for item in data["triggers"]["triggers"] if item["enough"]),
        "charted_bands": sum(
            1
            for factor in data["checkins"]["factors"]
            for band in factor["bands"]
            if band["enough"]
        ),
        "thin_bands": [
            {"factor": factor["label"], "band": band["label"], "days": band["days"]}
            for factor in data["checkins"]["factors"]
            for band in factor["bands"]
            if band["days"] and not band["enough"]
        ],
        "days_to_compare": (
            insights.LIFESTYLE_MIN_WINDOW - lifestyle["days_since"] if lifestyle else None
        ),
    }


def weekly_rows(daily: list[dict], symptoms: dict[str, list[str]]) -> list[dict]:
    """The daily series folded into weeks (Monday to Sunday) for a long range's table.

    Each week with twitches or symptoms: its first and last day within the range, its
    twitches, their average over the week's days in the range, and the symptoms noted
    (each kind once, in the order first noted).
    """
    weeks: dict[date, dict] = {}
    for day in daily:
        when = date.fromisoformat(day["date"])
        monday = when - timedelta(days=when.weekday())
        week = weeks.setdefault(
            monday, {"start": day["date"], "count": 0, "days": 0, "symptoms": []}
        )
        week["end"] = day["date"]
        week["count"] += day["count"]
        week["days"] += 1
        for label in symptoms.get(day["date"], ()):
            if label not in week["symptoms"]:
                week["symptoms"].append(label)
    return [
        {
            **week,
            "label": _week_label(week["start"], week["end"]),
            "average": week["count"] / week["days"],
        }
        for week in weeks.values()
        if week["count"] or week["symptoms"]
    ]


def _week_label(start: str, end: str) -> str:
    """A week's days in few words: "3 to 9 Mar 2025", "24 Feb to 2 Mar 2025"."""
    first, last = date.fromisoformat(start), date.fromisoformat(end)
    if first == last:
        return format_date(first, "j M Y")
    if first.year != last.year:
        return f"{format_date(first, 'j M Y')} to {format_date(last, 'j M Y')}"
    if first.month != last.month:
        return f"{format_date(first, 'j M')} to {format_date(last, 'j M Y')}"
    return f"{first.day} to {format_date(last, 'j M Y')}"
