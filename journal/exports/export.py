"""The journal out: CSV and JSON downloads, streamed.

Each export is a generator of text pieces for a StreamingHttpResponse: rows are read
from the database in chunks as plain tuples, so a large journal never sits in memory
at once. Both formats hold codes, never labels, and times with the person's UTC
offset, so an export imported into a new account reproduces the journal exactly.
"""

import csv
import functools
import json
from collections.abc import Iterable, Iterator

from django.db.models import OuterRef, Subquery
from django.utils import timezone

from ..insights import CodesNoted
from ..models import TwitchEntry, TwitchTrigger, logged_clock
from .fields import (
    CHECKIN,
    CSV_COLUMNS,
    FORMAT_NAME,
    FORMAT_VERSION,
    KINDS,
    PROFILE_DATE_FIELDS,
    PROFILE_FIELDS,
    SYMPTOM,
    TWITCH,
    Kind,
)
from .values import in_vocabulary_order

# Rows fetched per database round trip while exporting.
EXPORT_CHUNK_SIZE = 2000
# Text handed to the response at a time: large enough to avoid a write per row.
STREAM_PIECE_CHARS = 64 * 1024


def export_filename(user, extension: str) -> str:
    """A dated download name in the person's own calendar, e.g. twitchlog-2026-03-01.csv."""
    today = timezone.now().astimezone(user.profile.tz).date()
    return f"twitchlog-{today.isoformat()}.{extension}"


@functools.lru_cache(maxsize=1024)
def _codes_in_order(codes: str | None) -> tuple[str, ...]:
    """The trigger codes one twitch's row carries (``CodesNoted``), in vocabulary order."""
    if codes is None:
        return ()
    return in_vocabulary_order(frozenset(codes.split(CodesNoted.separator)))


def _twitches(user) -> Iterator[tuple]:
    """The person's twitches, oldest first, with their triggers: one query, read in chunks.

    Each twitch's trigger codes come with it, gathered by a subquery on the triggers'
    (entry, code) constraint, and are put back in vocabulary order. Plain tuples, not
    model instances: two years of dense logging is tens of thousands of rows, and
    building objects for each would cost more than the text.

    Each time is written on the clock it was logged on (``models.logged_clock``), so
    the file keeps the dates the journal shows whatever the person's time zone now.
    """
    kind = KINDS[TWITCH]
    noted = (
        TwitchTrigger.objects.filter(entry=OuterRef("pk"))
        .order_by()
        .values("entry")
        .annotate(codes=CodesNoted("code"))
        .values("codes")
    )
    rows = (
        TwitchEntry.objects.filter(user=user)
        .order_by("occurred_at", "id")
        .annotate(codes_noted=Subquery(noted))
        .values_list("utc_offset_minutes", *kind.stored_attrs, "codes_noted")
        .iterator(chunk_size=EXPORT_CHUNK_SIZE)
    )
    moment = kind.stored_attrs.index("occurred_at")
    # The triggers' place among the fields: every other field is a column of its own.
    triggers = next(index for index, field in enumerate(kind.fields) if not field.stored)
    for offset, *values, codes in rows:
        values[moment] = logged_clock(values[moment], offset)
        values.insert(triggers, _codes_in_order(codes))
        yield tuple(values)


def _rows(user, kind: Kind, order: tuple[str, ...]) -> Iterator[tuple]:
    return (
        kind.model.objects.filter(user=user)
        .order_by(*order)
        .values_list(*kind.attrs)
        .iterator(chunk_size=EXPORT_CHUNK_SIZE)
    )


# Each kind's entries in the order an export lists them.
_ORDER = {SYMPTOM: ("noted_on", "id"), CHECKIN: ("day",)}


def entries_of(user, kind: Kind) -> Iterator[tuple]:
    """The person's entries of one kind, oldest first, as tuples of values in field order."""
    if kind.code == TWITCH:
        return _twitches(user)
    return _rows(user, kind, _ORDER[kind.code])


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

    def pieces() -> Iterator[str]:
        yield writer.writerow(CSV_COLUMNS)
        for kind in KINDS.values():
            # Each field's column and how its value is written, looked up once per kind.
            writes = [(position[field.name], field.value.csv) for field in kind.fields]
            empty = [""] * len(CSV_COLUMNS)
            empty[0] = kind.code
            for values in entries_of(user, kind):
                cells = empty.copy()
                for (column, text), value in zip(writes, values, strict=True):
                    cells[column] = text(value, tz)
                yield writer.writerow(cells)

    return _joined(pieces())


def _dumps(value) -> str:
    return json.dumps(value, ensure_ascii=False)


def export_json(user) -> Iterator[str]:
    """The whole journal as one JSON object, in pieces, one entry per line.

    {"format": "twitchlog", "version": 1, "exported_at": ..., "profile": {...},
     "twitches": [...], "symptoms": [...], "checkins": [...]}
    """
    profile = user.profile
    tz = profile.tz

    def pieces() -> Iterator[str]:
        profile_data = {}
        for name in PROFILE_FIELDS:
            value = getattr(profile, name)
            is_date = name in PROFILE_DATE_FIELDS and value is not None
            profile_data[name] = value.isoformat() if is_date else value
        yield (
            f'{{"format": {_dumps(FORMAT_NAME)}, "version": {FORMAT_VERSION}, '
            f'"exported_at": {_dumps(timezone.now().astimezone(tz).isoformat())},\n'
            f'"profile": {_dumps(profile_data)},\n'
        )
        kinds = list(KINDS.values())
        for kind in kinds:
            yield f"{_dumps(kind.section)}: ["
            separator = "\n"
            for values in entries_of(user, kind):
                item = {
                    field.name: field.value.json(value, tz)
                    for field, value in zip(kind.fields, values, strict=True)
                }
                yield separator + _dumps(item)
                separator = ",\n"
            yield "\n]" + ("\n" if kind is kinds[-1] else ",\n")
        yield "}\n"

    return _joined(pieces())
