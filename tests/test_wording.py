"""wording.py: how dates, lengths, places, regions and counts are said, on pages and in the PDF."""

from datetime import date
from decimal import Decimal

import pytest
from django.template.defaultfilters import floatformat

from journal import body, wording


@pytest.mark.parametrize(
    ("seconds", "text"),
    [
        (None, ""),
        (0, "under a second"),
        (1, "1 second"),
        (3, "a few seconds"),
        (30, "under a minute"),
        (45, "45 seconds"),
        (59, "59 seconds"),
        (60, "1 minute"),
        (75, "1 minute 15 seconds"),
        (125, "2 minutes 5 seconds"),
        (300, "several minutes"),
        (301, "5 minutes 1 second"),
        (600, "10 minutes"),
        (3600, "1 hour"),
        (5400, "1 hour 30 minutes"),
        (5430, "1 hour 30 minutes"),
        (86400, "24 hours"),
    ],
)
def test_duration_text_says_a_length_as_people_say_it(seconds, text):
    assert wording.duration_text(seconds) == text


@pytest.mark.parametrize(("seconds", "label"), body.DURATION_PRESETS)
def test_a_preset_length_is_said_back_as_the_person_chose_it(seconds, label):
    assert wording.duration_text(seconds) == label.lower()


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
    assert wording.place_text(location, side) == text


@pytest.mark.parametrize(
    ("location", "side", "text"),
    [("calf", "left", "Left calf"), ("", "both", "Both sides"), ("", "", ""), ("hand", "", "Hand")],
)
def test_where_text_names_a_symptoms_place_or_its_side_alone(location, side, text):
    assert wording.where_text(location, side) == text


def test_every_region_row_has_one_name_which_charts_break_over_two_lines():
    rows = (*body.SPREAD_REGION_CODES, body.ALL_OVER)
    assert [wording.region_name(code) for code in rows] == [
        "Head and face",
        "Neck, shoulders and arms",
        "Chest, back and belly",
        "Lower back, hips and legs",
        "Eyelid (counted apart)",
        "All over / many places",
    ]
    for code in rows:
        assert " ".join(wording.region_lines(code)) == wording.region_name(code)
        assert len(wording.region_lines(code)) <= 2
    assert wording.region_lines(body.EYELID) == ("Eyelid", "(counted apart)")
    assert not hasattr(wording, "region_short_name")


@pytest.mark.parametrize(
    ("sides", "text"),
    [
        ({"left": 2, "right": 1}, "Calf 3 (2 left, 1 right)"),
        ({"left": 2}, "Calf 2 (left)"),
        ({"both": 1, "": 2}, "Calf 3 (1 both sides)"),
        ({"": 4}, "Calf 4"),
    ],
)
def test_a_place_with_counts_says_its_sides(sides, text):
    assert wording.place_count_text("calf", sides) == text


def test_the_midline_is_the_body_maps_middle_neck_and_forehead_included():
    assert {"neck", "forehead", "tongue", "lower_back"} <= body.MIDLINE_LOCATIONS
    assert not {"calf", "eyelid", "cheek", "shoulder"} & body.MIDLINE_LOCATIONS
    assert set(body.LOCATION_LABELS) >= body.MIDLINE_LOCATIONS


@pytest.mark.parametrize(
    ("function", "day", "text"),
    [
        (wording.date_text, date(2025, 3, 3), "3 Mar 2025"),
        (wording.day_month, date(2025, 12, 31), "31 Dec"),
        (wording.weekday_day_month, date(2025, 3, 3), "Mon 3 Mar"),
        (wording.weekday_date_text, date(2025, 3, 16), "Sun 16 Mar 2025"),
        (wording.long_date, date(2025, 3, 3), "Monday 3 March 2025"),
    ],
)
def test_dates_are_said_day_first_whatever_the_servers_locale(function, day, text):
    assert function(day) == text


def test_long_date_can_leave_out_the_weekday_and_the_year():
    assert wording.long_date(date(2025, 3, 1), year=False) == "Saturday 1 March"
    assert wording.long_date(date(2025, 3, 1), weekday=False, year=False) == "1 March"


def test_a_range_says_a_shared_year_once():
    assert (
        wording.range_text(date(2025, 3, 3), date(2025, 5, 29))
        == f"3 Mar {wording.DASH} 29 May 2025"
    )
    assert (
        wording.range_text(date(2024, 12, 30), date(2025, 1, 2))
        == f"30 Dec 2024 {wording.DASH} 2 Jan 2025"
    )
    assert wording.range_text(date(2025, 3, 3), date(2025, 3, 3)) == "3 Mar 2025"
    assert wording.span_text(date(2025, 3, 3), date(2025, 3, 4)) == "3 Mar 2025 to 4 Mar 2025"
    assert wording.month_year(2025, 3) == "March 2025"


@pytest.mark.parametrize(
    ("value", "digits", "text"),
    [
        (6.25, 1, "6.3"),
        (Decimal("7.0"), 1, "7"),
        (Decimal("6.5"), 1, "6.5"),
        (10.0, 1, "10"),
        (-12.5, 0, "-13"),
        (0.456, 2, "0.46"),
    ],
)
def test_number_rounds_half_up_without_trailing_zeros(value, digits, text):
    assert wording.number(value, digits) == text


@pytest.mark.parametrize(
    ("value", "text"),
    [(31, "31.0"), (2.0, "2.0"), (2.45, "2.5"), (0.25, "0.3"), (0.05, "0.1"), (12 / 7, "1.7")],
)
def test_decimals_keep_their_places_so_a_column_lines_up(value, text):
    # As Django's floatformat:1 prints them: half up on the written figure, not the binary.
    assert wording.decimals(value) == text
    assert floatformat(value, 1) == text


@pytest.mark.parametrize(
    ("count", "one", "many", "text"),
    [
        (1, "day", None, "1 day"),
        (0, "day", None, "0 days"),
        (1204, "twitch", "twitches", "1,204 twitches"),
        (Decimal("1.0"), "unit", None, "1 unit"),
        (Decimal("1.5"), "unit", None, "1.5 units"),
    ],
)
def test_plural_fits_the_noun_to_the_count(count, one, many, text):
    assert wording.plural(count, one, many) == text


def test_and_list_joins_as_a_sentence_does():
    assert wording.and_list([]) == ""
    assert wording.and_list(["a"]) == "a"
    assert wording.and_list(["a", "b"]) == "a and b"
    assert wording.and_list(["a", "b", "c"]) == "a, b and c"


@pytest.mark.parametrize(("count", "word"), [(0, "no"), (3, "three"), (6, "six"), (7, "7")])
def test_small_counts_are_said_as_words(count, word):
    assert wording.count_word(count) == word
