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
import re
from collections import Counter
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
# An export nests four deep (the file, a section, an entry, its triggers). Deeper is not
# an export, and is refused before anything is built from it.
MAX_JSON_DEPTH = 8
# A run of digits longer than this is no number an export holds (and longer than any
# notes), and past 4,300 digits Python refuses to read one: refused before the parser
# tries.
MAX_DIGITS_IN_A_ROW = 4000
_DIGITS = b"0123456789"
_LONG_DIGITS = re.compile(rb"[0-9]{%d}" % (MAX_DIGITS_IN_A_ROW + 1))
# A \u escape of half a character (a surrogate), not preceded by an escaped backslash;
# and such halves escaped as a proper pair, which together make one character.
_SURROGATE_ESCAPE = re.compile(rb"(?<!\\)(?:\\\\)*\\u[dD][89a-fA-F][0-9a-fA-F]{2}")
_SURROGATE_PAIR = re.compile(
    rb"(?<!\\)(?:\\\\)*\\u[dD][89abAB][0-9a-fA-F]{2}\\u[dD][c-fC-F][0-9a-fA-F]{2}"
)
# An escaped pair is 12 bytes: a piece is never cut in one, nor in a run of backslashes.
_ESCAPED_PAIR_BYTES = 12


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


def _few(names: list[str], most: int = 10) -> str:
    """Names quoted for a message, the first ``most`` of them: a header of a million
    columns makes a message of a line, not of megabytes."""
    listed = ", ".join(shown(name) for name in names[:most])
    return listed if len(names) <= most else f"{listed} and {len(names) - most:,} more"


def read_csv(uploaded) -> Iterator[Item]:
    """The rows of a CSV export, each with the line it starts on."""
    reader = csv.reader(_text_lines(uploaded))
    try:
        header = next(reader, None)
        if header is None:
            return
        columns = [name.strip() for name in header]
        repeated = [name for name, count in Counter(columns).items() if count > 1]
        if repeated:
            listed = _few(repeated)
            yield Problem(1, f"the first line names {listed} more than once; keep one of each")
            return
        unknown = [name for name in columns if name not in CSV_COLUMNS]
        if "type" not in columns or unknown:
            listed = _few(unknown)
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


def _safe_cut(piece: bytes) -> int:
    """Where to cut a piece longer than READ_CHUNK_BYTES: at that length, or earlier, so
    no escape (nor the pair two escapes make, nor a run of backslashes) is cut in two."""
    cut = READ_CHUNK_BYTES
    while (backslash := piece.find(b"\\", max(cut - _ESCAPED_PAIR_BYTES, 0), cut)) != -1:
        while backslash > 0 and piece[backslash - 1] == ord("\\"):
            backslash -= 1
        if backslash == 0:
            # A line of nothing but escapes is no export's: it is cut where it must be.
            return READ_CHUNK_BYTES
        cut = backslash
    return cut


def _json_pieces(uploaded) -> Iterator[bytes]:
    """The file in pieces of UTF-8 that never run past a line break: the parser is fed
    one piece at a time, so the events of a piece are on the line being read.

    A line longer than READ_CHUNK_BYTES comes in several pieces, so an item's size is
    known before the whole of it has been read; they are never cut inside an escape.
    """
    decoder = codecs.getincrementaldecoder("utf-8-sig")()
    rest = b""
    for chunk in uploaded.chunks(READ_CHUNK_BYTES):
        # Decoded to find a file that is not UTF-8, and to drop a byte order mark.
        lines = (rest + decoder.decode(chunk).encode()).splitlines(keepends=True)
        rest = lines.pop() if lines and not lines[-1].endswith((b"\n", b"\r")) else b""
        for line in lines:
            while len(line) > READ_CHUNK_BYTES:
                cut = _safe_cut(line)
                yield line[:cut]
                line = line[cut:]
            yield line
        while len(rest) > READ_CHUNK_BYTES:
            cut = _safe_cut(rest)
            yield rest[:cut]
            rest = rest[cut:]
    decoder.decode(b"", final=True)
    if rest:
        yield rest


class _Unreadable(Exception):
    """Something in the file no export holds, found before it is parsed; the message is
    said to the person as it is."""


class _RawCheck:
    """Looks at each piece before the parser does, for what the parser must not be
    given: numbers too long to read, and escapes of half a character, which the parser
    would turn into a different character or fail on."""

    def __init__(self):
        self.digits_before = 0  # the run of digits that ended the pieces so far

    def check(self, piece: bytes) -> None:
        leading = len(piece) - len(piece.lstrip(_DIGITS))
        if self.digits_before + leading > MAX_DIGITS_IN_A_ROW or _LONG_DIGITS.search(piece):
            raise _Unreadable("a number here has more digits than any TwitchLog export holds")
        if leading == len(piece):
            self.digits_before += leading
        else:
            self.digits_before = len(piece) - len(piece.rstrip(_DIGITS))
        if b"\\u" in piece:
            halves = len(_SURROGATE_ESCAPE.findall(piece))
            if halves != 2 * len(_SURROGATE_PAIR.findall(piece)):
                raise _Unreadable(
                    "a \\u escape here is half of a character (a lone surrogate), which "
                    "cannot be stored; remove it"
                )


class _JsonShapeError(Exception):
    """The file is JSON, or starts as it, but not shaped as an export."""


class _JsonItems:
    """Turns the parser's events into the export's items, keeping the line of each.

    The top level must be an object. Its sections of entries are lists, each item
    built on its own and handed on as soon as it is complete; the profile and the
    format's own keys are built whole; the value of a key it does not know is skipped
    without being built. Nothing nests deeper than MAX_JSON_DEPTH, and a key given twice
    in one object is a problem (a parser would quietly keep the last).
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
        # One entry per open object or list: the keys seen so far in an object whose
        # keys matter (the top level's own, and those of a value being built), else None.
        self._open: list[set[str] | None] = []

    @property
    def building(self) -> bool:
        return self._builder is not None

    def event(self, kind: str, value, line: int) -> None:
        if kind == "map_key":
            self._check_key(value, line)
        self._dispatch(kind, value, line)
        if kind in ("start_map", "start_array"):
            keeps_keys = kind == "start_map" and (self.building or not self._open)
            self._open.append(set() if keeps_keys else None)
            if len(self._open) > MAX_JSON_DEPTH:
                raise _Unreadable("lists and objects nest here deeper than in any TwitchLog export")
        elif kind in ("end_map", "end_array"):
            self._open.pop()

    def _check_key(self, key: str, line: int) -> None:
        keys = self._open[-1] if self._open else None
        # At the top level only the format's own keys are kept: any other is a problem
        # already, and a file of a million of them is not kept in memory.
        if keys is None or (len(self._open) == 1 and key not in _TOP_KEYS):
            return
        if key in keys:
            problem = f"{shown(key)} is given twice in one object; keep one"
            self.found.append(("", line, Problem(line, problem)))
        keys.add(key)

    def _dispatch(self, kind: str, value, line: int) -> None:
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


_TOP_KEYS = frozenset((*JSON_SECTIONS, "profile", *JSON_HEADER_KEYS))


def read_json(uploaded) -> Iterator[Item]:
    """The entries and profile of a JSON export, each with the line it starts on.

    The file must be TwitchLog's own: an object with ``"format": "twitchlog"`` and a
    version this code reads. A file that stops being JSON stops the reading there,
    with the line it stopped on.
    """
    events = ijson.sendable_list()
    parser = ijson.basic_parse_coro(events)
    items = _JsonItems()
    raw = _RawCheck()
    line = 1
    try:
        for piece in _json_pieces(uploaded):
            raw.check(piece)
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
    except _Unreadable as exc:
        yield Problem(line, str(exc))
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
