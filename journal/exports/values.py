"""Each kind of value an export holds: how it is written to CSV and JSON, and how a value
read back from a file is checked.

A value type's ``read`` takes what the file holds (text from a CSV cell; text, a
number, a list or None from JSON) and returns the value to store, or appends one
plain sentence per problem to ``problems`` and returns an empty value. Its ``csv``
and ``json`` methods write what the database holds. The checks follow the models'
own rules (their validators, lengths and vocabularies), read from the models where
they are declared.
"""

from __future__ import annotations

import functools
import json
import re
import sys
import zoneinfo
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from datetime import timezone as timezone_type
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING

from django.core.validators import MaxValueValidator, MinValueValidator
from django.utils import timezone

from .. import body
from ..models import EARLIEST_DAY, FUTURE_TOLERANCE, NOTES_MAX_LENGTH

if TYPE_CHECKING:
    from .fields import Field

EARLIEST_YEAR = EARLIEST_DAY.year
TRIGGER_SEPARATOR = ";"

# Spreadsheet apps run a cell that starts with one of these as a formula. Such notes
# are written with a leading apostrophe, which the import takes off again.
_FORMULA_START = re.compile(r"'*[=+\-@\t\r]")
_ESCAPED_FORMULA = re.compile(r"'+[=+\-@\t\r]")
# ASCII digits only, and few of them: every number an export holds has at most 5 digits,
# and turning thousands of digits into a number is slow work Python refuses.
MAX_NUMBER_DIGITS = 18
_DIGITS = rf"[0-9]{{1,{MAX_NUMBER_DIGITS}}}"
_WHOLE_NUMBER = re.compile(_DIGITS)
_DECIMAL_NUMBER = re.compile(rf"{_DIGITS}(\.{_DIGITS})?")
# Characters no database column can hold: PostgreSQL refuses NUL in text, and a lone
# half of a surrogate pair is not a character at all, so it cannot be encoded to be sent
# to either database. A file holding one is refused on both databases alike, so a
# journal kept on SQLite can always move to PostgreSQL.
_UNSTORABLE = re.compile(r"[\x00\ud800-\udfff]")

_TRIGGER_ORDER = {code: index for index, (code, _) in enumerate(body.TRIGGERS)}
_LEVELS_1_3 = frozenset(value for value, _ in body.INTENSITIES)


class Problems(list):
    """The problems found in one row, as plain sentences."""


@dataclass
class Context:
    """What checking a value needs to know: the person's zone, the time now, the format."""

    tz: zoneinfo.ZoneInfo
    now: datetime
    today: date
    from_csv: bool


def escape_cell(text: str) -> str:
    """Stop a spreadsheet from running text as a formula; reversed by unescape_cell."""
    return "'" + text if _FORMULA_START.match(text) else text


def unescape_cell(text: str) -> str:
    """Take off the apostrophe escape_cell added, leaving every other text as it is."""
    return text[1:] if _ESCAPED_FORMULA.match(text) else text


@functools.cache
def in_vocabulary_order(codes: frozenset[str]) -> tuple[str, ...]:
    """Trigger codes sorted as TwitchEntry.trigger_codes lists them (one tuple per set)."""
    return tuple(sorted(codes, key=lambda code: _TRIGGER_ORDER.get(code, len(_TRIGGER_ORDER))))


def is_blank(value) -> bool:
    return value is None or (isinstance(value, str) and value.strip() == "")


def shown(value) -> str:
    """A value quoted for an error message, shortened so a message stays one line."""
    if not isinstance(value, str):
        text = json.dumps(value, default=str) if isinstance(value, list | dict) else str(value)
        return text if len(text) <= 40 else text[:37] + "..."
    return repr(value if len(value) <= 40 else value[:37] + "...")


def unstorable(name: str, text: str) -> str | None:
    """The problem with ``text`` if it holds a character no database stores, else None."""
    found = _UNSTORABLE.search(text)
    if found is None:
        return None
    if found.group() == "\x00":
        what = "a NUL character (U+0000)"
    else:
        what = f"half of a character (U+{ord(found.group()):04X}, a lone surrogate)"
    return f"{name} holds {what}, which cannot be stored; remove it"


@functools.cache
def _bounds(model, name: str) -> tuple:
    """The tightest minimum and maximum the model's validators allow for a field."""
    validators = model._meta.get_field(name).validators
    lows = [v.limit_value for v in validators if isinstance(v, MinValueValidator)]
    highs = [v.limit_value for v in validators if isinstance(v, MaxValueValidator)]
    return max(lows, default=0), min(highs, default=None)


class Value:
    """A value written as itself: text in CSV, the same value in JSON.

    ``pack`` and ``unpack`` keep a checked value as JSON between an import's check and
    its write, and take it back as it was, without checking it again: it was checked,
    and kept where only the server writes (``pending``).
    """

    def csv(self, value, tz) -> str:
        return "" if value is None else str(value)

    def json(self, value, tz):
        return value

    def pack(self, value):
        return value

    def unpack(self, packed):
        return packed

    def read(self, raw, field: Field, ctx: Context, problems: Problems):
        raise NotImplementedError


@functools.lru_cache(maxsize=256)
def _offset_zone(offset: timedelta) -> timezone_type:
    """One tzinfo per UTC offset, shared by every time that carries it."""
    return timezone_type(offset)


class Moment(Value):
    """An aware time with the UTC offset of the clock it was logged on; read back with the
    offset the file gives, which fixes the entry's local date (RULES.md 2)."""

    example = "a time like 2026-03-01T08:30:00+00:00"

    def csv(self, value, tz) -> str:
        # Twitches arrive as their local_time, already on the clock they were logged on.
        return value.isoformat()

    json = csv

    def pack(self, value):
        return value.isoformat()

    def unpack(self, packed):
        moment = datetime.fromisoformat(packed)
        return moment.replace(tzinfo=_offset_zone(moment.utcoffset()))

    def read(self, raw, field, ctx, problems):
        name = field.name
        if is_blank(raw):
            problems.append(f"{name} is missing ({self.example})")
            return None
        try:
            moment = datetime.fromisoformat(raw.strip())
        except (AttributeError, ValueError):
            problems.append(f"{name} is not {self.example}: {shown(raw)}")
            return None
        if moment.year < EARLIEST_YEAR:
            problems.append(f"{name} is before {EARLIEST_YEAR}: {shown(raw)}")
            return None
        if moment.year > ctx.now.year + 1:
            # Checked before any conversion: 9999-12-31 in a zone ahead of UTC has no
            # UTC instant.
            problems.append(f"{name} is in the future: {shown(raw)}")
            return None
        if timezone.is_naive(moment):
            # A time without an offset, as typed into a spreadsheet, is read in the
            # person's own time zone, like the times they log.
            moment = timezone.make_aware(moment, ctx.tz)
        try:
            # Times with the same offset share one tzinfo, rather than one object per row.
            moment = moment.replace(tzinfo=_offset_zone(moment.utcoffset()))
            too_late = moment > ctx.now + FUTURE_TOLERANCE
        except OverflowError:
            problems.append(f"{name} is not {self.example}: {shown(raw)}")
            return None
        if too_late:
            problems.append(f"{name} is in the future: {shown(raw)}")
            return None
        return moment


class Day(Value):
    """A calendar day, written as 2026-03-01; never later than the person's today."""

    def csv(self, value, tz) -> str:
        return value.isoformat()

    json = csv

    def pack(self, value):
        return value.isoformat()

    def unpack(self, packed):
        return date.fromisoformat(packed)

    def read(self, raw, field, ctx, problems):
        name = field.name
        if is_blank(raw):
            problems.append(f"{name} is missing (a date like 2026-03-01)")
            return None
        try:
            day = date.fromisoformat(raw.strip())
        except (AttributeError, ValueError):
            problems.append(f"{name} is not a date like 2026-03-01: {shown(raw)}")
            return None
        if day.year < EARLIEST_YEAR:
            problems.append(f"{name} is before {EARLIEST_YEAR}: {day.isoformat()}")
            return None
        if day > ctx.today:
            problems.append(f"{name} is in the future: {day.isoformat()}")
            return None
        return day


@dataclass(frozen=True)
class Code(Value):
    """A code from a vocabulary (a place, a side, a kind of symptom...); "" when left out.

    ``refused`` names codes that exist in the journal but cannot be used here, each
    with the sentence that says why.
    """

    codes: frozenset[str]
    required: bool = False
    hint: str = ""
    refused: dict[str, str] = field(default_factory=dict)

    def read(self, raw, field, ctx, problems):
        if isinstance(raw, str) and raw.strip() in self.refused:
            problems.append(self.refused[raw.strip()])
            return ""
        name = field.name
        if is_blank(raw):
            if self.required:
                problems.append(f"{name} is missing{self.hint}")
            return ""
        if not isinstance(raw, str):
            problems.append(f"{name} must be text, not {shown(raw)}")
            return ""
        code = raw.strip()
        if code not in self.codes:
            problems.append(f"unknown {name.replace('_', ' ')} {shown(code)}{self.hint}")
            return ""
        # One shared string per code instead of one per row keeps a big import small.
        return sys.intern(code)

    def unpack(self, packed):
        return sys.intern(packed)


@dataclass(frozen=True)
class Level(Value):
    """A 1-3 scale: a symptom's severity, required; a twitch's intensity, which may be
    left empty when it was not noted (``optional``)."""

    optional: bool = False

    def read(self, raw, field, ctx, problems):
        name = field.name
        if is_blank(raw):
            if not self.optional:
                problems.append(f"{name} is missing (1, 2 or 3)")
            return None
        text = raw.strip() if isinstance(raw, str) else raw
        if isinstance(text, str) and _WHOLE_NUMBER.fullmatch(text):
            text = int(text)
        # JSON may give a list or an object, which cannot even be looked for in a set.
        if isinstance(text, bool) or not isinstance(text, int | Decimal) or text not in _LEVELS_1_3:
            problems.append(f"{name} must be 1, 2 or 3, not {shown(raw)}")
            return None
        return int(text)


@dataclass(frozen=True)
class Whole(Value):
    """A whole number within the bounds ``model``'s validators set for the field; may be
    left out."""

    model: type

    def read(self, raw, field, ctx, problems):
        name = field.name
        low, high = _bounds(self.model, field.attr)
        if is_blank(raw):
            return None
        if isinstance(raw, str) and _WHOLE_NUMBER.fullmatch(raw.strip()):
            number = int(raw.strip())
        elif isinstance(raw, int) and not isinstance(raw, bool):
            number = raw
        else:
            number = None
        if number is None or not low <= number <= high:
            problems.append(f"{name} must be a whole number from {low} to {high}, not {shown(raw)}")
            return None
        return number


@dataclass(frozen=True)
class Decimal1(Value):
    """A decimal within ``model``'s bounds and decimal places; may be left out.

    JSON holds it as a number: values have at most 4 digits and 1 decimal place, so the
    float prints exactly as stored ("7.5"), and the import reads it back as a Decimal.
    """

    model: type

    def json(self, value, tz):
        return None if value is None else float(value)

    def pack(self, value):
        return None if value is None else str(value)

    def unpack(self, packed):
        return None if packed is None else Decimal(packed)

    def read(self, raw, field, ctx, problems):
        name = field.name
        low, high = _bounds(self.model, field.attr)
        places = self.model._meta.get_field(field.attr).decimal_places
        rule = f"{name} must be a number from {low} to {high} with at most {places} decimal place"
        if places != 1:
            rule += "s"
        if is_blank(raw):
            return None
        if isinstance(raw, str) and _DECIMAL_NUMBER.fullmatch(raw.strip()):
            number = Decimal(raw.strip())
        elif isinstance(raw, Decimal | int) and not isinstance(raw, bool):
            number = Decimal(raw)
        else:
            problems.append(f"{rule}, not {shown(raw)}")
            return None
        try:
            out_of_range = not low <= number <= high or number != round(number, places)
        except InvalidOperation:
            out_of_range = True
        if out_of_range:
            problems.append(f"{rule}, not {shown(raw)}")
            return None
        return number


class Notes(Value):
    """Free text up to the notes' length; a CSV cell is escaped against formulas."""

    def csv(self, value, tz) -> str:
        return escape_cell(value)

    def json(self, value, tz):
        return value

    def unpack(self, packed):
        # Checked before it was kept; kept by an older version, it may not have been.
        if unstorable("notes", packed):
            raise ValueError("notes that cannot be stored")
        return packed

    def read(self, raw, field, ctx, problems):
        if raw is None:
            return ""
        if not isinstance(raw, str):
            problems.append(f"notes must be text, not {shown(raw)}")
            return ""
        text = unescape_cell(raw) if ctx.from_csv else raw
        problem = unstorable(field.name, text)
        if problem:
            problems.append(problem)
            return ""
        if len(text) > NOTES_MAX_LENGTH:
            problems.append(
                f"notes are longer than {NOTES_MAX_LENGTH:,} characters ({len(text):,})"
            )
            return ""
        return text


class Triggers(Value):
    """Trigger codes in vocabulary order: joined by ";" in CSV, a list in JSON."""

    def csv(self, value, tz) -> str:
        return TRIGGER_SEPARATOR.join(value)

    def json(self, value, tz):
        return list(value)

    def pack(self, value):
        return list(value)

    def unpack(self, packed):
        return in_vocabulary_order(frozenset(packed))

    def read(self, raw, field, ctx, problems):
        if is_blank(raw):
            return ()
        if isinstance(raw, str):
            codes = [code.strip() for code in raw.split(TRIGGER_SEPARATOR)]
        elif isinstance(raw, list) and all(isinstance(code, str) for code in raw):
            codes = [code.strip() for code in raw]
        else:
            problems.append(f"triggers must be a list of trigger codes, not {shown(raw)}")
            return ()
        unknown = [code for code in codes if code and code not in _TRIGGER_ORDER]
        for code in unknown:
            problems.append(f"unknown trigger {shown(code)}")
        if unknown:
            return ()
        return in_vocabulary_order(frozenset(code for code in codes if code))
