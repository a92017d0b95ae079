"""What the PDF shows, as plain frozen data: ``report_data`` gathers it from the
database, and the rest of this package only lays it out."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime

from .. import body, rules, wording


@dataclass(frozen=True)
class KeyNumbers:
    """The headline figures for the period and the equal-length period just before it."""

    entries: int
    twitch_days: int
    days: int
    average_per_day: float | None
    first_day: date | None
    last_day: date | None
    previous_start: date
    previous_end: date
    previous_entries: int
    change_percent: float | None  # None when the previous period had no twitches


@dataclass(frozen=True)
class PlaceCount:
    """Twitches at one place on one side (side "" when none was given)."""

    location: str
    side: str
    count: int


@dataclass(frozen=True)
class DailyCount:
    """Twitches on one local day, with the rolling average ending that day."""

    day: date
    count: int
    average: float


@dataclass(frozen=True)
class RegionWeek:
    """For the week starting on Monday ``start``: twitch-days per spread row code."""

    start: date
    days: Mapping[str, int]


@dataclass(frozen=True)
class TriggerLink:
    """A trigger noted on twitches in the period, and how busy those days were."""

    code: str
    days_with: int
    average_with: float | None  # twitches per twitch-day when noted; None if too few days
    average_without: float | None  # on the other twitch-days; None if too few days


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
class ReportData:
    """Everything the summary shows, gathered beforehand so rendering needs no database."""

    name: str  # the name the person chose to show; "" prints no name line
    date_of_birth: date | None
    time_zone: str
    start: date
    end: date
    generated_at: datetime  # aware, in the person's zone
    numbers: KeyNumbers
    places: tuple[PlaceCount, ...]
    flags: tuple[rules.Flag, ...]  # evaluated as of ``end``
    checklist: rules.Checklist
    family_history: str  # a code from body.FAMILY_HISTORY_CHOICES
    reassured_on: date | None
    symptoms: tuple[SymptomRow, ...]
    triggers: tuple[TriggerLink, ...]
    trigger_minimum_days: int
    checkins: CheckinAverages
    daily: tuple[DailyCount, ...]
    region_weeks: tuple[RegionWeek, ...]
    hourly: tuple[int, ...]  # 24 counts, 00:00 first
    log: tuple[LogRow, ...]  # oldest first

    @property
    def days(self) -> int:
        """Length of the period in days, both ends included."""
        return (self.end - self.start).days + 1

    @property
    def period_text(self) -> str:
        """The period as people read it, e.g. "1 Mar 2025 to 29 May 2025"."""
        return f"{wording.date_text(self.start)} to {wording.date_text(self.end)}"


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
