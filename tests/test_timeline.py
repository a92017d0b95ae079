"""The journal's read side: check-in summaries, place filters and pages of days."""

from datetime import date
from decimal import Decimal

from journal.models import DailyCheckIn
from journal.timeline import Filters, checkin_details, page_days


def test_checkin_details_leave_out_unanswered_questions():
    checkin = DailyCheckIn(
        caffeine_mg=285,
        sleep_hours=Decimal("6.5"),
        stress=4,
        exercise="none",
        alcohol_units=Decimal("0.0"),
        water_litres=Decimal("2.0"),
    )
    assert checkin_details(checkin) == [
        "285 mg caffeine",
        "6.5 h sleep",
        "stress 4 of 5",
        "no exercise",
        "no alcohol",
        "2 l water",
    ]
    assert checkin_details(DailyCheckIn(alcohol_units=Decimal("1.0"), exercise="hard")) == [
        "hard exercise",
        "1 unit of alcohol",
    ]
    assert checkin_details(DailyCheckIn()) == []


def test_a_region_filter_stands_for_its_places_and_all_over_outside_the_head():
    legs = Filters(place="region:leg").locations(twitches=True)
    assert "calf" in legs
    assert "all_over" in legs
    assert "all_over" not in Filters(place="region:leg").locations(twitches=False)
    assert "all_over" not in Filters(place="region:head").locations(twitches=True)
    assert Filters(place="calf").locations(twitches=True) == ["calf"]
    assert Filters().locations(twitches=True) is None
    assert Filters(place="calf").kinds() == ("twitch", "symptom")


def test_pages_take_up_to_a_week_of_days_while_they_stay_within_the_entry_limit():
    days = [date(2025, 3, d) for d in range(1, 12)]
    counts = dict(zip(days, [3, 3, 3, 3, 3, 3, 3, 3, 30, 25, 30], strict=True))

    pages = page_days(counts, days_per_page=7, entries_per_page=50)

    # Newest first: 30 + 25 would pass 50 with the page already over half full; then
    # 25 + 30 likewise; then seven quiet days, and the last one.
    assert pages == [
        [days[10]],
        [days[9]],
        [days[8], days[7], days[6], days[5], days[4], days[3], days[2]],
        [days[1], days[0]],
    ]


def test_a_page_under_half_full_takes_the_next_day_even_past_the_limit():
    counts = {date(2025, 3, 3): 4, date(2025, 3, 2): 48, date(2025, 3, 1): 20}

    assert page_days(counts, entries_per_page=50) == [
        [date(2025, 3, 3), date(2025, 3, 2)],
        [date(2025, 3, 1)],
    ]


def test_a_day_over_the_entry_limit_comes_whole():
    counts = {date(2025, 3, 2): 80, date(2025, 3, 1): 1}

    assert page_days(counts, entries_per_page=50) == [[date(2025, 3, 2)], [date(2025, 3, 1)]]


def test_no_days_make_no_pages():
    assert page_days({}) == []
