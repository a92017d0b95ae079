"""insights.py against hand-computed figures on a small fixed journal.

The person lives in New York. Their journal runs over the spring DST change
(2025-03-09, 02:00 EST -> 03:00 EDT) and has twitches minutes before and after
local midnight, so a figure taken by UTC day or a fixed offset would come out wrong.
"""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from journal import insights
from journal.insights import (
    DayCount,
    IntensityCount,
    Period,
    PlaceCount,
    PreviousPeriod,
    Side,
    Summary,
    SymptomDay,
    Window,
)
from journal.models import DailyCheckIn, SymptomEntry, TwitchEntry

pytestmark = pytest.mark.django_db

NEW_YORK = ZoneInfo("America/New_York")
# Monday 3 March to Sunday 16 March 2025: two whole weeks, DST starts on the 9th.
PERIOD = Period(dt.date(2025, 3, 3), dt.date(2025, 3, 16))


def twitch(user, local, location="calf", side="left", *, tz=NEW_YORK, triggers=(), **fields):
    """One twitch at a local wall-clock time ("2025-03-03 23:30") in `tz`."""
    moment = dt.datetime.fromisoformat(local).replace(tzinfo=tz)
    entry = TwitchEntry.objects.create(
        user=user, occurred_at=moment, location=location, side=side, **fields
    )
    entry.set_triggers(triggers)
    return entry


@pytest.fixture
def person(make_user):
    return make_user(email="ny@example.com", time_zone="America/New_York")


@pytest.fixture
def journal(person, other_user):
    """The fixed journal. Numbers in comments are the entries the tests refer to."""
    # 1, 2: Monday 3 March, the second 30 minutes before local midnight (04:30 UTC on the 4th).
    twitch(person, "2025-03-03 08:00", duration_seconds=1, intensity=1, triggers=["caffeine"])
    twitch(person, "2025-03-03 23:30", duration_seconds=5, intensity=2, triggers=["caffeine"])
    # 3: a quarter past midnight on Tuesday (05:15 UTC).
    twitch(person, "2025-03-04 00:15", "eyelid", "right", intensity=1)
    # 4: Saturday night before the change, still EST (04:45 UTC on Sunday).
    twitch(
        person,
        "2025-03-08 23:45",
        "hand",
        "right",
        duration_seconds=30,
        intensity=3,
        triggers=["stress"],
    )
    # 5: 03:30 on the morning of the change, just after clocks went forward (07:30 UTC).
    twitch(
        person,
        "2025-03-09 03:30",
        "all_over",
        "",
        duration_seconds=90,
        intensity=2,
        triggers=["stress", "caffeine"],
    )
    # 6: late Sunday evening, now EDT (03:30 UTC on Monday).
    twitch(person, "2025-03-09 23:30", "thigh_front", "both", duration_seconds=700, intensity=2)
    # 7: Wednesday noon.
    twitch(person, "2025-03-12 12:00", "cheek", "left", duration_seconds=12, intensity=2)
    # 8: one minute before the period ends.
    twitch(
        person,
        "2025-03-16 23:59",
        "calf",
        "right",
        duration_seconds=2,
        intensity=1,
        triggers=["caffeine"],
    )
    # Outside the period: the evening before it starts and just after it ends.
    twitch(person, "2025-03-02 23:59")
    twitch(person, "2025-03-17 00:01")
    twitch(person, "2025-02-20 10:00", "forearm", "left")
    # Someone else's twitch in the same days is never counted.
    twitch(other_user, "2025-03-05 12:00", "jaw", "centre", triggers=["caffeine"])

    SymptomEntry.objects.create(
        user=person, noted_on=dt.date(2025, 3, 4), kind="weakness", severity=2
    )
    SymptomEntry.objects.create(user=person, noted_on=dt.date(2025, 3, 4), kind="cramps")
    SymptomEntry.objects.create(user=person, noted_on=dt.date(2025, 3, 10), kind="cramps")
    SymptomEntry.objects.create(user=person, noted_on=dt.date(2025, 3, 17), kind="cramps")
    SymptomEntry.objects.create(user=person, noted_on=dt.date(2025, 2, 10), kind="heaviness")
    SymptomEntry.objects.create(user=other_user, noted_on=dt.date(2025, 3, 5), kind="speech")

    def checkin(day, **values):
        DailyCheckIn.objects.create(user=person, day=dt.date(2025, 3, day), **values)

    checkin(3, sleep_hours="5.5", other_caffeine_mg=300, stress=4, water_litres="1.5")
    checkin(4, sleep_hours="8.0", other_caffeine_mg=100, stress=3)
    checkin(5, sleep_hours="8.5", other_caffeine_mg=0, stress=1, water_litres="2.0")
    checkin(9, sleep_hours="6.0", other_caffeine_mg=99)
    checkin(17, sleep_hours="4.0", other_caffeine_mg=500)
    DailyCheckIn.objects.create(user=other_user, day=dt.date(2025, 3, 3), sleep_hours="3.0")
    return person


def test_period_knows_its_days_and_previous_period():
    assert PERIOD.days == 14
    previous = PERIOD.previous()
    assert (previous.start, previous.end) == (dt.date(2025, 2, 17), dt.date(2025, 3, 2))
    assert PERIOD.dates()[0] == dt.date(2025, 3, 3)
    assert PERIOD.dates()[-1] == dt.date(2025, 3, 16)
    assert Period.ending(dt.date(2025, 3, 16), 14) == PERIOD


def test_period_cannot_end_before_it_starts():
    with pytest.raises(ValueError, match="cannot end before"):
        Period(dt.date(2025, 3, 2), dt.date(2025, 3, 1))


def test_daily_counts_put_near_midnight_and_dst_twitches_on_their_local_day(journal):
    series = insights.daily_counts(journal, PERIOD)
    counts = {day.date: day.count for day in series}
    assert len(series) == 14
    assert [day.date for day in series][:2] == [dt.date(2025, 3, 3), dt.date(2025, 3, 4)]
    assert series[0] == DayCount(dt.date(2025, 3, 3), 2, 2.0)
    assert {day: n for day, n in counts.items() if n} == {
        dt.date(2025, 3, 3): 2,
        dt.date(2025, 3, 4): 1,
        dt.date(2025, 3, 8): 1,
        dt.date(2025, 3, 9): 2,
        dt.date(2025, 3, 12): 1,
        dt.date(2025, 3, 16): 1,
    }


def test_daily_rolling_average_covers_up_to_seven_days_within_the_period(journal):
    averages = [day.average for day in insights.daily_counts(journal, PERIOD)]
    # 2/1, 3/2, 3/3, 3/4, 3/5, 4/6, 6/7, then the window slides: 4/7 (3-04..3-10).
    assert averages[:8] == [2.0, 1.5, 1.0, 0.75, 0.6, 0.67, 0.86, 0.57]
    # 3-10..3-16 holds twitches 7 and 8.
    assert averages[-1] == 0.29


def test_symptom_days_list_kinds_in_vocabulary_order_with_the_highest_severity(journal):
    assert insights.symptom_days(journal, PERIOD) == (
        SymptomDay(
            date=dt.date(2025, 3, 4),
            kinds=("weakness", "cramps"),
            labels=("Weakness", "Cramps"),
            max_severity=2,
        ),
        SymptomDay(
            date=dt.date(2025, 3, 10),
            kinds=("cramps",),
            labels=("Cramps",),
            max_severity=1,
        ),
    )


def test_location_counts_keep_sides_apart_most_first_then_head_to_toe(journal):
    rows = [
        (item.location, item.side, item.count, item.name)
        for item in insights.location_counts(journal, PERIOD)
    ]
    assert rows == [
        ("calf", "left", 2, "Left calf"),
        ("cheek", "left", 1, "Left cheek"),
        ("eyelid", "right", 1, "Right eyelid"),
        ("hand", "right", 1, "Right hand"),
        ("thigh_front", "both", 1, "Front of thigh, both sides"),
        ("calf", "right", 1, "Right calf"),
        ("all_over", "", 1, "All over / many places"),
    ]
    first = insights.location_counts(journal, PERIOD)[0]
    assert first.region == "leg"
    assert (first.label, first.side_label) == ("Calf", "Left")
    assert PlaceCount("all_over", "", 1).region is None
    assert PlaceCount("neck", "", 1).side_label == ""


def test_regions_set_eyelid_apart_and_count_all_over_in_three_regions(journal):
    regions = insights.regions_from_locations(insights.location_counts(journal, PERIOD))
    assert {item.region: item.count for item in regions} == {
        "head": 1,  # the cheek; the eyelid is not in the head's count
        "arm": 2,  # hand + all over
        "trunk": 1,  # all over
        "leg": 5,  # calf x3 + thigh + all over
        "eyelid": 1,
    }
    # One name per region, the table's and the chart's (on two lines where it is long).
    assert [item.label for item in regions][:2] == ["Head and face", "Neck, shoulders and arms"]
    assert [item.lines for item in regions] == [
        ("Head and face",),
        ("Neck, shoulders", "and arms"),
        ("Chest, back", "and belly"),
        ("Lower back,", "hips and legs"),
        ("Eyelid", "(counted apart)"),
    ]


def test_region_weeks_count_twitch_days_per_local_week(journal):
    result = insights.region_weeks(journal, PERIOD)
    assert [region.region for region in result.regions] == [
        "head",
        "arm",
        "trunk",
        "leg",
        "eyelid",
    ]
    first, second = result.weeks
    assert first.start == dt.date(2025, 3, 3)
    # Legs: twitches on the 3rd (two) and the 9th (all over at 03:30, thigh at 23:30 EDT):
    # two days. The 23:30 twitch stays in this week: next week's legs have one day alone
    # (the calf on the 16th), not Monday the 10th too.
    assert first.days == {"head": 0, "arm": 2, "trunk": 1, "leg": 2, "eyelid": 1}
    assert second.start == dt.date(2025, 3, 10)
    assert second.days == {"head": 1, "arm": 0, "trunk": 0, "leg": 1, "eyelid": 0}


def test_region_weeks_fill_weeks_without_twitches_and_start_on_a_monday(journal):
    period = Period(dt.date(2025, 3, 12), dt.date(2025, 3, 26))
    weeks = insights.region_weeks(journal, period).weeks
    assert [week.start for week in weeks] == [
        dt.date(2025, 3, 10),
        dt.date(2025, 3, 17),
        dt.date(2025, 3, 24),
    ]
    # The calf twitch at 00:01 on the 17th falls in the second week.
    assert [week.days["leg"] for week in weeks] == [1, 1, 0]


def test_hourly_counts_use_local_hours_across_the_dst_change(journal):
    hours = insights.hourly_counts(journal, PERIOD)
    assert len(hours) == 24
    # 23:00 holds twitches 2, 4 (EST), 6 (EDT) and 8; 03:00 holds the one after the change.
    assert {hour: n for hour, n in enumerate(hours) if n} == {0: 1, 3: 1, 8: 1, 12: 1, 23: 4}


def test_weekday_hour_grid_uses_local_weekdays(journal):
    grid = insights.weekday_hour_grid(journal, PERIOD)
    assert [day.label for day in grid][:2] == ["Monday", "Tuesday"]
    assert [day.weekday for day in grid] == [1, 2, 3, 4, 5, 6, 7]
    cells = {(day.label, hour): n for day in grid for hour, n in enumerate(day.hours) if n}
    assert cells == {
        ("Monday", 8): 1,
        ("Monday", 23): 1,
        ("Tuesday", 0): 1,
        ("Wednesday", 12): 1,
        ("Saturday", 23): 1,
        ("Sunday", 3): 1,
        ("Sunday", 23): 2,
    }
    assert [day.total for day in grid] == [2, 1, 1, 0, 0, 1, 3]
    assert insights.hours_from_grid(grid) == insights.hourly_counts(journal, PERIOD)


def test_trigger_association_compares_twitch_days_with_and_without_each_trigger(journal):
    result = insights.trigger_association(journal, PERIOD)
    assert result.minimum_days == 5
    # Twitch-days: 3rd (2), 4th (1), 8th (1), 9th (2; one entry has two triggers), 12th, 16th.
    assert (result.twitch_days, result.twitches) == (6, 8)
    caffeine, stress = result.triggers
    assert caffeine.trigger == "caffeine"
    assert caffeine.noted == Side(days=3, twitches=5, average=None, enough=False)
    assert caffeine.other == Side(days=3, twitches=3, average=None, enough=False)
    assert not caffeine.enough
    assert stress.label == "Stress or worry"
    assert (stress.noted.days, stress.noted.twitches) == (2, 3)
    assert (stress.other.days, stress.other.twitches) == (4, 5)


@pytest.mark.parametrize(("days_with", "enough"), [(5, True), (4, False)])
def test_trigger_association_gives_averages_only_from_five_days_each_side(
    person, days_with, enough
):
    # `days_with` days with caffeine and two twitches each, then five days with one twitch.
    for n in range(days_with):
        for hour in (9, 18):
            twitch(person, f"2025-03-{3 + n:02d} {hour:02d}:00", triggers=["caffeine"])
    for n in range(5):
        twitch(person, f"2025-03-{10 + n:02d} 09:00")
    (caffeine,) = insights.trigger_association(person, PERIOD).triggers
    assert caffeine.enough is enough
    assert caffeine.noted.average == (2.0 if enough else None)
    assert caffeine.other == Side(days=5, twitches=5, average=1.0, enough=True)


def test_checkin_bands_join_each_twitch_to_its_local_days_checkin(journal):
    result = insights.checkin_bands(journal, PERIOD)
    assert result.checkin_days == 4
    assert result.minimum_days == 5
    bands = {
        (factor.factor, band.band): (band.days, band.twitches)
        for factor in result.factors
        for band in factor.bands
    }
    assert bands == {
        # Twitches per check-in day: 3rd 2, 4th 1, 5th 0, 9th 2 (03:30 EDT and 23:30 EDT).
        ("caffeine_mg", "low"): (2, 2),  # 0 mg on the 5th, 99 mg on the 9th
        ("caffeine_mg", "medium"): (1, 1),  # exactly 100 mg
        ("caffeine_mg", "high"): (1, 2),
        ("sleep_hours", "short"): (1, 2),
        ("sleep_hours", "usual"): (2, 3),  # exactly 8.0 and exactly 6.0
        ("sleep_hours", "long"): (1, 0),
        ("stress", "low"): (1, 0),
        ("stress", "medium"): (1, 1),
        ("stress", "high"): (1, 2),
        ("water_litres", "low"): (1, 2),
        ("water_litres", "enough"): (1, 0),  # exactly 2 litres
    }
    sleep = result.factors[1]
    assert sleep.label == "Sleep"
    assert [band.label for band in sleep.bands] == [
        "Under 6 hours",
        "6 to 8 hours",
        "Over 8 hours",
    ]
    assert all(band.average is None for band in sleep.bands)


def test_checkin_band_average_counts_twitch_free_days_once_there_are_five(person):
    for day in range(3, 8):
        DailyCheckIn.objects.create(user=person, day=dt.date(2025, 3, day), sleep_hours="5.0")
    twitch(person, "2025-03-03 07:00")
    twitch(person, "2025-03-03 22:00")
    twitch(person, "2025-03-06 23:59")
    short = insights.checkin_bands(person, PERIOD).factors[1].bands[0]
    assert short == insights.CheckinBand(
        band="short", label="Under 6 hours", days=5, twitches=3, average=0.6, enough=True
    )


@pytest.mark.parametrize("zone", ["Pacific/Kiritimati", "Pacific/Pago_Pago", "Asia/Kolkata"])
def test_checkin_bands_find_twitches_at_both_ends_of_the_day_in_far_zones(make_user, zone):
    # UTC+14, UTC-11 and UTC+05:30: a local day reaches well into the UTC day before or after.
    tz = ZoneInfo(zone)
    user = make_user(email="far@example.com", time_zone=zone)
    DailyCheckIn.objects.create(user=user, day=dt.date(2025, 3, 5), sleep_hours="5.0")
    DailyCheckIn.objects.create(user=user, day=dt.date(2025, 3, 6), sleep_hours="9.0")
    twitch(user, "2025-03-05 00:00", tz=tz)
    twitch(user, "2025-03-05 23:59", tz=tz)
    twitch(user, "2025-03-06 00:01", tz=tz)
    twitch(user, "2025-03-04 23:59", tz=tz)
    bands = insights.checkin_bands(user, Period(dt.date(2025, 3, 1), dt.date(2025, 3, 9)))
    sleep = {band.band: band.twitches for band in bands.factors[1].bands}
    assert sleep == {"short": 2, "usual": 0, "long": 1}


def test_duration_and_intensity_distributions(journal):
    # The cheek (7) was logged without a strength: it is counted apart, not as visible.
    journal.twitches.filter(location="cheek").update(intensity=None)
    data = insights.trends(journal, PERIOD, today=dt.date(2025, 3, 16))
    assert {item.bucket: item.count for item in data.durations} == {
        "up_to_1s": 1,
        "2_to_10s": 2,
        "11_to_60s": 2,
        "1_to_10min": 1,
        "over_10min": 1,
        "unknown": 1,
    }
    assert data.intensities == (
        IntensityCount(1, "Faint", 3),
        IntensityCount(2, "Visible", 3),
        IntensityCount(3, "Strong", 1),
        IntensityCount(None, "Not noted", 1),
    )


def test_summary_numbers_compare_with_the_previous_period_of_equal_length(journal):
    assert insights.summary_numbers(journal, PERIOD) == Summary(
        twitches=8,
        twitch_days=6,
        days=14,
        average_per_day=0.57,
        first=dt.date(2025, 3, 3),
        last=dt.date(2025, 3, 16),
        previous=PreviousPeriod(
            start=dt.date(2025, 2, 17),
            end=dt.date(2025, 3, 2),
            twitches=2,
            average_per_day=0.14,
        ),
        change_percent=300.0,
        change_direction="more",
    )


def test_summary_numbers_of_an_empty_period(person):
    summary = insights.summary_numbers(person, PERIOD)
    assert summary.twitches == summary.twitch_days == 0
    assert summary.first is summary.last is None
    assert summary.change_percent is summary.change_direction is None


@pytest.mark.parametrize(
    "period",
    [PERIOD, Period(dt.date(2025, 3, 8), dt.date(2025, 3, 10)), Period.ending(PERIOD.start, 30)],
)
def test_summary_numbers_folded_from_the_day_rows_are_those_counted_alone(journal, period):
    """The trends page passes the day rows it read; the PDF and the API do not."""
    days = insights.day_rows(journal, period)
    assert insights.summary_numbers(journal, period, days) == insights.summary_numbers(
        journal, period
    )


def test_summary_numbers_of_an_empty_period_from_its_day_rows(person):
    days = insights.day_rows(person, PERIOD)
    assert insights.summary_numbers(person, PERIOD, days) == insights.summary_numbers(
        person, PERIOD
    )


def test_journal_start_is_the_local_day_of_the_first_entry_of_any_kind(journal, person):
    assert insights.journal_start(journal) == dt.date(2025, 2, 10)


def test_journal_start_uses_the_local_day_of_a_first_twitch_after_midnight(make_user):
    berlin = ZoneInfo("Europe/Berlin")
    user = make_user(email="be@example.com", time_zone="Europe/Berlin")
    assert insights.journal_start(user) is None
    twitch(user, "2025-01-01 00:30", tz=berlin)  # 23:30 UTC on 31 December
    assert insights.journal_start(user) == dt.date(2025, 1, 1)


def test_body_map_counts_fold_sides_into_the_maps_areas(journal):
    result = insights.body_map_counts(insights.location_counts(journal, PERIOD))
    assert result == insights.BodyMap(
        areas={
            "calf": {"left": 2, "right": 1},
            "cheek": {"left": 1},
            "eyelid": {"right": 1},
            "hand": {"right": 1},
            # "Both sides" shades both thighs.
            "thigh_front": {"left": 1, "right": 1},
        },
        max=2,
        all_over=1,
    )


def test_body_map_counts_draw_midline_places_once_and_unsided_places_on_both_sides():
    locations = [
        PlaceCount("neck", "left", 2),
        PlaceCount("neck", "", 1),
        PlaceCount("calf", "", 4),
        PlaceCount("calf", "left", 1),
    ]
    assert insights.body_map_counts(locations) == insights.BodyMap(
        areas={"neck": {"centre": 3}, "calf": {"left": 5, "right": 4}},
        max=5,
        all_over=0,
    )


def daily_twitches(user, first_day, days, per_day):
    """`per_day` twitches at 10:00 and onwards, New York time, on each of `days` days."""
    for n in range(days):
        day = first_day + dt.timedelta(days=n)
        for hour in range(per_day):
            twitch(user, f"{day.isoformat()} {10 + hour:02d}:00")


CHANGED = dt.date(2025, 3, 1)


def comparison(user, today):
    return insights.lifestyle_comparison(user, CHANGED, today)


def test_lifestyle_comparison_is_none_without_a_date(person):
    assert insights.lifestyle_comparison(person, None, dt.date(2025, 3, 1)) is None


def test_lifestyle_comparison_uses_equal_windows_up_to_the_day_before_today(person):
    daily_twitches(person, CHANGED - dt.timedelta(days=40), 40, 3)
    daily_twitches(person, CHANGED, 30, 1)
    result = comparison(person, CHANGED + dt.timedelta(days=10))
    assert result.window_days == 10
    assert result.before == Window(
        start=dt.date(2025, 2, 19), end=dt.date(2025, 2, 28), twitches=30, average=3.0
    )
    assert result.after == Window(
        start=dt.date(2025, 3, 1), end=dt.date(2025, 3, 10), twitches=10, average=1.0
    )
    assert result.changed_on == CHANGED
    assert result.status == "better"
    assert result.suggest_doctor is False


def test_lifestyle_comparison_window_is_capped_at_four_weeks(person):
    daily_twitches(person, CHANGED - dt.timedelta(days=40), 40, 2)
    result = comparison(person, CHANGED + dt.timedelta(days=45))
    assert result.window_days == 28
    assert result.before.start == dt.date(2025, 2, 1)
    assert result.after.end == dt.date(2025, 3, 28)


@pytest.mark.parametrize(
    ("days_since", "suggest"),
    [(20, False), (21, True)],
)
def test_lifestyle_comparison_suggests_a_doctor_after_three_weeks_without_improvement(
    person, days_since, suggest
):
    daily_twitches(person, CHANGED - dt.timedelta(days=28), 28 + days_since, 2)
    result = comparison(person, CHANGED + dt.timedelta(days=days_since))
    assert result.status == "same"
    assert result.days_since == days_since
    assert result.suggest_doctor is suggest


def test_lifestyle_comparison_calls_more_twitches_worse_and_still_suggests_a_doctor(person):
    daily_twitches(person, CHANGED - dt.timedelta(days=28), 28, 1)
    daily_twitches(person, CHANGED, 28, 2)
    result = comparison(person, CHANGED + dt.timedelta(days=28))
    assert (result.before.average, result.after.average) == (1.0, 2.0)
    assert result.status == "worse"
    assert result.suggest_doctor is True


def test_lifestyle_comparison_calls_a_quarter_fewer_better(person):
    daily_twitches(person, CHANGED - dt.timedelta(days=28), 28, 4)
    daily_twitches(person, CHANGED, 28, 3)
    result = comparison(person, CHANGED + dt.timedelta(days=28))
    assert result.status == "better"
    assert result.suggest_doctor is False


def test_lifestyle_comparison_waits_a_week_after_the_change(person):
    daily_twitches(person, CHANGED - dt.timedelta(days=28), 34, 2)
    assert comparison(person, CHANGED + dt.timedelta(days=6)).status == "too_early"
    assert comparison(person, CHANGED + dt.timedelta(days=7)).status == "same"


def test_lifestyle_comparison_needs_a_week_of_journal_before_the_change(person):
    daily_twitches(person, CHANGED - dt.timedelta(days=3), 30, 2)
    result = comparison(person, CHANGED + dt.timedelta(days=25))
    assert result.journal_days_before == 3
    assert result.window_days == 3
    assert result.status == "too_early"


def test_lifestyle_comparison_with_no_twitches_in_either_window(person):
    twitch(person, "2024-06-01 10:00")
    result = comparison(person, CHANGED + dt.timedelta(days=28))
    assert result.status == "no_twitches"
    assert result.suggest_doctor is False


def test_lifestyle_comparison_of_a_date_still_to_come(person):
    daily_twitches(person, CHANGED - dt.timedelta(days=28), 20, 1)
    result = comparison(person, CHANGED - dt.timedelta(days=2))
    assert result.status == "not_started"
    assert result.window_days == 0
    assert result.before == Window(start=None, end=None, twitches=0, average=None)


def test_trends_bundles_every_figure_in_a_fixed_number_of_queries(
    journal, django_assert_num_queries
):
    # summary, twitches per day and region (daily series, weekly spread, and the day
    # totals the trigger and check-in comparisons add up), symptom days, places,
    # weekday x hour, the triggers noted each day, the check-ins, durations and
    # intensities; then the lifestyle comparison's first twitch and its two windows.
    with django_assert_num_queries(10):
        data = insights.trends(
            journal, PERIOD, today=dt.date(2025, 3, 16), changed_on=dt.date(2025, 3, 9)
        )
    assert data.period == PERIOD
    assert data.daily == insights.daily_counts(journal, PERIOD)
    assert data.regions == insights.regions_from_locations(data.locations)
    assert data.region_weeks == insights.region_weeks(journal, PERIOD)
    assert data.hourly == insights.hourly_counts(journal, PERIOD)
    assert [item.count for item in data.intensities] == [3, 4, 1, 0]
    assert data.body_map.max == 2
    assert data.lifestyle.window_days == 7
    with django_assert_num_queries(8):
        assert insights.trends(journal, PERIOD, today=dt.date(2025, 3, 16)).lifestyle is None
