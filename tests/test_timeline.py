"""The journal's read side: check-in summaries, place filters and pages of days."""

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from django.urls import reverse, set_script_prefix

from journal.models import DailyCheckIn, SymptomEntry, TwitchEntry
from journal.timeline import (
    Filters,
    checkin_details,
    checkin_item,
    page_days,
    symptom_item,
    twitch_item,
)


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


def _items():
    twitch = TwitchEntry(
        pk=41,
        occurred_at=datetime(2025, 3, 3, 13, 5, tzinfo=UTC),
        utc_offset_minutes=60,
        local_date=date(2025, 3, 3),
        location="calf",
        side="left",
        duration_seconds=5,
        intensity=2,
    )
    symptom = SymptomEntry(pk=7, noted_on=date(2025, 3, 2), kind="weakness", severity=1)
    checkin = DailyCheckIn(pk=5, day=date(2025, 3, 1))
    return twitch_item(twitch, trigger_codes=[]), symptom_item(symptom), checkin_item(checkin)


@pytest.mark.parametrize("prefix", ["/", "/twitchlog/"])
def test_entry_links_are_the_addresses_reverse_gives_under_any_script_prefix(prefix):
    set_script_prefix(prefix)
    try:
        twitch, symptom, checkin = _items()
        assert twitch.edit_url == reverse("twitch_edit", args=[41])
        assert twitch.delete_url == reverse("twitch_delete", args=[41])
        assert symptom.edit_url == reverse("symptom_edit", args=[7])
        assert symptom.delete_url == reverse("symptom_delete", args=[7])
        assert checkin.edit_url == reverse("checkin_day", args=[date(2025, 3, 1)])
        assert checkin.delete_url == reverse("checkin_delete", args=[date(2025, 3, 1)])
        assert twitch.edit_url == f"{prefix}twitches/41/edit/"
        assert checkin.delete_url == f"{prefix}checkin/2025-03-01/delete/"
    finally:
        set_script_prefix("/")


def test_entry_labels_name_kind_place_time_and_day_for_screen_readers():
    twitch, symptom, checkin = _items()
    assert twitch.link_label == "Left calf, twitch at 14:05, 3 March: change or delete"
    assert twitch.action_label == "twitch: Left calf at 14:05, 3 March"
    assert symptom.link_label == "Weakness, symptom, 2 March: change or delete"
    assert symptom.action_label == "symptom: Weakness, 2 March"
    # "Daily check-in" already says what it is.
    assert checkin.link_label == "Daily check-in, 1 March: change or delete"
    assert checkin.action_label == "check-in: Daily check-in, 1 March"
    assert twitch.short_day == "Mon 3 Mar"
    assert twitch.details_text == "5 seconds · visible"
