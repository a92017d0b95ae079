"""The trends page: charts of the person's own journal over a chosen range of days."""

import functools
from datetime import date

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.templatetags.static import static
from django.utils import timezone, translation
from django.views.decorators.http import require_http_methods

from .. import figures, insights, trend_tables
from ..forms import TRENDS_RANGES, HabitsStartForm, TrendsRangeForm

VENDORED_CHARTJS = "vendor/chartjs-4.5.1/chart.umd.min.js"
HABITS_FIELDS = "journal/_trends_habits_fields.html"


def chartjs_script() -> dict:
    """Where the page loads Chart.js from: the pinned CDN copy when configured, with its
    integrity hash so a changed file is refused, else the vendored file."""
    if settings.CHARTJS_URL:
        return {"src": settings.CHARTJS_URL, "integrity": settings.CHARTJS_INTEGRITY}
    return {"src": static(VENDORED_CHARTJS), "integrity": ""}


@functools.lru_cache(maxsize=256)
def _range_fields(values: tuple[str | None, ...] | None, today: date, language: str) -> str:
    """The custom range's two date fields for these values (in TrendsRangeForm's order;
    None when nothing was asked), as crispy-forms renders them, errors included.

    They depend on nothing else but today, the latest day allowed; yet they cost as much
    as a chart's table, and nearly every page asks for a preset range and shows the same
    empty fields: each process renders each set of values once a day. The language is
    part of the key because labels and errors are translated.
    """
    data = None
    if values is not None:
        names = TrendsRangeForm.base_fields
        data = {name: value for name, value in zip(names, values, strict=True) if value is not None}
    form = TrendsRangeForm(data, today=today)
    return render_to_string("journal/_trends_range_fields.html", {"form": form})


@functools.lru_cache(maxsize=256)
def _habits_fields(saved: date | None, today: date, language: str) -> str:
    """The lifestyle date field showing the saved day, as crispy-forms renders it: the
    same for everyone with that day, so each process renders it once per day and date.
    A refused date is not cached: it is shown afresh with its errors."""
    form = HabitsStartForm(initial={"habits_changed_on": saved}, today=today)
    return render_to_string(HABITS_FIELDS, {"form": form})


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
        habits_fields = render_to_string(HABITS_FIELDS, {"form": habits_form})
    else:
        habits_fields = _habits_fields(changed_on, today, translation.get_language())

    range_form = TrendsRangeForm(request.GET or None, today=today)
    asked = tuple(request.GET.get(name) for name in range_form.fields) if request.GET else None
    first_day = insights.journal_start(request.user)
    span = figures.span(*range_form.dates(first_day), first_day)
    period = insights.Period(span.start, span.end)
    data = insights.trends(request.user, period, today=today, changed_on=changed_on)
    fell_back = range_form.is_bound and not range_form.is_valid()
    return render(
        request,
        "journal/trends.html",
        {
            "data": data,
            "chart_data": data.chart_data(),
            "journal_is_empty": first_day is None,
            "span": span,
            "tiles": figures.Figures.from_summary(span, data.summary).tiles(),
            "range_form": range_form,
            "range_fields": _range_fields(asked, today, translation.get_language()),
            "ranges": TRENDS_RANGES,
            "selected_range": range_form.selected,
            "range_fell_back": fell_back,
            "custom_open": range_form.selected == "custom"
            or (fell_back and request.GET.get("range") == "custom"),
            "habits_fields": habits_fields,
            "changed_on": changed_on,
            "chartjs": chartjs_script(),
            "min_days": insights.MIN_DAYS_PER_SIDE,
            "lifestyle_min_days": insights.LIFESTYLE_MIN_WINDOW,
            **trend_tables.table_rows(data),
        },
    )
