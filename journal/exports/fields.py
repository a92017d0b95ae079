"""The export file format, declared once: each kind of entry with its fields, in order.

A field has the name it carries in a file (a CSV column, a JSON key), the attribute it
is stored under (on the model and on a checked row), and its value type (``values``),
which says how it is written and how it is read back. The CSV header, the JSON items,
the checks on import, the rows compared for duplicates and the entries written all
follow these declarations.
"""

from __future__ import annotations

from collections import namedtuple
from collections.abc import Callable
from dataclasses import dataclass
from dataclasses import field as dataclass_field

from .. import body
from ..models import (
    CAFFEINE_FIELDS,
    MAX_CAFFEINE_MG,
    DailyCheckIn,
    SymptomEntry,
    TwitchEntry,
    caffeine_from_servings,
)
from .values import Code, Day, Decimal1, Level, Moment, Notes, Problems, Triggers, Value, Whole

FORMAT_NAME = "twitchlog"
# Version 2 added the check-ins' caffeine as entered (servings by kind and other mg);
# version 1 files, with caffeine_mg alone, are read as before.
FORMAT_VERSION = 2
READABLE_VERSIONS = (1, 2)

TWITCH, SYMPTOM, CHECKIN = "twitch", "symptom", "checkin"
ROW_TYPES = (TWITCH, SYMPTOM, CHECKIN)


@dataclass(frozen=True)
class Field:
    """One field of a kind of entry: its name in the file, its attribute, its value type."""

    name: str
    attr: str
    value: Value

    @property
    def stored(self) -> bool:
        """Whether the model has a column of this name (triggers are rows of their own)."""
        return not isinstance(self.value, Triggers)


@dataclass(frozen=True)
class Kind:
    """A kind of entry as the file holds it: its CSV type, its JSON section, its fields.

    Worked out once from the fields: ``names`` (as in a file), ``attrs`` (every
    attribute, in field order), ``stored_attrs`` (those that are the model's own
    columns), and ``row``, the checked row: a named tuple of the fields' values in field
    order, which is also the entry's identity when looking for one already in the
    journal.
    """

    code: str
    section: str
    model: type
    fields: tuple[Field, ...]
    # A check across the row's fields, once each is fine on its own: it returns the row
    # to keep, and adds to the problems what is wrong between them.
    check_row: Callable[[tuple, Problems], tuple] | None = None
    names: frozenset[str] = dataclass_field(init=False)
    attrs: tuple[str, ...] = dataclass_field(init=False)
    stored_attrs: tuple[str, ...] = dataclass_field(init=False)
    row: type = dataclass_field(init=False)

    def __post_init__(self):
        attrs = tuple(field.attr for field in self.fields)
        derived = {
            "names": frozenset(field.name for field in self.fields),
            "attrs": attrs,
            "stored_attrs": tuple(field.attr for field in self.fields if field.stored),
            "row": namedtuple(f"{self.code.capitalize()}Row", attrs),
        }
        for name, value in derived.items():
            object.__setattr__(self, name, value)


def _codes(pairs) -> frozenset[str]:
    return frozenset(code for code, _ in pairs)


_SIDE = Code(_codes(body.SIDES), hint=" (use left, right, both or centre)")

TWITCH_KIND = Kind(
    TWITCH,
    "twitches",
    TwitchEntry,
    (
        Field("occurred_at", "occurred_at", Moment()),
        Field("location", "location", Code(_codes(body.TWITCH_LOCATIONS), required=True)),
        Field("side", "side", _SIDE),
        Field("duration_seconds", "duration_seconds", Whole(TwitchEntry)),
        Field("intensity", "intensity", Level(optional=True)),
        Field("triggers", "triggers", Triggers()),
        Field("notes", "notes", Notes()),
    ),
)
SYMPTOM_KIND = Kind(
    SYMPTOM,
    "symptoms",
    SymptomEntry,
    (
        Field("date", "noted_on", Day()),
        Field("kind", "kind", Code(_codes(body.SYMPTOM_KINDS), required=True)),
        Field("severity", "severity", Level()),
        Field(
            "onset",
            "onset",
            Code(_codes(body.ONSETS), required=True, hint=" (use gradual or sudden)"),
        ),
        Field(
            "location",
            "location",
            Code(
                _codes(body.LOCATIONS),
                refused={
                    body.ALL_OVER: "a symptom needs one place, not 'all_over' "
                    "(or leave location empty)"
                },
            ),
        ),
        Field("side", "side", _SIDE),
        Field("notes", "notes", Notes()),
    ),
)


def _caffeine_worked_out(row, problems: Problems):
    """A check-in's caffeine_mg, worked out from its servings and other mg as a check-in
    saved in the journal has it.

    A file from before servings were kept (version 1, or one made by hand) gives the
    total alone: it becomes the check-in's other mg, as it did for the check-ins already
    in journals then, so it shows back as entered. A total given beside servings must
    be theirs: the servings are what the person entered.
    """
    entered = {name: getattr(row, name) for name in CAFFEINE_FIELDS}
    if all(value is None for value in entered.values()):
        return row._replace(other_caffeine_mg=row.caffeine_mg)
    total = caffeine_from_servings(**entered)
    if total > MAX_CAFFEINE_MG:
        problems.append(
            f"the caffeine adds up to {total:,} mg, more than the {MAX_CAFFEINE_MG:,} mg "
            "a day a check-in holds"
        )
    elif row.caffeine_mg is not None and row.caffeine_mg != total:
        problems.append(
            f"caffeine_mg is {row.caffeine_mg}, but the servings and other mg add up to "
            f"{total}; correct it or leave it empty"
        )
    return row._replace(caffeine_mg=total)


CHECKIN_KIND = Kind(
    CHECKIN,
    "checkins",
    DailyCheckIn,
    (
        Field("date", "day", Day()),
        Field("coffee_cups", "coffee_cups", Decimal1(DailyCheckIn)),
        Field("tea_cups", "tea_cups", Decimal1(DailyCheckIn)),
        Field("energy_drinks", "energy_drinks", Decimal1(DailyCheckIn)),
        Field("other_caffeine_mg", "other_caffeine_mg", Whole(DailyCheckIn)),
        Field("caffeine_mg", "caffeine_mg", Whole(DailyCheckIn)),
        Field("sleep_hours", "sleep_hours", Decimal1(DailyCheckIn)),
        Field("stress", "stress", Whole(DailyCheckIn)),
        Field(
            "exercise",
            "exercise",
            Code(_codes(body.EXERCISE_LEVELS), hint=" (use none, light, moderate or hard)"),
        ),
        Field("alcohol_units", "alcohol_units", Decimal1(DailyCheckIn)),
        Field("water_litres", "water_litres", Decimal1(DailyCheckIn)),
        Field("notes", "notes", Notes()),
    ),
    check_row=_caffeine_worked_out,
)

KINDS = {kind.code: kind for kind in (TWITCH_KIND, SYMPTOM_KIND, CHECKIN_KIND)}
JSON_SECTIONS = {kind.section: kind.code for kind in KINDS.values()}


def _csv_columns() -> tuple[str, ...]:
    """One header for every kind: the row's type, then each kind's date or time, the
    other fields in kind order (a name shared by kinds appears once), the notes last."""
    whens = [kind.fields[0].name for kind in KINDS.values()]
    others = [f.name for kind in KINDS.values() for f in kind.fields[1:] if f.name != "notes"]
    return ("type", *dict.fromkeys([*whens, *others, "notes"]))


CSV_COLUMNS = _csv_columns()

# The profile travels with a JSON export; its dates are written as 2026-03-01.
PROFILE_FIELDS = (
    "display_name",
    "time_zone",
    "family_history",
    "reassured_on",
    "date_of_birth",
    "habits_changed_on",
)
PROFILE_DATE_FIELDS = ("reassured_on", "date_of_birth", "habits_changed_on")
# Each profile field as the import's preview names it.
PROFILE_LABELS = {
    "display_name": "Your name",
    "time_zone": "Time zone",
    "family_history": "Family history of a nerve or muscle condition",
    "reassured_on": "Day a doctor examined you and found nothing serious",
    "date_of_birth": "Date of birth",
    "habits_changed_on": "Day you started changing your habits",
}
