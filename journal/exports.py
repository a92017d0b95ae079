"""The person's data in and out: CSV and JSON export, import of either, and erasure.

Export functions are generators of text pieces for a StreamingHttpResponse: rows are
read from the database in chunks, so a large journal never sits in memory at once.

Import reads the uploaded file as a stream (line by line for CSV, item by item for
JSON), checks every row against the same rules the models enforce, and keeps only
compact validated rows. Only when the whole file is clean is anything written, in one
transaction; otherwise nothing is written and every problem is reported with its line
number. An entry whose every detail matches one already in the journal is skipped, so
importing the same file twice adds nothing the second time.

Both formats store codes, never labels, and times with the person's UTC offset, so an
export imported into a new account reproduces the journal exactly.
"""

import codecs
import csv
import functools
import itertools
import json
import operator
import re
import sys
import zoneinfo
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal, InvalidOperation
from typing import NamedTuple

from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import IntegrityError, transaction
from django.utils import timezone

from . import body
from .models import (
    NOTES_MAX_LENGTH,
    DailyCheckIn,
    Profile,
    SymptomEntry,
    TwitchEntry,
    TwitchTrigger,
)

FORMAT_NAME = "twitchlog"
FORMAT_VERSION = 1
MAX_IMPORT_BYTES = 20 * 1024 * 1024
# Enough problems to fix a file by; the rest are counted, not listed.
MAX_REPORTED_ERRORS = 100
# Rows fetched per database round trip while exporting.
EXPORT_CHUNK_SIZE = 2000
# Text handed to the response at a time: large enough to avoid a write per row.
STREAM_PIECE_CHARS = 64 * 1024
# Bytes read from the uploaded file at a time.
READ_CHUNK_BYTES = 64 * 1024
# One JSON item (an entry with 2,000 characters of notes) is far smaller than this;
# a longer stretch that does not parse is a broken file, not a truncated read.
MAX_JSON_ITEM_CHARS = 256 * 1024
WRITE_BATCH_SIZE = 500
EARLIEST_YEAR = 1900
# A time a few minutes ahead of the server's clock is a clock out of step, not a
# mistake: the journal's own twitch form allows the same.
FUTURE_TOLERANCE = timedelta(minutes=5)

TWITCH, SYMPTOM, CHECKIN = "twitch", "symptom", "checkin"
ROW_TYPES = (TWITCH, SYMPTOM, CHECKIN)

# The fields of each kind of row, shared by the CSV columns and the JSON items.
TWITCH_FIELDS = (
    "occurred_at",
    "location",
    "side",
    "duration_seconds",
    "intensity",
    "triggers",
    "notes",
)
SYMPTOM_FIELDS = ("date", "kind", "severity", "onset", "location", "side", "notes")
CHECKIN_FIELDS = (
    "date",
    "caffeine_mg",
    "sleep_hours",
    "stress",
    "exercise",
    "alcohol_units",
    "water_litres",
    "notes",
)
FIELDS_OF = {TWITCH: TWITCH_FIELDS, SYMPTOM: SYMPTOM_FIELDS, CHECKIN: CHECKIN_FIELDS}

CSV_COLUMNS = (
    "type",
    "occurred_at",
    "date",
    "location",
    "side",
    "duration_seconds",
    "intensity",
    "triggers",
    "kind",
    "severity",
    "onset",
    "caffeine_mg",
    "sleep_hours",
    "stress",
    "exercise",
    "alcohol_units",
    "water_litres",
    "notes",
)
TRIGGER_SEPARATOR = ";"

PROFILE_FIELDS = (
    "display_name",
    "time_zone",
    "family_history",
    "reassured_on",
    "date_of_birth",
    "habits_changed_on",
)
PROFILE_DATE_FIELDS = ("reassured_on", "date_of_birth", "habits_changed_on")
JSON_SECTIONS = {"twitches": TWITCH, "symptoms": SYMPTOM, "checkins": CHECKIN}

# Spreadsheet apps run a cell that starts with one of these as a formula. Such notes
# are written with a leading apostrophe, which the import takes off again.
_FORMULA_START = re.compile(r"'*[=+\-@\t\r]")
_ESCAPED_FORMULA = re.compile(r"'+[=+\-@\t\r]")
_WHOLE_NUMBER = re.compile(r"\d+")
_DECIMAL_NUMBER = re.compile(r"\d+(\.\d+)?")

_TRIGGER_ORDER = {code: index for index, (code, _) in enumerate(body.TRIGGERS)}


@functools.cache
def _in_vocabulary_order(codes: frozenset[str]) -> tuple[str, ...]:
    """Trigger codes sorted as TwitchEntry.trigger_codes lists them (one tuple per set)."""
    return tuple(sorted(codes, key=lambda code: _TRIGGER_ORDER.get(code, len(_TRIGGER_ORDER))))


_TWITCH_LOCATION_CODES = frozenset(code for code, _ in body.TWITCH_LOCATIONS)
_SYMPTOM_LOCATION_CODES = frozenset(code for code, _ in body.LOCATIONS)
_SIDE_CODES = frozenset(code for code, _ in body.SIDES)
_KIND_CODES = frozenset(code for code, _ in body.SYMPTOM_KINDS)
_ONSET_CODES = frozenset(code for code, _ in body.ONSETS)
_EXERCISE_CODES = frozenset(code for code, _ in body.EXERCISE_LEVELS)
_FAMILY_HISTORY_CODES = frozenset(code for code, _ in body.FAMILY_HISTORY_CHOICES)
_LEVELS_1_3 = frozenset(value for value, _ in body.INTENSITIES)


class TwitchRow(NamedTuple):
    """A validated twitch; the tuple itself is its identity when checking duplicates."""

    occurred_at: datetime
    location: str
    side: str
    duration_seconds: int | None
    intensity: int
    triggers: tuple[str, ...]
    notes: str


class SymptomRow(NamedTuple):
    """A validated symptom; the tuple itself is its identity when checking duplicates."""

    noted_on: date
    kind: str
    severity: int
    onset: str
    location: str
    side: str
    notes: str


class CheckInRow(NamedTuple):
    """A validated check-in; its day is its identity (one check-in per day)."""

    day: date
    caffeine_mg: int | None
    sleep_hours: Decimal | None
    stress: int | None
    exercise: str
    alcohol_units: Decimal | None
    water_litres: Decimal | None
    notes: str


@dataclass
class ImportResult:
    """What an import did, or why it did nothing."""

    errors: list[str] = field(default_factory=list)
    error_count: int = 0
    added: dict[str, int] = field(default_factory=lambda: dict.fromkeys(ROW_TYPES, 0))
    skipped: dict[str, int] = field(default_factory=lambda: dict.fromkeys(ROW_TYPES, 0))
    profile_restored: bool = False

    @property
    def ok(self) -> bool:
        return self.error_count == 0

    def add_error(self, line: int, message: str) -> None:
        self.error_count += 1
        if len(self.errors) < MAX_REPORTED_ERRORS:
            self.errors.append(f"Line {line}: {message}")

    @property
    def unlisted_error_count(self) -> int:
        return self.error_count - len(self.errors)


# ---------------------------------------------------------------------------
# Export


def export_filename(user, extension: str) -> str:
    """A dated download name in the person's own calendar, e.g. twitchlog-2026-03-01.csv."""
    today = timezone.now().astimezone(user.profile.tz).date()
    return f"twitchlog-{today.isoformat()}.{extension}"


def escape_cell(text: str) -> str:
    """Stop a spreadsheet from running text as a formula; reversed by unescape_cell."""
    return "'" + text if _FORMULA_START.match(text) else text


def unescape_cell(text: str) -> str:
    """Take off the apostrophe escape_cell added, leaving every other text as it is."""
    return text[1:] if _ESCAPED_FORMULA.match(text) else text


class _ExportedTwitch(NamedTuple):
    """One twitch as the exports write it, with its trigger codes in vocabulary order."""

    occurred_at: datetime
    location: str
    side: str
    duration_seconds: int | None
    intensity: int
    notes: str
    trigger_codes: tuple[str, ...]


def _twitches(user) -> Iterator[_ExportedTwitch]:
    """The person's twitches, oldest first, with their triggers: one query, read in chunks.

    A LEFT JOIN gives one row per (twitch, trigger), or one row for a twitch without
    triggers; the rows of one twitch arrive together and are folded back into one.
    Plain tuples, not model instances: two years of dense logging is tens of
    thousands of rows, and building objects for each would cost more than the text.
    """
    rows = (
        TwitchEntry.objects.filter(user=user)
        .order_by("occurred_at", "id")
        .values_list(
            "id",
            "occurred_at",
            "location",
            "side",
            "duration_seconds",
            "intensity",
            "notes",
            "trigger_rows__code",
        )
        .iterator(chunk_size=EXPORT_CHUNK_SIZE)
    )
    for _, group in itertools.groupby(rows, key=operator.itemgetter(0)):
        joined = list(group)
        codes = frozenset(row[-1] for row in joined if row[-1] is not None)
        yield _ExportedTwitch(*joined[0][1:-1], _in_vocabulary_order(codes))


def _symptoms(user) -> Iterator[SymptomEntry]:
    return (
        SymptomEntry.objects.filter(user=user)
        .order_by("noted_on", "id")
        .iterator(chunk_size=EXPORT_CHUNK_SIZE)
    )


def _checkins(user) -> Iterator[DailyCheckIn]:
    return (
        DailyCheckIn.objects.filter(user=user)
        .order_by("day")
        .iterator(chunk_size=EXPORT_CHUNK_SIZE)
    )


def _blank(value) -> str:
    return "" if value is None else str(value)


def _joined(pieces: Iterable[str]) -> Iterator[str]:
    """Gather small pieces of text into larger ones for the response to send."""
    buffer, size = [], 0
    for piece in pieces:
        buffer.append(piece)
        size += len(piece)
        if size >= STREAM_PIECE_CHARS:
            yield "".join(buffer)
            buffer, size = [], 0
    if buffer:
        yield "".join(buffer)


class _Echo:
    """A file-like object whose write() returns the text, so csv.writer yields lines."""

    def write(self, value: str) -> str:
        return value


def export_csv(user) -> Iterator[str]:
    """The journal as CSV text, in pieces: a header, then twitches, symptoms, check-ins.

    Every row has every column (CSV_COLUMNS); those that do not apply to its type are
    empty. Twitch times carry the person's UTC offset; triggers are codes joined by ";".
    """
    tz = user.profile.tz
    writer = csv.writer(_Echo())
    position = {name: index for index, name in enumerate(CSV_COLUMNS)}

    def row(kind: str, values: Mapping[str, object]) -> str:
        cells = [""] * len(CSV_COLUMNS)
        cells[0] = kind
        for name, value in values.items():
            cells[position[name]] = value
        return writer.writerow(cells)

    def pieces() -> Iterator[str]:
        yield writer.writerow(CSV_COLUMNS)
        for entry in _twitches(user):
            yield row(
                TWITCH,
                {
                    "occurred_at": entry.occurred_at.astimezone(tz).isoformat(),
                    "location": entry.location,
                    "side": entry.side,
                    "duration_seconds": _blank(entry.duration_seconds),
                    "intensity": entry.intensity,
                    "triggers": TRIGGER_SEPARATOR.join(entry.trigger_codes),
                    "notes": escape_cell(entry.notes),
                },
            )
        for entry in _symptoms(user):
            yield row(
                SYMPTOM,
                {
                    "date": entry.noted_on.isoformat(),
                    "kind": entry.kind,
                    "severity": entry.severity,
                    "onset": entry.onset,
                    "location": entry.location,
                    "side": entry.side,
                    "notes": escape_cell(entry.notes),
                },
            )
        for checkin in _checkins(user):
            yield row(
                CHECKIN,
                {
                    "date": checkin.day.isoformat(),
                    "caffeine_mg": _blank(checkin.caffeine_mg),
                    "sleep_hours": _blank(checkin.sleep_hours),
                    "stress": _blank(checkin.stress),
                    "exercise": checkin.exercise,
                    "alcohol_units": _blank(checkin.alcohol_units),
                    "water_litres": _blank(checkin.water_litres),
                    "notes": escape_cell(checkin.notes),
                },
            )

    return _joined(pieces())


def _json_number(value: Decimal | None) -> float | None:
    # Values have at most 4 digits and 1 decimal place, so the float prints exactly as
    # stored ("7.5"), and the import reads it back as a Decimal.
    return None if value is None else float(value)


def _json_date(value: date | None) -> str | None:
    return None if value is None else value.isoformat()


def _dumps(value) -> str:
    return json.dumps(value, ensure_ascii=False)


def export_json(user) -> Iterator[str]:
    """The whole journal as one JSON object, in pieces, one entry per line.

    {"format": "twitchlog", "version": 1, "exported_at": ..., "profile": {...},
     "twitches": [...], "symptoms": [...], "checkins": [...]}
    """
    profile = user.profile
    tz = profile.tz

    def section(name: str, items: Iterator[dict], last: bool) -> Iterator[str]:
        yield f"{_dumps(name)}: ["
        separator = "\n"
        for item in items:
            yield separator + _dumps(item)
            separator = ",\n"
        yield "\n]" + ("\n" if last else ",\n")

    def twitch_items() -> Iterator[dict]:
        for entry in _twitches(user):
            yield {
                "occurred_at": entry.occurred_at.astimezone(tz).isoformat(),
                "location": entry.location,
                "side": entry.side,
                "duration_seconds": entry.duration_seconds,
                "intensity": entry.intensity,
                "triggers": entry.trigger_codes,
                "notes": entry.notes,
            }

    def symptom_items() -> Iterator[dict]:
        for entry in _symptoms(user):
            yield {
                "date": entry.noted_on.isoformat(),
                "kind": entry.kind,
                "severity": entry.severity,
                "onset": entry.onset,
                "location": entry.location,
                "side": entry.side,
                "notes": entry.notes,
            }

    def checkin_items() -> Iterator[dict]:
        for checkin in _checkins(user):
            yield {
                "date": checkin.day.isoformat(),
                "caffeine_mg": checkin.caffeine_mg,
                "sleep_hours": _json_number(checkin.sleep_hours),
                "stress": checkin.stress,
                "exercise": checkin.exercise,
                "alcohol_units": _json_number(checkin.alcohol_units),
                "water_litres": _json_number(checkin.water_litres),
                "notes": checkin.notes,
            }

    def pieces() -> Iterator[str]:
        profile_data = {
            "display_name": profile.display_name,
            "time_zone": profile.time_zone,
            "family_history": profile.family_history,
            "reassured_on": _json_date(profile.reassured_on),
            "date_of_birth": _json_date(profile.date_of_birth),
            "habits_changed_on": _json_date(profile.habits_changed_on),
        }
        yield (
            f'{{"format": {_dumps(FORMAT_NAME)}, "version": {FORMAT_VERSION}, '
            f'"exported_at": {_dumps(timezone.now().astimezone(tz).isoformat())},\n'
            f'"profile": {_dumps(profile_data)},\n'
        )
        yield from section("twitches", twitch_items(), last=False)
        yield from section("symptoms", symptom_items(), last=False)
        yield from section("checkins", checkin_items(), last=True)
        yield "}\n"

    return _joined(pieces())


# ---------------------------------------------------------------------------
# Reading and checking one row


class _RowProblems(list):
    """The problems found in one row, as plain sentences."""


def _is_blank(value) -> bool:
    return value is None or (isinstance(value, str) and value.strip() == "")


def _shown(value) -> str:
    """A value quoted for an error message, shortened so a message stays one line."""
    if not isinstance(value, str):
        text = json.dumps(value, default=str) if isinstance(value, list | dict) else str(value)
        return text if len(text) <= 40 else text[:37] + "..."
    return repr(value if len(value) <= 40 else value[:37] + "...")


def _code(value, codes, name: str, problems: _RowProblems, required=False, hint="") -> str:
    if _is_blank(value):
        if required:
            problems.append(f"{name} is missing{hint}")
        return ""
    if not isinstance(value, str):
        problems.append(f"{name} must be text, not {_shown(value)}")
        return ""
    code = value.strip()
    if code not in codes:
        problems.append(f"unknown {name.replace('_', ' ')} {_shown(code)}{hint}")
        return ""
    # One shared string per code instead of one per row keeps a big import small.
    return sys.intern(code)


def _bounds(model, name: str) -> tuple:
    """The tightest minimum and maximum the model's validators allow for a field."""
    validators = model._meta.get_field(name).validators
    lows = [v.limit_value for v in validators if isinstance(v, MinValueValidator)]
    highs = [v.limit_value for v in validators if isinstance(v, MaxValueValidator)]
    return max(lows, default=0), min(highs, default=None)


def _whole(value, model, name: str, problems: _RowProblems) -> int | None:
    low, high = _bounds(model, name)
    if _is_blank(value):
        return None
    if isinstance(value, str) and _WHOLE_NUMBER.fullmatch(value.strip()):
        number = int(value.strip())
    elif isinstance(value, int) and not isinstance(value, bool):
        number = value
    else:
        number = None
    if number is None or not low <= number <= high:
        problems.append(f"{name} must be a whole number from {low} to {high}, not {_shown(value)}")
        return None
    return number


def _level(value, name: str, problems: _RowProblems) -> int | None:
    """A 1-3 scale (intensity, severity): required, since every entry has one."""
    if _is_blank(value):
        problems.append(f"{name} is missing (1, 2 or 3)")
        return None
    text = value.strip() if isinstance(value, str) else value
    if isinstance(text, str) and _WHOLE_NUMBER.fullmatch(text):
        text = int(text)
    if isinstance(text, bool) or text not in _LEVELS_1_3:
        problems.append(f"{name} must be 1, 2 or 3, not {_shown(value)}")
        return None
    return int(text)


def _decimal(value, model, name: str, problems: _RowProblems) -> Decimal | None:
    low, high = _bounds(model, name)
    places = model._meta.get_field(name).decimal_places
    rule = f"{name} must be a number from {low} to {high} with at most {places} decimal place"
    if places != 1:
        rule += "s"
    if _is_blank(value):
        return None
    if isinstance(value, str) and _DECIMAL_NUMBER.fullmatch(value.strip()):
        number = Decimal(value.strip())
    elif isinstance(value, Decimal | int) and not isinstance(value, bool):
        number = Decimal(value)
    else:
        problems.append(f"{rule}, not {_shown(value)}")
        return None
    try:
        out_of_range = not low <= number <= high or number != round(number, places)
    except InvalidOperation:
        out_of_range = True
    if out_of_range:
        problems.append(f"{rule}, not {_shown(value)}")
        return None
    return number


def _date(value, name: str, today: date, problems: _RowProblems) -> date | None:
    if _is_blank(value):
        problems.append(f"{name} is missing (a date like 2026-03-01)")
        return None
    try:
        day = date.fromisoformat(value.strip())
    except (AttributeError, ValueError):
        problems.append(f"{name} is not a date like 2026-03-01: {_shown(value)}")
        return None
    if day.year < EARLIEST_YEAR:
        problems.append(f"{name} is before {EARLIEST_YEAR}: {day.isoformat()}")
        return None
    if day > today:
        problems.append(f"{name} is in the future: {day.isoformat()}")
        return None
    return day


def _moment(value, tz, now: datetime, problems: _RowProblems) -> datetime | None:
    name = "occurred_at"
    example = "a time like 2026-03-01T08:30:00+00:00"
    if _is_blank(value):
        problems.append(f"{name} is missing ({example})")
        return None
    try:
        moment = datetime.fromisoformat(value.strip())
    except (AttributeError, ValueError):
        problems.append(f"{name} is not {example}: {_shown(value)}")
        return None
    if moment.year < EARLIEST_YEAR:
        problems.append(f"{name} is before {EARLIEST_YEAR}: {_shown(value)}")
        return None
    if moment.year > now.year + 1:
        # Checked before any conversion: 9999-12-31 in a zone ahead of UTC has no UTC instant.
        problems.append(f"{name} is in the future: {_shown(value)}")
        return None
    if timezone.is_naive(moment):
        # A time without an offset, as typed into a spreadsheet, is read in the
        # person's own time zone, like the times they log.
        moment = timezone.make_aware(moment, tz)
    # The same instant in UTC shares one tzinfo, rather than one offset object per row.
    moment = moment.astimezone(UTC)
    if moment > now + FUTURE_TOLERANCE:
        problems.append(f"{name} is in the future: {_shown(value)}")
        return None
    return moment


def _notes(value, problems: _RowProblems, from_csv: bool) -> str:
    if value is None:
        return ""
    if not isinstance(value, str):
        problems.append(f"notes must be text, not {_shown(value)}")
        return ""
    text = unescape_cell(value) if from_csv else value
    if len(text) > NOTES_MAX_LENGTH:
        problems.append(f"notes are longer than {NOTES_MAX_LENGTH:,} characters ({len(text):,})")
        return ""
    return text


def _triggers(value, problems: _RowProblems) -> tuple[str, ...]:
    if _is_blank(value):
        return ()
    if isinstance(value, str):
        codes = [code.strip() for code in value.split(TRIGGER_SEPARATOR)]
    elif isinstance(value, list) and all(isinstance(code, str) for code in value):
        codes = [code.strip() for code in value]
    else:
        problems.append(f"triggers must be a list of trigger codes, not {_shown(value)}")
        return ()
    unknown = [code for code in codes if code and code not in _TRIGGER_ORDER]
    for code in unknown:
        problems.append(f"unknown trigger {_shown(code)}")
    if unknown:
        return ()
    return _in_vocabulary_order(frozenset(code for code in codes if code))


_SIDE_HINT = " (use left, right, both or centre)"


@dataclass
class _Context:
    """What checking a row needs to know: the person's zone, the time now, the format."""

    tz: zoneinfo.ZoneInfo
    now: datetime
    today: date
    from_csv: bool


def _twitch(values: Mapping, ctx: _Context, problems: _RowProblems) -> TwitchRow:
    return TwitchRow(
        occurred_at=_moment(values.get("occurred_at"), ctx.tz, ctx.now, problems),
        location=_code(
            values.get("location"), _TWITCH_LOCATION_CODES, "location", problems, required=True
        ),
        side=_code(values.get("side"), _SIDE_CODES, "side", problems, hint=_SIDE_HINT),
        duration_seconds=_whole(
            values.get("duration_seconds"), TwitchEntry, "duration_seconds", problems
        ),
        intensity=_level(values.get("intensity"), "intensity", problems),
        triggers=_triggers(values.get("triggers"), problems),
        notes=_notes(values.get("notes"), problems, ctx.from_csv),
    )


def _symptom(values: Mapping, ctx: _Context, problems: _RowProblems) -> SymptomRow:
    location = values.get("location")
    if isinstance(location, str) and location.strip() == body.ALL_OVER:
        problems.append("a symptom needs one place, not 'all_over' (or leave location empty)")
        location = None
    return SymptomRow(
        noted_on=_date(values.get("date"), "date", ctx.today, problems),
        kind=_code(values.get("kind"), _KIND_CODES, "kind", problems, required=True),
        severity=_level(values.get("severity"), "severity", problems),
        onset=_code(
            values.get("onset"),
            _ONSET_CODES,
            "onset",
            problems,
            required=True,
            hint=" (use gradual or sudden)",
        ),
        location=_code(location, _SYMPTOM_LOCATION_CODES, "location", problems),
        side=_code(values.get("side"), _SIDE_CODES, "side", problems, hint=_SIDE_HINT),
        notes=_notes(values.get("notes"), problems, ctx.from_csv),
    )


def _checkin(values: Mapping, ctx: _Context, problems: _RowProblems) -> CheckInRow:
    return CheckInRow(
        day=_date(values.get("date"), "date", ctx.today, problems),
        caffeine_mg=_whole(values.get("caffeine_mg"), DailyCheckIn, "caffeine_mg", problems),
        sleep_hours=_decimal(values.get("sleep_hours"), DailyCheckIn, "sleep_hours", problems),
        stress=_whole(values.get("stress"), DailyCheckIn, "stress", problems),
        exercise=_code(
            values.get("exercise"),
            _EXERCISE_CODES,
            "exercise",
            problems,
            hint=" (use none, light, moderate or hard)",
        ),
        alcohol_units=_decimal(
            values.get("alcohol_units"), DailyCheckIn, "alcohol_units", problems
        ),
        water_litres=_decimal(values.get("water_litres"), DailyCheckIn, "water_litres", problems),
        notes=_notes(values.get("notes"), problems, ctx.from_csv),
    )


_ROW_READERS = {TWITCH: _twitch, SYMPTOM: _symptom, CHECKIN: _checkin}


class _Collected:
    """Validated rows and problems gathered while reading a file."""

    def __init__(self, ctx: _Context):
        self.ctx = ctx
        self.result = ImportResult()
        self.rows = {TWITCH: [], SYMPTOM: [], CHECKIN: []}
        self.checkin_lines: dict[date, int] = {}
        self.profile: dict[str, object] = {}

    def add(self, kind: str, values: Mapping, line: int) -> None:
        """Check one row of `kind` and keep it, or record each of its problems."""
        problems = _RowProblems()
        for name, value in values.items():
            if name not in FIELDS_OF[kind] and not _is_blank(value):
                problems.append(f"{name} does not apply to a {kind}; leave it empty")
        row = _ROW_READERS[kind](values, self.ctx, problems)
        if kind == CHECKIN and row.day is not None:
            first_line = self.checkin_lines.setdefault(row.day, line)
            if first_line != line:
                problems.append(
                    f"a second check-in for {row.day.isoformat()} "
                    f"(the first is on line {first_line}); keep one per day"
                )
        for problem in problems:
            self.error(line, problem)
        if self.result.ok:
            self.rows[kind].append(row)

    def error(self, line: int, message: str) -> None:
        self.result.add_error(line, message)
        # Rows are kept only to be written, and nothing will be written now.
        for rows in self.rows.values():
            rows.clear()


# ---------------------------------------------------------------------------
# Reading files


def detect_format(uploaded) -> str | None:
    """ "csv" or "json" from the file's name, or else from its first bytes; None if neither."""
    name = (uploaded.name or "").lower()
    if name.endswith(".csv"):
        return "csv"
    if name.endswith(".json"):
        return "json"
    uploaded.seek(0)
    head = uploaded.read(512)
    uploaded.seek(0)
    text = head.removeprefix(codecs.BOM_UTF8).lstrip()
    if text.startswith(b"{"):
        return "json"
    if b"type" in text.split(b"\n", 1)[0].split(b","):
        return "csv"
    return None


def _text_lines(uploaded) -> Iterator[str]:
    """The file's lines as text, each with its own line ending, read a chunk at a time."""
    decoder = codecs.getincrementaldecoder("utf-8-sig")()
    for line in uploaded:
        yield decoder.decode(line)
    decoder.decode(b"", final=True)


def _text_chunks(uploaded) -> Iterator[str]:
    decoder = codecs.getincrementaldecoder("utf-8-sig")()
    for chunk in uploaded.chunks(READ_CHUNK_BYTES):
        text = decoder.decode(chunk)
        if text:
            yield text
    decoder.decode(b"", final=True)


def _read_csv(uploaded, collected: _Collected) -> None:
    reader = csv.reader(_text_lines(uploaded))
    try:
        header = next(reader, None)
        if header is None:
            return
        columns = [name.strip() for name in header]
        unknown = [name for name in columns if name not in CSV_COLUMNS]
        if "type" not in columns or unknown:
            listed = ", ".join(_shown(name) for name in unknown)
            detail = f"unknown columns {listed}; " if unknown else ""
            collected.error(
                1,
                f"{detail}the first line must name the columns, starting with "
                f"{', '.join(CSV_COLUMNS[:4])}... as in a CSV exported from TwitchLog",
            )
            return
        end_of_previous = reader.line_num
        for cells in reader:
            line = end_of_previous + 1
            end_of_previous = reader.line_num
            if not any(cell.strip() for cell in cells):
                continue
            if len(cells) > len(columns):
                collected.error(line, f"{len(cells)} values but only {len(columns)} columns")
                continue
            values = dict(zip(columns, cells, strict=False))
            kind = values.pop("type").strip()
            if kind not in ROW_TYPES:
                collected.error(
                    line, f"unknown type {_shown(kind)} (use twitch, symptom or checkin)"
                )
                continue
            collected.add(kind, values, line)
    except csv.Error as exc:
        collected.error(reader.line_num, f"this line could not be read as CSV ({exc})")


class _JsonSyntaxError(Exception):
    def __init__(self, line: int, message: str):
        super().__init__(message)
        self.line = line


class _JsonStream:
    """Reads one JSON object a value at a time from text arriving in chunks.

    json.JSONDecoder.raw_decode parses one value from a position in a string; this
    class keeps a small window of the file around that position, so each entry of the
    big lists is parsed on its own and the file is never held whole.
    """

    def __init__(self, chunks: Iterator[str]):
        self._chunks = chunks
        self._buffer = ""
        self._pos = 0
        self._at_end = False
        self._decoder = json.JSONDecoder(parse_float=Decimal)
        # Line numbers are counted forward from a mark, so each newline is counted once.
        self._mark = 0
        self._mark_line = 1

    def _more(self) -> bool:
        """Drop the text already read and append the next chunk; False at end of file."""
        if self._pos:
            self._mark_line = self.line()
            self._buffer = self._buffer[self._pos :]
            self._pos = self._mark = 0
        if self._at_end:
            return False
        chunk = next(self._chunks, None)
        if chunk is None:
            self._at_end = True
            return False
        self._buffer += chunk
        return True

    def line(self, pos: int | None = None) -> int:
        """The line number of a position in the window (the current one by default)."""
        pos = self._pos if pos is None else pos
        if pos < self._mark:
            return self._mark_line - self._buffer.count("\n", pos, self._mark)
        self._mark_line += self._buffer.count("\n", self._mark, pos)
        self._mark = pos
        return self._mark_line

    def peek(self) -> str:
        """The next character that is not white space, without consuming it ("" at end)."""
        while True:
            while self._pos < len(self._buffer) and self._buffer[self._pos] in " \t\r\n":
                self._pos += 1
            if self._pos < len(self._buffer) or not self._more():
                return self._buffer[self._pos : self._pos + 1]

    def expect(self, char: str, what: str) -> None:
        found = self.peek()
        if found != char:
            shown = repr(found) if found else "the end of the file"
            raise _JsonSyntaxError(self.line(), f"expected {what} but found {shown}")
        self._pos += 1

    def value(self):
        """Parse the next complete value (an object, list, string, number...)."""
        self.peek()
        while True:
            try:
                value, end = self._decoder.raw_decode(self._buffer, self._pos)
            except json.JSONDecodeError as exc:
                line = self.line(exc.pos)
                too_long = len(self._buffer) - self._pos > MAX_JSON_ITEM_CHARS
                if too_long or not self._more():
                    raise _JsonSyntaxError(line, exc.msg) from None
                continue
            # A number at the very end of the window may go on in the next chunk.
            if end == len(self._buffer) and not self._at_end and self._more():
                continue
            self._pos = end
            return value

    def entries(self) -> Iterator[tuple[str, int, object]]:
        """(key, line, value) for each top-level key; list sections yield each item."""
        self.expect("{", "a JSON object starting with {")
        if self.peek() == "}":
            self._pos += 1
        else:
            while True:
                line = self.line()
                key = self.value()
                if not isinstance(key, str):
                    raise _JsonSyntaxError(line, "expected a name in double quotes")
                self.expect(":", "':'")
                if key in JSON_SECTIONS:
                    yield from self._items(key)
                else:
                    line = self.line()
                    yield key, line, self.value()
                if self.peek() == ",":
                    self._pos += 1
                    continue
                self.expect("}", "',' or '}'")
                break
        if self.peek():
            raise _JsonSyntaxError(self.line(), "unexpected text after the end of the data")

    def _items(self, key: str) -> Iterator[tuple[str, int, object]]:
        self.expect("[", f"a list after {key!r}")
        if self.peek() == "]":
            self._pos += 1
            return
        while True:
            self.peek()
            line = self.line()
            yield key, line, self.value()
            if self.peek() == ",":
                self._pos += 1
                continue
            self.expect("]", "',' or ']'")
            return


def _profile_values(values, collected: _Collected, line: int) -> None:
    if not isinstance(values, dict):
        collected.error(line, "profile must be an object")
        return
    problems = _RowProblems()
    profile: dict[str, object] = {}
    for name, value in values.items():
        if name not in PROFILE_FIELDS:
            problems.append(f"unknown profile field {_shown(name)}")
        elif _is_blank(value):
            continue
        elif name in PROFILE_DATE_FIELDS:
            try:
                profile[name] = date.fromisoformat(value)
            except (TypeError, ValueError):
                problems.append(f"profile {name} is not a date like 1980-05-17: {_shown(value)}")
        elif not isinstance(value, str):
            problems.append(f"profile {name} must be text, not {_shown(value)}")
        elif name == "display_name":
            limit = Profile._meta.get_field("display_name").max_length
            if len(value) > limit:
                problems.append(f"profile display_name is longer than {limit} characters")
            else:
                profile[name] = value
        elif name == "time_zone":
            if value not in zoneinfo.available_timezones():
                problems.append(f"unknown time zone {_shown(value)}")
            else:
                profile[name] = value
        elif value not in _FAMILY_HISTORY_CODES:
            problems.append(f"unknown family_history {_shown(value)}")
        elif value != "unknown":
            # "Not sure" is also what every new account starts with, so it never
            # replaces an answer the person has since given.
            profile[name] = value
    for problem in problems:
        collected.error(line, problem)
    if not problems:
        collected.profile = profile


def _read_json(uploaded, collected: _Collected) -> None:
    stream = _JsonStream(_text_chunks(uploaded))
    header: dict[str, object] = {}
    try:
        for key, line, value in stream.entries():
            if key in JSON_SECTIONS:
                if isinstance(value, dict):
                    collected.add(JSON_SECTIONS[key], value, line)
                else:
                    collected.error(line, f"each item in {key!r} must be an object")
            elif key == "profile":
                _profile_values(value, collected, line)
            elif key in ("format", "version", "exported_at"):
                header[key] = value
            else:
                collected.error(line, f"unknown section {_shown(key)}")
    except _JsonSyntaxError as exc:
        collected.error(exc.line, f"the file is not valid JSON here ({exc})")
        return
    if header.get("format") != FORMAT_NAME:
        collected.error(1, 'this is not a TwitchLog export (it has no "format": "twitchlog")')
    elif header.get("version") != FORMAT_VERSION:
        collected.error(
            1, f"this export's version {_shown(header.get('version'))} is not one TwitchLog reads"
        )


# ---------------------------------------------------------------------------
# Writing


def _existing_twitches(user, rows: list[TwitchRow]) -> Counter:
    """How many of each twitch the journal already holds, over the file's time span."""
    start = min(row.occurred_at for row in rows)
    end = max(row.occurred_at for row in rows)
    entries = TwitchEntry.objects.filter(user=user, occurred_at__range=(start, end))
    triggers: dict[int, set[str]] = {}
    trigger_rows = TwitchTrigger.objects.filter(
        entry__user=user, entry__occurred_at__range=(start, end)
    ).values_list("entry_id", "code")
    for entry_id, code in trigger_rows.iterator(chunk_size=EXPORT_CHUNK_SIZE):
        triggers.setdefault(entry_id, set()).add(code)
    values = entries.values_list(
        "id", "occurred_at", "location", "side", "duration_seconds", "intensity", "notes"
    )
    counter = Counter()
    for entry_id, *fields, notes in values.iterator(chunk_size=EXPORT_CHUNK_SIZE):
        codes = _in_vocabulary_order(frozenset(triggers.get(entry_id, ())))
        counter[TwitchRow(*fields, codes, notes)] += 1
    return counter


def _existing_symptoms(user, rows: list[SymptomRow]) -> Counter:
    """How many of each symptom the journal already holds, over the file's date span."""
    start = min(row.noted_on for row in rows)
    end = max(row.noted_on for row in rows)
    values = SymptomEntry.objects.filter(user=user, noted_on__range=(start, end)).values_list(
        "noted_on", "kind", "severity", "onset", "location", "side", "notes"
    )
    return Counter(SymptomRow(*fields) for fields in values.iterator(chunk_size=EXPORT_CHUNK_SIZE))


def _new_rows(rows: list, existing: Counter) -> list:
    """The rows not already present, counting repeats: a file holding two identical
    entries adds two to an empty journal and none to a journal that has both."""
    new = []
    for row in rows:
        if existing[row]:
            existing[row] -= 1
        else:
            new.append(row)
    return new


def _batches(rows: list, size: int = WRITE_BATCH_SIZE) -> Iterator[list]:
    for start in range(0, len(rows), size):
        yield rows[start : start + size]


def _write(user, collected: _Collected) -> None:
    result = collected.result
    twitches = collected.rows[TWITCH]
    symptoms = collected.rows[SYMPTOM]
    checkins = collected.rows[CHECKIN]
    with transaction.atomic():
        if twitches:
            new = _new_rows(twitches, _existing_twitches(user, twitches))
            result.added[TWITCH] = len(new)
            result.skipped[TWITCH] = len(twitches) - len(new)
            for batch in _batches(new):
                entries = TwitchEntry.objects.bulk_create(
                    TwitchEntry(
                        user=user,
                        occurred_at=row.occurred_at,
                        location=row.location,
                        side=row.side,
                        duration_seconds=row.duration_seconds,
                        intensity=row.intensity,
                        notes=row.notes,
                    )
                    for row in batch
                )
                TwitchTrigger.objects.bulk_create(
                    TwitchTrigger(entry=entry, code=code)
                    for entry, row in zip(entries, batch, strict=True)
                    for code in row.triggers
                )
        if symptoms:
            new = _new_rows(symptoms, _existing_symptoms(user, symptoms))
            result.added[SYMPTOM] = len(new)
            result.skipped[SYMPTOM] = len(symptoms) - len(new)
            for batch in _batches(new):
                SymptomEntry.objects.bulk_create(
                    SymptomEntry(user=user, **row._asdict()) for row in batch
                )
        if checkins:
            # The journal's own check-in for a day is kept; the file's is skipped.
            days = DailyCheckIn.objects.filter(
                user=user,
                day__range=(min(row.day for row in checkins), max(row.day for row in checkins)),
            ).values_list("day", flat=True)
            taken = set(days)
            new = [row for row in checkins if row.day not in taken]
            result.added[CHECKIN] = len(new)
            result.skipped[CHECKIN] = len(checkins) - len(new)
            for batch in _batches(new):
                DailyCheckIn.objects.bulk_create(
                    DailyCheckIn(user=user, **row._asdict()) for row in batch
                )
        if collected.profile:
            profile = user.profile
            for name, value in collected.profile.items():
                setattr(profile, name, value)
            profile.save(update_fields=list(collected.profile))
            result.profile_restored = True


def import_journal(user, uploaded) -> ImportResult:
    """Check a whole CSV or JSON file, then add its entries to `user`'s journal.

    Writes everything in one transaction, or nothing when any row has a problem
    (each is reported as "Line N: reason"). Entries identical in every detail to ones
    already in the journal are skipped; so is a check-in for a day that has one.
    """
    tz = user.profile.tz
    now = timezone.now()
    kind = detect_format(uploaded)
    collected = _Collected(
        _Context(tz=tz, now=now, today=now.astimezone(tz).date(), from_csv=kind == "csv")
    )
    try:
        if kind == "csv":
            _read_csv(uploaded, collected)
        elif kind == "json":
            _read_json(uploaded, collected)
        else:
            collected.error(1, "this is neither a CSV nor a JSON file from TwitchLog")
    except UnicodeDecodeError:
        collected.error(1, "the file is not UTF-8 text; save it again as UTF-8 (CSV UTF-8)")
    if not collected.result.ok:
        return collected.result
    try:
        _write(user, collected)
    except IntegrityError:
        # Another tab added a check-in for one of the file's days meanwhile.
        collected.result = ImportResult()
        collected.result.add_error(
            1, "your journal changed while the file was being imported; please try again"
        )
    return collected.result


# ---------------------------------------------------------------------------
# Erasing


def delete_account(user) -> None:
    """Erase the person: their account, profile and every entry (by cascade), and the
    sign-in records kept under their email address."""
    username = user.get_username()
    with transaction.atomic():
        for model in (AccessAttempt, AccessFailureLog, AccessLog):
            model.objects.filter(username__iexact=username).delete()
        user.delete()
