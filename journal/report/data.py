"""What the PDF shows, as plain frozen data: ``report_data`` gathers it from the
database, and the rest of this package only lays it out.

The figures it shares with the trends page (the twitches of each day, place and week,
and the triggers' comparisons) are ``insights``' own classes, so each has one
definition; the rest are the PDF's alone."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime

from .. import body, rules
from ..figures import Figures
from ..insights import DayCount, PlaceCount, RegionWeek, TriggerComparison


@dataclass(frozen=True)
class CheckinAverages:
    """Averages over the period's daily check-ins (None where nothing was recorded)."""

    days: int
    caffeine_mg: float | None = None
    sleep_hours: float | None = None
    stress: float | None = None
    water_litres: float | None = None
    alcohol_units: float | None = None


@dataclass(frozen=True)
class SymptomRow:
    """One symptom entry, as the symptom table prints it."""

    day: date
    kind: str
    severity: int
    onset: str
    location: str = ""
    side: str = ""
    notes: str = ""


@dataclass(frozen=True)
class LogRow:
    """One twitch entry for the log; ``when`` is in the person's own time zone."""

    when: datetime
    location: str
    side: str = ""
    duration_seconds: int | None = None
    intensity: int | None = None
    triggers: tuple[str, ...] = ()
    notes: str = ""


@dataclass(frozen=True)
class CheckinDay:
    """One day's check-in figures (None where the question was not answered)."""

    caffeine_mg: int | None = None
    sleep_hours: float | None = None
    stress: int | None = None
    water_litres: float | None = None
    alcohol_units: float | None = None
    exercise: str = ""  # a code from body.EXERCISE_LEVELS, "" when not answered


@dataclass(frozen=True)
class DayRow:
    """One local day with anything logged, as the per-day table prints it: the twitches by
    place and side, the symptoms as (kind, severity), and the check-in if there was one."""

    day: date
    twitches: int = 0
    places: tuple[PlaceCount, ...] = ()
    symptoms: tuple[tuple[str, int], ...] = ()
    checkin: CheckinDay | None = None


@dataclass(frozen=True)
class ReportData:
    """Everything the summary shows, gathered beforehand so rendering needs no database."""

    name: str  # the name the person chose to show; "" prints no name line
    date_of_birth: date | None
    time_zone: str
    generated_at: datetime  # aware, in the person's zone
    figures: Figures  # with the days they cover, and those chosen
    places: tuple[PlaceCount, ...]  # most first
    flags: tuple[rules.Flag, ...]  # evaluated as of ``end``
    checklist: rules.Checklist
    family_history: str  # a code from body.FAMILY_HISTORY_CHOICES
    reassured_on: date | None
    symptoms: tuple[SymptomRow, ...]
    triggers: tuple[TriggerComparison, ...]  # every trigger noted, in vocabulary order
    trigger_minimum_days: int
    checkins: CheckinAverages
    daily: tuple[DayCount, ...]  # every day of the period
    region_weeks: tuple[RegionWeek, ...]
    hourly: tuple[int, ...]  # 24 counts, 00:00 first
    day_rows: tuple[DayRow, ...] = ()  # days with anything logged, oldest first
    every_entry: bool = False  # whether the person asked for every entry
    log: tuple[LogRow, ...] = ()  # oldest first; the latest ``log_cap`` when there are more

    @property
    def start(self) -> date:
        return self.figures.span.start

    @property
    def end(self) -> date:
        return self.figures.span.end

    @property
    def days(self) -> int:
        """Length of the period in days, both ends included."""
        return self.figures.days

    @property
    def period_text(self) -> str:
        """The period as people read it: "1 Mar \u2013 29 May 2025 (90 days)"."""
        return self.figures.span.heading

    @property
    def symptom_days(self) -> frozenset[date]:
        """The days a symptom was logged, which the daily chart marks."""
        return frozenset(row.day for row in self.symptoms)


_LOCATION_ORDER = {code: n for n, (code, _) in enumerate(body.TWITCH_LOCATIONS)}


def places_by_location(places) -> dict[str, dict[str, int]]:
    """{location: {side: count}} in head-to-toe order."""
    by_location: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for place in places:
        by_location[place.location][place.side] += place.count
    return dict(sorted(by_location.items(), key=lambda kv: _LOCATION_ORDER.get(kv[0], 99)))


# The rows places are summed into, in the order page 1 and the body map list them.
PLACE_GROUP_ORDER = (*body.REGION_CODES, body.ALL_OVER, body.EYELID)


def place_group(location: str) -> str:
    """The row a place is summed into on page 1: its region, "all over", or eyelid apart."""
    if location in (body.EYELID, body.ALL_OVER):
        return location
    return body.region_of(location) or location
