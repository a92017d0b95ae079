"""The person's data in and out: CSV and JSON export, import of either, and erasure.

- ``fields``: the file format, each kind of entry with its fields declared once;
- ``values``: how each kind of value is written, and checked when read back;
- ``export``: the CSV and JSON downloads, streamed;
- ``reading``: an uploaded file, item by item, with the line of each;
- ``importing``: the items checked, then written all at once or not at all;
- ``erasure``: the account and everything in it, deleted.

The names the views and forms use are importable from here.
"""

from .erasure import delete_account
from .export import STREAM_PIECE_CHARS, export_csv, export_filename, export_json
from .fields import (
    CHECKIN,
    CSV_COLUMNS,
    FORMAT_NAME,
    FORMAT_VERSION,
    KINDS,
    PROFILE_FIELDS,
    ROW_TYPES,
    SYMPTOM,
    TWITCH,
)
from .importing import MAX_IMPORT_BYTES, ImportResult, import_journal
from .reading import detect_format
from .values import escape_cell, unescape_cell

__all__ = [
    "CHECKIN",
    "CSV_COLUMNS",
    "FORMAT_NAME",
    "FORMAT_VERSION",
    "KINDS",
    "MAX_IMPORT_BYTES",
    "PROFILE_FIELDS",
    "ROW_TYPES",
    "STREAM_PIECE_CHARS",
    "SYMPTOM",
    "TWITCH",
    "ImportResult",
    "delete_account",
    "detect_format",
    "escape_cell",
    "export_csv",
    "export_filename",
    "export_json",
    "import_journal",
    "unescape_cell",
]
