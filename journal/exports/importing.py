"""The journal in: a CSV or JSON export checked whole, then written all at once or not at all.

Two steps, kept apart, with nothing shared between them but the checked rows:

- ``check_file``: the reader (``reading``) hands over the file's entries one by one;
  each is checked against the same rules the models enforce (``fields`` and
  ``values``), and only compact checked rows are kept, with the profile the file sets.
  Nothing is written. Any problem is reported with its line number, and then no rows
  are kept at all.
- ``write_checked``: checked rows written in one transaction. An entry whose every
  detail matches one already in the journal is skipped, so importing the same file
  twice adds nothing the second time; the profile is replaced only when asked.

Between the two, the person sees what writing would do (``preview``) while the checked
rows wait server-side (``pending``).
"""

import zoneinfo
from collections import Counter
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date

from django.db import IntegrityError, transaction
from django.utils import timezone

from .. import body
from ..flagging import record_flags
from ..models import DailyCheckIn, Profile, TwitchEntry, TwitchTrigger
from .fields import (
    CHECKIN,
    KINDS,
    PROFILE_DATE_FIELDS,
    PROFILE_FIELDS,
    ROW_TYPES,
    SYMPTOM,
    TWITCH,
    Kind,
)
from .reading import Entry, Problem, detect_format, read_csv, read_json
from .reading import Profile as ProfileItem
from .values import Context, Problems, in_vocabulary_order, is_blank, shown

MAX_IMPORT_BYTES = 20 * 1024 * 1024
# Enough problems to fix a file by; the rest are counted, not listed.
MAX_REPORTED_ERRORS = 100
# Rows read per database round trip while looking for entries already in the journal.
READ_CHUNK_ROWS = 2000
WRITE_BATCH_SIZE = 500

_FAMILY_HISTORY_CODES = frozenset(code for code, _ in body.FAMILY_HISTORY_CHOICES)


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


def check_values(kind: Kind, values: Mapping, ctx: Context, problems: Problems) -> tuple:
    """One entry of ``kind`` as the file gives it, checked: its row, and its problems
    added to ``problems`` (a value with a problem is left empty in the row)."""
    for name, value in values.items():
        if name not in kind.names and not is_blank(value):
            problems.append(f"{name} does not apply to a {kind.code}; leave it empty")
    row = kind.row(
        *(field.value.read(values.get(field.name), field, ctx, problems) for field in kind.fields)
    )
    if kind.check_row is not None and not problems:
        row = kind.check_row(row, problems)
    return row


class Collected:
    """Checked rows and problems gathered while reading a file."""

    def __init__(self, ctx: Context):
        self.ctx = ctx
        self.result = ImportResult()
        self.rows: dict[str, list] = {code: [] for code in KINDS}
        self.checkin_lines: dict[date, int] = {}
        self.profile: dict[str, object] = {}

    def add(self, kind_code: str, values: Mapping, line: int) -> None:
        """Check one entry and keep its row, or record each of its problems."""
        problems = Problems()
        row = check_values(KINDS[kind_code], values, self.ctx, problems)
        if kind_code == CHECKIN and row.day is not None:
            first_line = self.checkin_lines.setdefault(row.day, line)
            if first_line != line:
                problems.append(
                    f"a second check-in for {row.day.isoformat()} "
                    f"(the first is on line {first_line}); keep one per day"
                )
        for problem in problems:
            self.error(line, problem)
        if self.result.ok:
            self.rows[kind_code].append(row)

    def add_profile(self, values, line: int) -> None:
        """Check the profile of a JSON export and keep the fields it sets."""
        if not isinstance(values, dict):
            self.error(line, "profile must be an object")
            return
        problems = Problems()
        profile = {}
        for name, value in values.items():
            if name not in PROFILE_FIELDS:
                problems.append(f"unknown profile field {shown(name)}")
            elif not is_blank(value):
                checked = _profile_value(name, value, problems)
                if checked is not None:
                    profile[name] = checked
        for problem in problems:
            self.error(line, problem)
        if not problems:
            self.profile = profile

    def error(self, line: int, message: str) -> None:
        self.result.add_error(line, message)
        # Rows are kept only to be written, and nothing will be written now.
        for rows in self.rows.values():
            rows.clear()


def _profile_value(name: str, value, problems: Problems):
    """One profile field checked; None when it has a problem or should not be restored."""
    if name in PROFILE_DATE_FIELDS:
        try:
            return date.fromisoformat(value)
        except (TypeError, ValueError):
            problems.append(f"profile {name} is not a date like 1980-05-17: {shown(value)}")
            return None
    if not isinstance(value, str):
        problems.append(f"profile {name} must be text, not {shown(value)}")
        return None
    if name == "display_name":
        limit = Profile._meta.get_field("display_name").max_length
        if len(value) > limit:
            problems.append(f"profile display_name is longer than {limit} characters")
            return None
        return value
    if name == "time_zone":
        if value not in zoneinfo.available_timezones():
            problems.append(f"unknown time zone {shown(value)}")
            return None
        return value
    if value not in _FAMILY_HISTORY_CODES:
        problems.append(f"unknown family_history {shown(value)}")
        return None
    # "Not sure" is also what every new account starts with, so it never replaces an
    # answer the person has since given.
    return None if value == "unknown" else value


def _read(items: Iterator, collected: Collected) -> None:
    for item in items:
        if isinstance(item, Entry):
            collected.add(item.kind, item.values, item.line)
        elif isinstance(item, ProfileItem):
            collected.add_profile(item.values, item.line)
        elif isinstance(item, Problem):
            collected.error(item.line, item.message)


@dataclass
class CheckedFile:
    """A file read and checked whole: the problems found, or its checked rows of each
    kind and the profile values it sets. Nothing of it has been written."""

    result: ImportResult
    rows: dict[str, list]
    profile: dict[str, object]

    @property
    def ok(self) -> bool:
        return self.result.ok


def check_file(user, uploaded) -> CheckedFile:
    """Read and check a whole CSV or JSON file for ``user``'s journal; write nothing.

    Each problem is reported as "Line N: reason"; with any problem, no rows are kept.
    Times without an offset are read in the person's time zone, and "today" is theirs.
    """
    tz = user.profile.tz
    now = timezone.now()
    kind = detect_format(uploaded)
    collected = Collected(
        Context(tz=tz, now=now, today=now.astimezone(tz).date(), from_csv=kind == "csv")
    )
    try:
        if kind == "csv":
            _read(read_csv(uploaded), collected)
        elif kind == "json":
            _read(read_json(uploaded), collected)
        else:
            collected.error(1, "this is neither a CSV nor a JSON file from TwitchLog")
    except UnicodeDecodeError:
        collected.error(1, "the file is not UTF-8 text; save it again as UTF-8 (CSV UTF-8)")
    if not collected.result.ok:
        return CheckedFile(collected.result, {code: [] for code in KINDS}, {})
    return CheckedFile(collected.result, collected.rows, collected.profile)


# ---------------------------------------------------------------------------
# Which rows are new


def _existing_twitches(user, rows: list) -> Counter:
    """How many of each twitch the journal already holds, over the file's time span."""
    kind = KINDS[TWITCH]
    start = min(row.occurred_at for row in rows)
    end = max(row.occurred_at for row in rows)
    entries = TwitchEntry.objects.filter(user=user, occurred_at__range=(start, end))
    triggers: dict[int, set[str]] = {}
    trigger_rows = TwitchTrigger.objects.filter(
        entry__user=user, entry__occurred_at__range=(start, end)
    ).values_list("entry_id", "code")
    for entry_id, code in trigger_rows.iterator(chunk_size=READ_CHUNK_ROWS):
        triggers.setdefault(entry_id, set()).add(code)
    counter = Counter()
    for entry_id, *stored in entries.values_list("id", *kind.stored_attrs).iterator(
        chunk_size=READ_CHUNK_ROWS
    ):
        codes = in_vocabulary_order(frozenset(triggers.get(entry_id, ())))
        values = iter(stored)
        counter[kind.row(*(next(values) if f.stored else codes for f in kind.fields))] += 1
    return counter


def _existing_symptoms(user, rows: list) -> Counter:
    """How many of each symptom the journal already holds, over the file's date span."""
    kind = KINDS[SYMPTOM]
    start = min(row.noted_on for row in rows)
    end = max(row.noted_on for row in rows)
    values = kind.model.objects.filter(user=user, noted_on__range=(start, end)).values_list(
        *kind.attrs
    )
    return Counter(kind.row(*fields) for fields in values.iterator(chunk_size=READ_CHUNK_ROWS))


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


def _new_checkins(user, rows: list) -> list:
    # The journal's own check-in for a day is kept; the file's is skipped.
    days = DailyCheckIn.objects.filter(
        user=user, day__range=(min(row.day for row in rows), max(row.day for row in rows))
    ).values_list("day", flat=True)
    taken = set(days)
    return [row for row in rows if row.day not in taken]


def new_rows_of(user, code: str, rows: list) -> list:
    """The checked rows of kind ``code`` that ``user``'s journal does not hold yet."""
    if not rows:
        return []
    if code == TWITCH:
        return _new_rows(rows, _existing_twitches(user, rows))
    if code == SYMPTOM:
        return _new_rows(rows, _existing_symptoms(user, rows))
    return _new_checkins(user, rows)


# ---------------------------------------------------------------------------
# Writing


def _batches(rows: list, size: int = WRITE_BATCH_SIZE) -> Iterator[list]:
    for start in range(0, len(rows), size):
        yield rows[start : start + size]


def _model(user, kind: Kind, row):
    """A new, unsaved entry of ``kind`` for ``user`` holding a checked row."""
    return kind.model(user=user, **{attr: getattr(row, attr) for attr in kind.stored_attrs})


def _twitch(user, row) -> TwitchEntry:
    entry = _model(user, KINDS[TWITCH], row)
    # The local date is the one the file's time and offset give (RULES.md 2).
    entry.place_in_time(row.occurred_at.tzinfo)
    return entry


def _write_twitches(user, new: list) -> None:
    for batch in _batches(new):
        entries = TwitchEntry.objects.bulk_create(_twitch(user, row) for row in batch)
        TwitchTrigger.objects.bulk_create(
            TwitchTrigger(entry=entry, code=code)
            for entry, row in zip(entries, batch, strict=True)
            for code in row.triggers
        )


def _write_symptoms(user, new: list) -> None:
    kind = KINDS[SYMPTOM]
    for batch in _batches(new):
        kind.model.objects.bulk_create(_model(user, kind, row) for row in batch)


def _checkin(user, row) -> DailyCheckIn:
    checkin = _model(user, KINDS[CHECKIN], row)
    # A bulk insert skips save(), where a check-in works out its caffeine.
    checkin.count_caffeine()
    return checkin


def _write_checkins(user, new: list) -> None:
    for batch in _batches(new):
        DailyCheckIn.objects.bulk_create(_checkin(user, row) for row in batch)


_WRITERS = {TWITCH: _write_twitches, SYMPTOM: _write_symptoms, CHECKIN: _write_checkins}


def write_checked(user, checked: CheckedFile, *, replace_profile: bool) -> ImportResult:
    """Add a checked file's new entries to ``user``'s journal in one transaction, and
    replace the profile details it sets only when ``replace_profile`` is true.

    Entries already in the journal are skipped, counted again here since the journal
    may have changed after the file was checked. Nothing is written if another tab adds
    a check-in for one of the file's days meanwhile.
    """
    result = ImportResult()
    try:
        with transaction.atomic():
            for code, rows in checked.rows.items():
                new = new_rows_of(user, code, rows)
                result.added[code] = len(new)
                result.skipped[code] = len(rows) - len(new)
                _WRITERS[code](user, new)
            if replace_profile and checked.profile:
                profile = user.profile
                for name, value in checked.profile.items():
                    setattr(profile, name, value)
                profile.save(update_fields=list(checked.profile))
                result.profile_restored = True
            # New entries, a reassurance date or family history change what fires.
            record_flags(user)
    except IntegrityError:
        result = ImportResult()
        result.add_error(
            1, "your journal changed while the file was being imported; please import it again"
        )
    return result


def import_journal(user, uploaded, *, replace_profile: bool = False) -> ImportResult:
    """Check a whole file, then write it at once: both steps without a person between.

    The /export/ page asks first (``check_file``, ``preview``, ``pending``); this is
    the two steps together, for when there is no one to ask.
    """
    checked = check_file(user, uploaded)
    if not checked.ok:
        return checked.result
    return write_checked(user, checked, replace_profile=replace_profile)
