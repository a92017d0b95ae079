"""The journal in: a CSV or JSON export checked whole, then written all at once or not at all.

Two steps, kept apart, with nothing shared between them but the checked rows:

- ``check_file``: the reader (``reading``) hands over the file's entries one by one;
  each is checked against the same rules the models enforce (``fields`` and
  ``values``), and only compact checked rows are kept, with the profile the file sets.
  Nothing is written. Any problem is reported with its line number, and then no rows
  are kept at all.
- ``write_checked``: checked rows written in one transaction, in batches. An entry
  whose every detail matches one already in the journal is skipped, so importing the
  same file twice adds nothing the second time; the profile is replaced only when
  asked. One person's imports are written one at a time (``one_import_at_a_time``), so
  two at once cannot both find an entry missing and both add it.

Between the two, the person sees what writing would do (``preview``) while the checked
rows wait server-side (``pending``).
"""

import functools
import io
import itertools
import operator
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

from django.db import IntegrityError, OperationalError, connection, models, transaction
from django.db.models import F
from django.utils import timezone

from .. import faults
from ..flagging import record_flags
from ..models import (
    PLACED_FIELDS,
    DailyCheckIn,
    Profile,
    TwitchEntry,
    TwitchTrigger,
    placed_in_time,
)
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
from .values import Context, Problems, in_vocabulary_order, is_blank, shown, unstorable

MAX_IMPORT_BYTES = 20 * 1024 * 1024
# Enough problems to fix a file by; the rest are counted, not listed.
MAX_REPORTED_ERRORS = 100
# Rows read per database round trip while looking for entries already in the journal.
READ_CHUNK_ROWS = 2000
WRITE_BATCH_SIZE = 500
# Rows given to one COPY on PostgreSQL (``_copies``): their values are made in memory
# first, their text a piece at a time as it is sent (COPY_CHUNK).
COPY_BATCH_SIZE = 25_000


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


# How many distinct values of one field are remembered: by a file's check (``ValueMemo``)
# and, on PostgreSQL, by the text of a COPY (``_ColumnTexts``).
MEMO_VALUES_PER_FIELD = 4096


class ValueMemo:
    """What each distinct value of a field read as, for one file's check.

    A file repeats the same few places, sides, strengths, lengths, triggers and notes
    on thousands of rows, and a value's check depends only on the value and the file's
    ``Context``: each distinct one is checked once, and its outcome (the value to store
    and its problems) given again to every row that holds it. Only text, whole numbers
    and empty values are remembered, each by its type as well as its value (JSON's
    ``true`` and ``1.0`` equal 1 but are checked as what they are), and at most
    MEMO_VALUES_PER_FIELD of each field, so a column of times, all different, costs
    little.
    """

    def __init__(self):
        self._seen: dict[str, list[dict]] = {}

    def read_row(self, kind: Kind, values: Mapping, ctx: Context, problems: Problems) -> list:
        """Each of ``kind``'s fields read from ``values``, in field order."""
        seen = self._seen.get(kind.code)
        if seen is None:
            seen = self._seen[kind.code] = [{} for _ in kind.fields]
        row = []
        for declared, outcomes in zip(kind.fields, seen, strict=True):
            raw = values.get(declared.name)
            if raw is not None and type(raw) not in _REMEMBERED_TYPES:
                row.append(declared.value.read(raw, declared, ctx, problems))
                continue
            key = (type(raw), raw)
            outcome = outcomes.get(key)
            if outcome is None:
                found = Problems()
                outcome = (declared.value.read(raw, declared, ctx, found), tuple(found))
                if len(outcomes) < MEMO_VALUES_PER_FIELD:
                    outcomes[key] = outcome
            if outcome[1]:
                problems.extend(outcome[1])
            row.append(outcome[0])
        return row


_REMEMBERED_TYPES = (str, int)


def check_values(kind: Kind, values: Mapping, ctx: Context, problems: Problems, memo: ValueMemo):
    """One entry of ``kind`` as the file gives it, checked: its row, and its problems
    added to ``problems`` (a value with a problem is left empty in the row). ``memo``
    holds the outcome of each distinct value met earlier in the file."""
    for name in values.keys() - kind.names:
        # A CSV row has every column: most are empty, and seen to be at once.
        if values[name] != "" and not is_blank(values[name]):
            problems.append(f"{name} does not apply to a {kind.code}; leave it empty")
    row = kind.row._make(memo.read_row(kind, values, ctx, problems))
    if kind.check_row is not None and not problems:
        row = kind.check_row(row, problems)
    return row


class Collected:
    """Checked rows and problems gathered while reading a file."""

    def __init__(self, ctx: Context, profile: Profile):
        self.ctx = ctx
        self.memo = ValueMemo()
        self.person = profile
        self.result = ImportResult()
        self.rows: dict[str, list] = {code: [] for code in KINDS}
        self.checkin_lines: dict[date, int] = {}
        self.profile: dict[str, object] = {}

    def add(self, kind_code: str, values: Mapping, line: int) -> None:
        """Check one entry and keep its row, or record each of its problems."""
        problems = Problems()
        row = check_values(KINDS[kind_code], values, self.ctx, problems, self.memo)
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
        profile = checked_profile(self.person, values, self.ctx.today, problems)
        for problem in problems:
            self.error(line, problem)
        if not problems:
            self.profile = profile

    def error(self, line: int, message: str) -> None:
        self.result.add_error(line, message)
        # Rows are kept only to be written, and nothing will be written now.
        for rows in self.rows.values():
            rows.clear()


def _given_profile(values: dict, problems: Problems) -> dict[str, str]:
    """The profile fields a file sets, as the settings forms would be sent them: text,
    storable, and each date written as 1980-05-17."""
    given = {}
    for name, value in values.items():
        if name not in PROFILE_FIELDS:
            problems.append(f"unknown profile field {shown(name)}")
        elif is_blank(value):
            continue
        elif not isinstance(value, str):
            problems.append(f"profile {name} must be text, not {shown(value)}")
        elif problem := unstorable(f"profile {name}", value):
            problems.append(problem)
        elif name in PROFILE_DATE_FIELDS:
            try:
                given[name] = date.fromisoformat(value).isoformat()
            except ValueError:
                problems.append(f"profile {name} is not a date like 1980-05-17: {shown(value)}")
        else:
            given[name] = value
    return given


def _form_value(profile: Profile, name: str) -> str:
    value = getattr(profile, name)
    return value.isoformat() if isinstance(value, date) else value or ""


def _profile_forms() -> tuple:
    """The forms that set the profile on the journal's own pages: settings (name, time
    zone, date of birth), /flags/ (reassurance, family history), trends (habits)."""
    # The forms module imports this package for its upload form, so it is imported here,
    # once both are loaded.
    from ..forms import FlagDetailsForm, HabitsStartForm, ProfileSettingsForm

    return (ProfileSettingsForm, FlagDetailsForm, HabitsStartForm)


def checked_profile(profile: Profile, values: dict, today: date, problems: Problems) -> dict:
    """The profile details a file sets, checked by the very forms that set them on the
    journal's pages, so an import accepts exactly what those pages accept.

    ``profile`` is the person's own: each form is given it, with the file's values in
    place of the fields the file sets, and only the errors of those fields count.
    Returns the checked values; "Not sure" for family history is left out, since it is
    also what every new account starts with, so it never replaces an answer given since.
    """
    given = _given_profile(values, problems)
    checked = {}
    for form_class in _profile_forms() if given else ():
        names = [name for name in form_class._meta.fields if name in given]
        if not names:
            continue
        data = {name: _form_value(profile, name) for name in form_class._meta.fields}
        data.update((name, given[name]) for name in names)
        # A fresh instance: a model form writes the values it checks onto its instance.
        form = form_class(data, instance=Profile(user_id=profile.user_id), today=today)
        form.is_valid()
        for name in names:
            if name in form.errors:
                problems.extend(f"profile {name}: {message}" for message in form.errors[name])
            else:
                checked[name] = form.cleaned_data[name]
    if checked.get("family_history") == "unknown":
        del checked["family_history"]
    return {name: checked[name] for name in PROFILE_FIELDS if name in checked}


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
        Context(tz=tz, now=now, today=now.astimezone(tz).date(), from_csv=kind == "csv"),
        user.profile,
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
    # Each field's place in (id, *stored attributes, trigger codes), as the row orders them.
    stored = iter(range(1, len(kind.stored_attrs) + 1))
    codes_at = len(kind.stored_attrs) + 1
    as_row = operator.itemgetter(*(next(stored) if f.stored else codes_at for f in kind.fields))
    make = kind.row._make
    counter = Counter()
    for values in entries.values_list("id", *kind.stored_attrs).iterator(
        chunk_size=READ_CHUNK_ROWS
    ):
        codes = in_vocabulary_order(frozenset(triggers.get(values[0], ())))
        counter[make(as_row((*values, codes)))] += 1
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


# Fields whose Python values both databases take as they are. Any other (a date, a time,
# a decimal) is converted as Django converts it for the database in use.
_PLAIN_FIELDS = (
    models.CharField,
    models.TextField,
    models.IntegerField,
    models.BooleanField,
    models.ForeignKey,
)


def _converter(field) -> Callable | None:
    """What turns ``field``'s Python value into the database's, or None if nothing must."""
    if isinstance(field, _PLAIN_FIELDS):
        return None
    if isinstance(field, models.DateTimeField):
        return connection.ops.adapt_datetimefield_value
    if isinstance(field, models.DateField):
        return connection.ops.adapt_datefield_value
    return functools.partial(field.get_db_prep_save, connection=connection)


def _copies() -> bool:
    """Whether rows are written by COPY rather than INSERT statements: on PostgreSQL,
    where 200,000 rows inserted a statement of 500 at a time cost the server more than
    the worker timeout allows on a busy machine. SQLite inserts in process and is
    faster by INSERT."""
    return connection.vendor == "postgresql"


def _write_batch_size() -> int:
    return COPY_BATCH_SIZE if _copies() else WRITE_BATCH_SIZE


def _insert_rows(model, fields: list, rows: Iterable[list], *, returning: bool) -> list:
    """Write ``rows`` of database values (one per field of ``fields``, in order); their
    new ids, in row order, when ``returning``.

    By COPY where ``_copies``, with the ids taken from the table's sequence first; else
    by INSERT statements of as many rows as the database takes, the SQL of a statement
    made once for all its rows (bulk_create builds it value by value, which made it
    most of a large import's time).
    """
    if _copies():
        return _copy_rows(model, fields, rows, returning=returning)
    rows = list(rows)
    quote = connection.ops.quote_name
    columns = ", ".join(quote(field.column) for field in fields)
    head = f"INSERT INTO {quote(model._meta.db_table)} ({columns}) VALUES "
    row_sql = f"({', '.join(['%s'] * len(fields))})"
    tail = f" RETURNING {quote(model._meta.pk.column)}" if returning else ""
    size = max(1, min(WRITE_BATCH_SIZE, connection.ops.bulk_batch_size(fields, rows)))
    ids = []
    with connection.cursor() as cursor:
        for batch in _batches(rows, size):
            params = [value for row in batch for value in row]
            cursor.execute(head + ", ".join([row_sql] * len(batch)) + tail, params)
            if returning:
                ids.extend(pk for (pk,) in cursor.fetchall())
    return ids


def _reserved_ids(model, count: int) -> list[int]:
    """``count`` new ids for ``model``'s rows, taken from its primary key's sequence as
    an insert takes them (so no other writer can be given one), in ascending order."""
    if not count:
        return []
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
            [connection.ops.quote_name(model._meta.db_table), model._meta.pk.column, count],
        )
        return sorted(pk for (pk,) in cursor.fetchall())


def _escaped(text: str) -> str:
    # COPY's text format: a backslash escapes itself, line breaks and the tab between
    # columns. NUL cannot be stored at all, and the import refuses it (``unstorable``).
    # Line breaks and tabs are not printable; most text has none, nor a backslash.
    if text.isprintable() and "\\" not in text:
        return text
    return text.translate(_COPY_ESCAPES)


_COPY_ESCAPES = str.maketrans({"\\": "\\\\", "\n": "\\n", "\r": "\\r", "\t": "\\t"})

# Each value as COPY's text format takes it: the text psycopg2 sends for it in an
# INSERT's literal (an aware datetime or a date in ISO 8601, a decimal as written), so
# the server reads the same value either way. Subclasses after their base's subclass
# checks: bool before int, datetime before date.
_COPY_TEXT: dict[type, Callable[[object], str]] = {
    type(None): lambda value: "\\N",
    str: _escaped,
    bool: lambda value: "t" if value else "f",
    int: int.__repr__,
    Decimal: Decimal.__str__,
    datetime: datetime.isoformat,
    date: date.isoformat,
}


def _copy_text(value) -> str:
    as_text = _COPY_TEXT.get(type(value))
    if as_text is None:
        as_text = next((f for kind, f in _COPY_TEXT.items() if isinstance(value, kind)), None)
        if as_text is None:
            raise TypeError(f"COPY cannot write a {type(value).__name__}")
    return as_text(value)


class _ColumnTexts(dict):
    """One column's values and their COPY text: the first MEMO_VALUES_PER_FIELD distinct
    values are remembered, since a column repeats a few values on most rows (the person,
    places, sides, strengths, notes, the day, the time of the import). Values equal in
    Python are stored the same way (2 and 2.0 in a decimal column; one moment in two
    offsets in a timestamptz), so which of them gave the text does not matter."""

    __slots__ = ()

    def __missing__(self, value) -> str:
        text = _copy_text(value)
        if len(self) < MEMO_VALUES_PER_FIELD:
            self[value] = text
        return text


_column_text = dict.__getitem__


class _CopyText(io.TextIOBase):
    """``rows`` as the text of a COPY, made as the driver reads it: a few lines at a
    time, never the whole text at once (a large file's notes would be held twice)."""

    def __init__(self, rows: Iterable[list], width: int):
        columns = [_ColumnTexts() for _ in range(width)]
        self._lines = ("\t".join(map(_column_text, columns, row)) + "\n" for row in rows)

    def readable(self) -> bool:
        return True

    def read(self, size: int = -1) -> str:
        lines = []
        length = 0
        for line in self._lines:
            lines.append(line)
            length += len(line)
            if 0 <= size <= length:
                break
        return "".join(lines)


# Characters of COPY text handed to the driver at a time.
COPY_CHUNK = 64 * 1024


def _copy_rows(model, fields: list, rows: Iterable[list], *, returning: bool) -> list:
    """COPY ``rows`` into ``model``'s table, each after its new id when ``returning``
    (``_reserved_ids``); the ids. One statement, in the transaction the import holds,
    so a failure anywhere still writes nothing; none when there are no rows."""
    ids = []
    if returning:
        rows = list(rows)
        ids = _reserved_ids(model, len(rows))
        fields = [model._meta.pk, *fields]
        rows = ([pk, *row] for pk, row in zip(ids, rows, strict=True))
    rows = iter(rows)
    first = next(rows, None)
    if first is None:
        return ids
    quote = connection.ops.quote_name
    columns = ", ".join(quote(field.column) for field in fields)
    sql = f"COPY {quote(model._meta.db_table)} ({columns}) FROM STDIN"
    text = _CopyText(itertools.chain([first], rows), len(fields))
    # What a cursor's execute() does around a statement: refuse a transaction already
    # failed, turn the driver's errors into Django's (an IntegrityError, a lock timeout),
    # and log the statement where queries are logged (DEBUG, query-counting tests).
    connection.validate_no_broken_transaction()
    with connection.cursor() as cursor, connection.wrap_database_errors:
        logged = cursor.debug_sql(sql) if hasattr(cursor, "debug_sql") else nullcontext()
        with logged:
            cursor.cursor.copy_expert(sql, text, size=COPY_CHUNK)
    return ids


def _set_on_adding(field) -> bool:
    return getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False)


def _inserted_fields(model) -> list:
    return [field for field in model._meta.concrete_fields if not field.primary_key]


def _converted(fields: list, value_lists: list[list], now) -> list[list]:
    """``value_lists`` (Python values in ``fields`` order) as the database takes them,
    converted in place, with ``now`` for each field set on adding."""
    stamped = [
        (index, convert, convert(now) if _set_on_adding(field) else None)
        for index, field in enumerate(fields)
        if (convert := _converter(field)) is not None
    ]
    for values in value_lists:
        for index, convert, stamp in stamped:
            value = values[index]
            values[index] = (
                stamp if stamp is not None else value if value is None else convert(value)
            )
    return value_lists


def _insert(objs: list) -> None:
    """Insert new, unsaved instances of one model (without save(), and with one time for
    every field set on adding)."""
    if not objs:
        return
    model = type(objs[0])
    fields = _inserted_fields(model)
    attrs = operator.attrgetter(*(field.attname for field in fields))
    rows = _converted(fields, [list(attrs(obj)) for obj in objs], timezone.now())
    _insert_rows(model, fields, rows, returning=False)


def _insert_checked(user, kind: Kind, rows: list, *, placed=None, set_ids: bool) -> list:
    """Insert checked rows of ``kind`` into ``user``'s journal; their new ids, in row
    order, when ``set_ids``.

    Each column is taken from the row (its stored attributes), from ``placed(row)`` (the
    PLACED_FIELDS worked out from it), or is the person, the time now for the fields set
    on adding, or the field's default. No model instance is made for a row: making
    200,000 of them took as long as writing them. A database that cannot say the ids
    of a multi-row insert is given instances, through bulk_create.
    """
    model = kind.model
    fields = _inserted_fields(model)
    now = timezone.now()
    # Where each column's value is in (*row, *placed(row), *constants).
    worked_out = PLACED_FIELDS if placed is not None else ()
    at = {name: kind.attrs.index(name) for name in kind.stored_attrs}
    at.update((name, len(kind.attrs) + n) for n, name in enumerate(worked_out))
    first_constant = len(kind.attrs) + len(worked_out)
    constants = []
    picks = []
    for column in fields:
        if column.attname in at:
            picks.append(at[column.attname])
            continue
        picks.append(first_constant + len(constants))
        if column.attname == "user_id":
            constants.append(user.pk)
        else:
            constants.append(now if _set_on_adding(column) else column.get_default())
    pick = operator.itemgetter(*picks)
    if placed is None:
        values = [list(pick((*row, *constants))) for row in rows]
    else:
        values = [list(pick((*row, *placed(row), *constants))) for row in rows]
    if set_ids and not connection.features.can_return_rows_from_bulk_insert:
        objs = model.objects.bulk_create([model(None, *row) for row in values])
        return [obj.pk for obj in objs]
    return _insert_rows(model, fields, _converted(fields, values, now), returning=set_ids)


def _model(user, kind: Kind, row):
    """A new, unsaved entry of ``kind`` for ``user`` holding a checked row.

    Made from values in column order, Django's quick way (as rows read from the
    database are): by name, building the objects took as long as inserting them.
    """
    values = {"user_id": user.pk, **{attr: getattr(row, attr) for attr in kind.stored_attrs}}
    return kind.model(*(values.get(name) for name in _model_attnames(kind.model)))


@functools.cache
def _model_attnames(model) -> tuple[str, ...]:
    return tuple(field.attname for field in model._meta.concrete_fields)


_TRIGGER_FIELDS = [TwitchTrigger._meta.get_field("entry"), TwitchTrigger._meta.get_field("code")]


def _placed(row) -> tuple:
    # The local date is the one the file's time and offset give (RULES.md 2).
    return placed_in_time(row.occurred_at, row.occurred_at.tzinfo)


def _write_twitches(user, new: list) -> None:
    kind = KINDS[TWITCH]
    for batch in _batches(new, _write_batch_size()):
        ids = _insert_checked(user, kind, batch, placed=_placed, set_ids=True)
        triggers = [[pk, code] for pk, row in zip(ids, batch, strict=True) for code in row.triggers]
        _insert_rows(TwitchTrigger, _TRIGGER_FIELDS, triggers, returning=False)


def _write_symptoms(user, new: list) -> None:
    kind = KINDS[SYMPTOM]
    for batch in _batches(new, _write_batch_size()):
        _insert_checked(user, kind, batch, set_ids=False)


def _checkin(user, row) -> DailyCheckIn:
    checkin = _model(user, KINDS[CHECKIN], row)
    # A bulk insert skips save(), where a check-in works out its caffeine.
    checkin.count_caffeine()
    return checkin


def _write_checkins(user, new: list) -> None:
    for batch in _batches(new, _write_batch_size()):
        _insert([_checkin(user, row) for row in batch])


_WRITERS = {TWITCH: _write_twitches, SYMPTOM: _write_symptoms, CHECKIN: _write_checkins}


class ImportInProgress(Exception):
    """The database stayed busy (another import into the journal, most likely) for
    longer than it waits; nothing was written."""


def _lock_imports(user) -> None:
    """Hold ``user``'s imports to one at a time until the transaction this runs in ends:
    a second waits for the first to commit, then finds its entries already there.

    PostgreSQL locks the person's profile row (SELECT ... FOR UPDATE). SQLite has no row
    locks: its transactions take the write lock as they begin (settings), and should
    one begin without it, this update of the same row takes it before anything is read.
    """
    profile = Profile.objects.filter(user=user)
    if connection.features.has_select_for_update:
        list(profile.select_for_update().values_list("pk", flat=True))
    else:
        profile.update(time_zone=F("time_zone"))


@contextmanager
def one_import_at_a_time(user) -> Iterator[None]:
    """A transaction in which ``user``'s import is the only one being written.

    A database busy for longer than it waits (SQLite's busy timeout, a PostgreSQL lock
    timeout) raises ``ImportInProgress``, after everything is rolled back.
    """
    try:
        with transaction.atomic():
            _lock_imports(user)
            yield
    except OperationalError as exc:
        if not faults.is_busy(exc):
            raise
        raise ImportInProgress from exc


def write_locked(user, checked: CheckedFile, *, replace_profile: bool) -> ImportResult:
    """``write_checked`` inside ``one_import_at_a_time``, for a caller that reads in the
    same transaction first."""
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


def write_checked(user, checked: CheckedFile, *, replace_profile: bool) -> ImportResult:
    """Add a checked file's new entries to ``user``'s journal in one transaction, and
    replace the profile details it sets only when ``replace_profile`` is true.

    Entries already in the journal are skipped, counted again here since the journal
    may have changed after the file was checked; another import of the person's waits
    for this one (``one_import_at_a_time``). Nothing is written if another tab adds a
    check-in for one of the file's days meanwhile.
    """
    with one_import_at_a_time(user):
        return write_locked(user, checked, replace_profile=replace_profile)


def import_journal(user, uploaded, *, replace_profile: bool = False) -> ImportResult:
    """Check a whole file, then write it at once: both steps without a person between.

    The /export/ page asks first (``check_file``, ``preview``, ``pending``); this is
    the two steps together, for when there is no one to ask.
    """
    checked = check_file(user, uploaded)
    if not checked.ok:
        return checked.result
    return write_checked(user, checked, replace_profile=replace_profile)
