"""The journal in: a CSV or JSON export checked whole, then written all at once or not at all.

The reader (``reading``) hands over the file's entries one by one; each is checked
against the same rules the models enforce (``fields`` and ``values``), and only compact
checked rows are kept. Only when the whole file is clean is anything written, in one
transaction; otherwise nothing is written and every problem is reported with its line
number. An entry whose every detail matches one already in the journal is skipped, so
importing the same file twice adds nothing the second time.
"""

import zoneinfo
from collections import Counter
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date

from django.db import IntegrityError, transaction
from django.utils import timezone

from .. import body
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
    return kind.row(
        *(field.value.read(values.get(field.name), field, ctx, problems) for field in kind.fields)
    )


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


# ---------------------------------------------------------------------------
# Writing


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


def _batches(rows: list, size: int = WRITE_BATCH_SIZE) -> Iterator[list]:
    for start in range(0, len(rows), size):
        yield rows[start : start + size]


def _model(user, kind: Kind, row):
    """A new, unsaved entry of ``kind`` for ``user`` holding a checked row."""
    return kind.model(user=user, **{attr: getattr(row, attr) for attr in kind.stored_attrs})


def _write_twitches(user, rows: list, result: ImportResult) -> None:
    kind = KINDS[TWITCH]
    new = _new_rows(rows, _existing_twitches(user, rows))
    result.added[TWITCH] = len(new)
    result.skipped[TWITCH] = len(rows) - len(new)
    for batch in _batches(new):
        entries = TwitchEntry.objects.bulk_create(_model(user, kind, row) for row in batch)
        TwitchTrigger.objects.bulk_create(
            TwitchTrigger(entry=entry, code=code)
            for entry, row in zip(entries, batch, strict=True)
            for code in row.triggers
        )


def _write_symptoms(user, rows: list, result: ImportResult) -> None:
    kind = KINDS[SYMPTOM]
    new = _new_rows(rows, _existing_symptoms(user, rows))
    result.added[SYMPTOM] = len(new)
    result.skipped[SYMPTOM] = len(rows) - len(new)
    for batch in _batches(new):
        kind.model.objects.bulk_create(_model(user, kind, row) for row in batch)


def _write_checkins(user, rows: list, result: ImportResult) -> None:
    # The journal's own check-in for a day is kept; the file's is skipped.
    kind = KINDS[CHECKIN]
    days = DailyCheckIn.objects.filter(
        user=user, day__range=(min(row.day for row in rows), max(row.day for row in rows))
    ).values_list("day", flat=True)
    taken = set(days)
    new = [row for row in rows if row.day not in taken]
    result.added[CHECKIN] = len(new)
    result.skipped[CHECKIN] = len(rows) - len(new)
    for batch in _batches(new):
        DailyCheckIn.objects.bulk_create(_model(user, kind, row) for row in batch)


_WRITERS = {TWITCH: _write_twitches, SYMPTOM: _write_symptoms, CHECKIN: _write_checkins}


def _write(user, collected: Collected) -> None:
    result = collected.result
    with transaction.atomic():
        for code, rows in collected.rows.items():
            if rows:
                _WRITERS[code](user, rows, result)
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
