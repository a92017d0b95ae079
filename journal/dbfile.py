"""The SQLite file holds every journal on the server: it and a folder made for it are
created readable by their owner only (0600 and 0700), whatever the process's umask."""

import os
from pathlib import Path


def make_private(database: dict, *, testing: bool = False) -> None:
    """Create the SQLite file named in ``database`` (and its folder), owner-only, if it
    does not exist yet; an existing file keeps its mode. Other databases are left alone,
    as are in-memory ones and the test run's."""
    if testing or database.get("ENGINE") != "django.db.backends.sqlite3":
        return
    name = str(database.get("NAME") or "")
    if not name or name == ":memory:" or name.startswith("file:"):
        return
    path = Path(name)
    if not path.parent.exists():
        path.parent.mkdir(mode=0o700, parents=True)
    try:
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return
    os.close(descriptor)
