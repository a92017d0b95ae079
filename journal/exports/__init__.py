"""The person's data in and out: CSV and JSON export, import of either, and erasure.

- ``fields``: the file format, each kind of entry with its fields declared once;
- ``values``: how each kind of value is written, and checked when read back;
- ``export``: the CSV and JSON downloads, streamed;
- ``reading``: an uploaded file, item by item, with the line of each;
- ``importing``: the items checked, then written all at once or not at all;
- ``preview``: what writing a checked file would do, said before it is written;
- ``pending``: a checked file kept for its owner to confirm or cancel;
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
from .importing import (
    MAX_IMPORT_BYTES,
    CheckedFile,
    ImportInProgress,
    ImportResult,
    check_file,
    import_journal,
    write_checked,
)
from .pending import PENDING_MINUTES, cancel, confirm, keep
from .preview import ImportPreview, ProfileChange, preview
from .reading import detect_format
from .values import escape_cell, unescape_cell

__all__ = [
    "CHECKIN",
    "CSV_COLUMNS",
    "FORMAT_NAME",
    "FORMAT_VERSION",
    "KINDS",
    "MAX_IMPORT_BYTES",
    "PENDING_MINUTES",
    "PROFILE_FIELDS",
    "ROW_TYPES",
    "STREAM_PIECE_CHARS",
    "SYMPTOM",
    "TWITCH",
    "CheckedFile",
    "ImportInProgress",
    "ImportPreview",
    "ImportResult",
    "ProfileChange",
    "cancel",
    "check_file",
    "confirm",
    "delete_account",
    "detect_format",
    "escape_cell",
    "export_csv",
    "export_filename",
    "export_json",
    "import_journal",
    "keep",
    "preview",
    "unescape_cell",
    "write_checked",
]
