"""The journal's read side in words: places, lengths and check-in summaries."""

from decimal import Decimal

import pytest

from journal.models import DailyCheckIn
from journal.timeline import Filters, checkin_details, duration_text, place_text


@pytest.mark.parametrize(
    ("location", "side", "text"),
    [
        ("calf", "left", "Left calf"),
        ("upper_arm", "right", "Right upper arm"),
        ("thigh_back", "left", "Back of left thigh"),
        ("thumb_base", "right", "Base of right thumb"),
        ("sole", "left", "Sole of left foot"),
        ("calf", "both", "Calf, both sides"),
        ("chest", "centre", "Chest"),
        ("neck", "", "Neck"),
        ("all_over", "", "All over / many places"),
    ],
)
def test_place_text_puts_the_persons_side_in_plain_words(location, side, text):
    assert place_text(location, side) == text


@pytest.mark.parametrize(
    ("seconds", "text"),
    [
        (None, ""),
        (0, "under a second"),
        (1, "1 second"),
        (45, "45 seconds"),
        (60, "1 minute"),
        (90, "1 minute 30 s"),
        (300, "5 minutes"),
        (3600, "1 hour"),
        (86400, "24 hours"),
        (5400, "1 hour 30 min"),
    ],
)
def test_duration_text(seconds, text):
    assert duration_text(seconds) == text


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
