"""Reading an uploaded export: what it holds, item by item, with the line each came from.

Both readers take the file as a stream (CSV line by line, JSON through the ijson
streaming parser a piece at a time), so the file is never held whole, and yield what
they find in order: an ``Entry`` (a kind and its values as the file spells them), the
``Profile`` values of a JSON export, or a ``Problem`` with the structure of the file
itself. Checking the values is for ``importing``; a reader only knows the file's shape.
"""

from __future__ import annotations

import codecs
import csv
from collections.abc import Iterator, Mapping
from dataclasses import dataclass

import ijson

from .fields import CSV_COLUMNS, FORMAT_NAME, JSON_SECTIONS, READABLE_VERSIONS, ROW_TYPES
from .values import shown

# Bytes read from the uploaded file at a time.
READ_CHUNK_BYTES = 64 * 1024
# One JSON item (an entry with 2,000 characters of notes) is far smaller than this;
# a longer one is not an entry TwitchLog wrote, and is not built in memory.
MAX_JSON_ITEM_BYTES = 256 * 1024
# The top-level keys of a JSON export besides its sections of entries.
JSON_HEADER_KEYS = ("format", "version", "exported_at")


@dataclass(frozen=True)
class Entry:
    """One entry of ``kind`` ("twitch", "symptom" or "checkin"), its values unchecked."""

    line: int
    kind: str
    values: Mapping


@dataclass(frozen=True)
class Profile:
    """The profile section of a JSON export, unchecked."""

    line: int
    values: object


@dataclass(frozen=True)
class Problem:
    """Something wrong with the file's shape, at ``line``."""

    line: int
    message: str


Item = Entry | Profile | Problem


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
    """The file's lines as text, each with its own line ending, read a chunk at a time.

    Decoding raises UnicodeDecodeError for a file that is not UTF-8; a leading byte
    order mark, as spreadsheet apps write, is dropped.
    """
    decoder = codecs.getincrementaldecoder("utf-8-sig")()
    for line in uploaded:
        yield decoder.decode(line)
    decoder.decode(b"", final=True)


def read_csv(uploaded) -> Iterator[Item]:
    """The rows of a CSV export, each with the line it starts on."""
    reader = csv.reader(_text_lines(uploaded))
    try:
        header = next(reader, None)
        if header is None:
            return
        columns = [name.strip() for name in header]
        unknown = [name for name in columns if name not in CSV_COLUMNS]
        if "type" not in columns or unknown:
            listed = ", ".join(shown(name) for name in unknown)
            detail = f"unknown columns {listed}; " if unknown else ""
            yield Problem(
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
                yield Problem(line, f"{len(cells)} values but only {len(columns)} columns")
                continue
            values = dict(zip(columns, cells, strict=False))
            kind = values.pop("type").strip()
            if kind not in ROW_TYPES:
                yield Problem(line, f"unknown type {shown(kind)} (use twitch, symptom or checkin)")
                continue
            yield Entry(line, kind, values)
    except csv.Error as exc:
        yield Problem(reader.line_num, f"this line could not be read as CSV ({exc})")


def _json_pieces(uploaded) -> Iterator[bytes]:
    """The file in pieces of UTF-8 that never run past a line break: the parser is fed
    one piece at a time, so the events of a piece are on the line being read."""
    decoder = codecs.getincrementaldecoder("utf-8-sig")()
    for chunk in uploaded.chunks(READ_CHUNK_BYTES):
        for line in decoder.decode(chunk).splitlines(keepends=True):
            piece = line.encode()
            # A file kept in memory comes as one chunk: its long lines are cut too, so
            # an item's size is known before the whole of it has been read.
            for start in range(0, len(piece), READ_CHUNK_BYTES):
                yield piece[start : start + READ_CHUNK_BYTES]
    decoder.decode(b"", final=True)


class _JsonShapeError(Exception):
    """The file is JSON, or starts as it, but not shaped as an export."""


class _JsonItems:
    """Turns the parser's events into the export's items, keeping the line of each.

    The top level must be an object. Its sections of entries are lists, each item
    built on its own and handed on as soon as it is complete; the profile and the
    format's own keys are built whole; the value of a key it does not know is skipped
    without being built.
    """

    def __init__(self):
        self.found: list[tuple[str, int, object]] = []  # (key, line, value) made so far
        self.header: dict[str, object] = {}
        self._depth = 0
        self._key = ""
        self._section = ""
        self._builder: ijson.ObjectBuilder | None = None
        self._skipping = False
        self._start = 0  # where the value being built starts: its line, and its depth
        self._start_depth = 0
        self.item_bytes = 0

    @property
    def building(self) -> bool:
        return self._builder is not None

    def event(self, kind: str, value, line: int) -> None:
        opens = kind in ("start_map", "start_array")
        closes = kind in ("end_map", "end_array")
        if self._depth == 0:
            if kind != "start_map":
                raise _JsonShapeError("expected a JSON object starting with {")
            self._depth = 1
            return
        if self._builder is not None or self._skipping:
            self._inside_value(kind, value, opens, closes)
            return
        if self._depth == 1:
            self._at_top(kind, value, line, opens)
        elif self._depth == 2 and self._section:
            if kind == "end_array":
                self._section = ""
                self._depth = 1
            else:
                self._start_value(line, opens)
                self._inside_value(kind, value, opens, closes)

    def _at_top(self, kind: str, value, line: int, opens: bool) -> None:
        if kind == "map_key":
            self._key = value
            return
        if kind == "end_map":
            self._depth = 0
            return
        if self._key in JSON_SECTIONS:
            if kind != "start_array":
                raise _JsonShapeError(f"expected a list after {self._key!r}")
            self._section = self._key
            self._depth = 2
            return
        if self._key == "profile" or self._key in JSON_HEADER_KEYS:
            self._start_value(line, opens)
            self._inside_value(kind, value, opens, kind in ("end_map", "end_array"))
            return
        self.found.append(("", line, Problem(line, f"unknown section {shown(self._key)}")))
        if opens:
            self._skipping = True
            self._start_depth = self._depth
            self._depth += 1

    def _start_value(self, line: int, opens: bool) -> None:
        self._builder = ijson.ObjectBuilder()
        self._start = line
        self._start_depth = self._depth
        self.item_bytes = 0

    def _inside_value(self, kind: str, value, opens: bool, closes: bool) -> None:
        if opens:
            self._depth += 1
        elif closes:
            self._depth -= 1
        if self._builder is not None:
            self._builder.event(kind, value)
        if self._depth == self._start_depth:
            if self._builder is not None:
                key = self._section or self._key
                self.found.append((key, self._start, self._builder.value))
            self._builder = None
            self._skipping = False


def read_json(uploaded) -> Iterator[Item]:
    """The entries and profile of a JSON export, each with the line it starts on.

    The file must be TwitchLog's own: an object with ``"format": "twitchlog"`` and a
    version this code reads. A file that stops being JSON stops the reading there,
    with the line it stopped on.
    """
    events = ijson.sendable_list()
    parser = ijson.basic_parse_coro(events)
    items = _JsonItems()
    line = 1
    try:
        for piece in _json_pieces(uploaded):
            parser.send(piece)
            for kind, value in events:
                items.event(kind, value, line)
            del events[:]
            if items.building:
                items.item_bytes += len(piece)
                if items.item_bytes > MAX_JSON_ITEM_BYTES:
                    raise _JsonShapeError("an item here is longer than any TwitchLog writes")
            yield from _made(items)
            if piece.endswith(b"\n"):
                line += 1
        parser.close()
        for kind, value in events:
            items.event(kind, value, line)
        yield from _made(items)
    except ijson.JSONError:
        # The parser's own wording of the fault differs between its back ends and reads
        # as a programmer's message; the line is what helps the person.
        yield Problem(line, "the file is not valid JSON here")
        return
    except _JsonShapeError as exc:
        yield Problem(line, f"the file is not valid JSON here ({exc})")
        return
    if items.header.get("format") != FORMAT_NAME:
        yield Problem(1, 'this is not a TwitchLog export (it has no "format": "twitchlog")')
    elif not _is_readable_version(items.header.get("version")):
        version = shown(items.header.get("version"))
        yield Problem(1, f"this export's version {version} is not one TwitchLog reads")


def _is_readable_version(version) -> bool:
    # true == 1 in Python, but a version is a whole number, never true or 1.0.
    return type(version) is int and version in READABLE_VERSIONS


def _made(items: _JsonItems) -> Iterator[Item]:
    """What the events so far completed, as the reader's items."""
    for key, line, value in items.found:
        if isinstance(value, Problem):
            yield value
        elif key in JSON_SECTIONS:
            if isinstance(value, dict):
                yield Entry(line, JSON_SECTIONS[key], value)
            else:
                yield Problem(line, f"each item in {key!r} must be an object")
        elif key == "profile":
            yield Profile(line, value)
        else:
            items.header[key] = value
    items.found.clear()
