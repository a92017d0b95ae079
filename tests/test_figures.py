"""journal/figures.py: a period's figures and their words, the same for every page."""

from dataclasses import replace
from datetime import date

import pytest

from journal import figures, insights

START, END = date(2025, 1, 1), date(2025, 3, 31)


def summary(**changes) -> insights.Summary:
    numbers = insights.Summary(
        twitches=140,
        twitch_days=52,
        days=90,
        average_per_day=2.0,
        first=date(2025, 1, 21),
        last=date(2025, 3, 31),
        previous=insights.PreviousPeriod(date(2024, 10, 3), date(2024, 12, 31), 0, 0.0),
        change_percent=None,
        change_direction=None,
    )
    return replace(numbers, **changes)


def test_the_period_starts_with_the_journal_when_it_starts_later():
    span = figures.span(START, END, date(2025, 1, 21))
    assert (span.start, span.end, span.days, span.asked_days) == (date(2025, 1, 21), END, 70, 90)
    assert span.heading == "21 Jan \u2013 31 Mar 2025 (70 days)"
    assert span.note == (
        "The journal starts on 21 Jan 2025, so these figures cover 70 of the 90 days chosen."
    )


@pytest.mark.parametrize("journal_start", [None, date(2024, 5, 1), START, date(2025, 4, 2)])
def test_the_period_is_the_one_chosen_when_the_journal_covers_it_or_misses_it(journal_start):
    span = figures.span(START, END, journal_start)
    assert (span.start, span.days, span.shortened, span.note) == (START, 90, False, "")


def test_each_figure_has_one_value_and_one_label():
    shown = figures.Figures.from_summary(figures.span(START, END, date(2025, 1, 21)), summary())
    assert [tile.text for tile in shown.tiles()] == [
        "140 twitches logged",
        "52 of 70 days with twitches",
        "2 twitches a day on average",
        "21 Jan \u2013 31 Mar 2025 first and last twitch",
        # A sentence, not a dash and a fragment ("- nothing logged in the 70 days before").
        "No twitches in the 70 days before",
    ]


@pytest.mark.parametrize(
    ("change", "before", "text"),
    [
        (-25.0, 120, "25% fewer than the 90 days before (120 twitches)"),
        (200.0, 1, "200% more than the 90 days before (1 twitch)"),
        (0.0, 140, "The same as the 90 days before"),
    ],
)
def test_the_change_on_the_days_before_reads_as_words(change, before, text):
    numbers = summary(change_percent=change, previous=replace(summary().previous, twitches=before))
    shown = figures.Figures.from_summary(figures.span(START, END, None), numbers)
    assert shown.tiles()[-1].text == text
    assert shown.previous_start == date(2024, 10, 3)


@pytest.mark.parametrize(
    ("average", "text"), [(None, "0"), (0.0, "0"), (0.06, "0.06"), (2.75, "2.8")]
)
def test_twitches_a_day_keep_a_light_journal_from_reading_as_none(average, text):
    assert figures.per_day_text(average) == text
