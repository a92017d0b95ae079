"""A period's figures, defined once for every place that shows them: the trends page,
the doctor's PDF and the API's summary.

The figures are the period itself, the twitches logged in it, the twitch-days, the
twitches a day, the first and last twitch, and the change on the period just before.
``insights.summary_numbers`` counts them in the database; this module says which days
they cover and how each is put into words, so the page and the PDF print the same
number with the same words.

The period never starts before the journal does: days before the first entry were not
recorded, and counting them as days without twitches would understate every average.
When the days chosen reach back before the journal, the heading says so.

Plain Python with no Django import, beside ``wording`` (which it reads).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from . import wording


@dataclass(frozen=True)
class Span:
    """The days a period's figures cover (``start`` to ``end``), and the first day that
    was asked for; ``start`` is later when the journal starts after ``asked_start``."""

    start: date
    end: date
    asked_start: date

    @property
    def days(self) -> int:
        """The days covered, both ends included."""
        return (self.end - self.start).days + 1

    @property
    def asked_days(self) -> int:
        return (self.end - self.asked_start).days + 1

    @property
    def shortened(self) -> bool:
        """Whether the journal starts after the first day asked for."""
        return self.start != self.asked_start

    @property
    def heading(self) -> str:
        """The days covered, as a range heading says them: "22 Sep \u2013 30 Nov 2026 (70 days)"."""
        return f"{wording.range_text(self.start, self.end)} ({wording.plural(self.days, 'day')})"

    @property
    def note(self) -> str:
        """Why fewer days are covered than were chosen; "" when they are the same."""
        if not self.shortened:
            return ""
        return (
            f"The journal starts on {wording.date_text(self.start)}, so these figures cover "
            f"{self.days} of the {wording.plural(self.asked_days, 'day')} chosen."
        )


def span(start: date, end: date, journal_start: date | None) -> Span:
    """The days from ``start`` to ``end`` that the journal covers: from its first entry
    (``journal_start``, of any kind) when that falls inside them, else all of them."""
    if journal_start is not None and start < journal_start <= end:
        return Span(journal_start, end, start)
    return Span(start, end, start)


@dataclass(frozen=True)
class Tile:
    """One figure as a page or the PDF shows it: a big value and the words under it.

    ``code`` names the figure for a machine (the API, a test): twitches, twitch_days,
    per_day, first_last or change."""

    code: str
    value: str
    label: str

    @property
    def text(self) -> str:
        """The figure as one line of text: "70 of 90 days with twitches"."""
        return f"{self.value} {self.label}"


@dataclass(frozen=True)
class Figures:
    """The figures of the days ``span`` covers, and of as many days just before them."""

    span: Span
    twitches: int
    twitch_days: int
    average_per_day: float | None
    first: date | None  # local date of the period's first twitch
    last: date | None
    previous_twitches: int
    change_percent: float | None  # None when the days before had no twitches

    @classmethod
    def from_summary(cls, span: Span, summary) -> Figures:
        """The figures of ``insights.summary_numbers`` (an ``insights.Summary``) for the
        period of ``span``."""
        return cls(
            span=span,
            twitches=summary.twitches,
            twitch_days=summary.twitch_days,
            average_per_day=summary.average_per_day,
            first=summary.first,
            last=summary.last,
            previous_twitches=summary.previous.twitches,
            change_percent=summary.change_percent,
        )

    @property
    def days(self) -> int:
        return self.span.days

    @property
    def previous_start(self) -> date:
        return self.span.start - timedelta(days=self.days)

    @property
    def previous_end(self) -> date:
        return self.span.start - timedelta(days=1)

    @property
    def change_direction(self) -> str | None:
        return change_direction(self.change_percent)

    def tiles(self) -> tuple[Tile, ...]:
        """Each figure with its words, in the order the page and the PDF show them."""
        return (
            Tile("twitches", f"{self.twitches:,}", f"{_twitches_word(self.twitches)} logged"),
            Tile(
                "twitch_days",
                f"{self.twitch_days:,}",
                f"of {wording.plural(self.days, 'day')} with twitches",
            ),
            Tile("per_day", per_day_text(self.average_per_day), "twitches a day on average"),
            Tile("first_last", self._first_last(), "first and last twitch"),
            self._change(),
        )

    def _first_last(self) -> str:
        if self.first is None or self.last is None:
            return wording.DASH
        return wording.range_text(self.first, self.last)

    def _change(self) -> Tile:
        before = f"the {wording.plural(self.days, 'day')} before"
        direction = self.change_direction
        if direction is None:
            return Tile("change", "No twitches", f"in {before}")
        if direction == "same":
            return Tile("change", "The same", f"as {before}")
        percent = wording.number(abs(self.change_percent), 0)
        count = wording.plural(self.previous_twitches, "twitch", "twitches")
        return Tile("change", f"{percent}% {direction}", f"than {before} ({count})")


def change_direction(change_percent: float | None) -> str | None:
    """ "fewer", "more" or "same" than the days before, from the change in percent; None
    when the days before had no twitches (no percent)."""
    if change_percent is None:
        return None
    return "fewer" if change_percent < 0 else "more" if change_percent > 0 else "same"


def per_day_text(average: float | None) -> str:
    """Twitches a day: one decimal, or two below one a day so a light journal does not
    read as none ("0.06"); "0" for none."""
    if not average:
        return "0"
    return wording.number(average, 2 if average < 1 else 1)


def _twitches_word(count: int) -> str:
    return "twitch" if count == 1 else "twitches"
