"""Calm faults: which errors mean an outage (of the database, or of the shared cache that
every throttle counts in) or a busy database, and one log line for each request they fail,
instead of a traceback each.

During an outage every request fails the same way; thousands of identical tracebacks
in a few seconds (each showing the session's failed load as a second exception) bury
anything else in the log. The line keeps what is needed: the answer, the address, and
the database's own words.
"""

import logging

from django.db import DatabaseError, InterfaceError, OperationalError

# SQLSTATEs of a database that answered but could not go on: transaction rollbacks
# (class 40: deadlock, serialization failure), a lock not available (class 55), a
# statement cancelled by its timeout (57014). Anything else is taken as unreachable.
_BUSY_SQLSTATE_PREFIXES = ("40", "55", "57014")
_SQLITE_BUSY = ("SQLITE_BUSY", "SQLITE_LOCKED")
_SQLITE_BUSY_TEXT = ("database is locked", "database table is locked")


def is_busy(error: BaseException | None) -> bool:
    """Whether ``error`` is a database that answered but was busy: a lock it waited for
    too long, a deadlock, a statement past its timeout."""
    if not isinstance(error, DatabaseError):
        return False
    cause = error.__cause__
    code = getattr(cause, "pgcode", None) or getattr(cause, "sqlstate", None)
    if code:
        return code.startswith(_BUSY_SQLSTATE_PREFIXES)
    name = getattr(cause, "sqlite_errorname", "")
    if name:
        return name.startswith(_SQLITE_BUSY)
    return str(error).startswith(_SQLITE_BUSY_TEXT)


def is_outage(error: BaseException | None) -> bool:
    """Whether ``error`` means the database cannot be reached (gone, refusing, dropped)."""
    if isinstance(error, InterfaceError):
        return True
    return isinstance(error, OperationalError) and not is_busy(error)


def is_cache_outage(error: BaseException | None) -> bool:
    """Whether ``error`` means the shared cache (Redis, ``REDIS_URL``) cannot be reached:
    refused, dropped or timed out. Signing in, signing up and the API count their tries
    there, so they cannot go on without it; the journal's own pages do not need it."""
    try:
        from redis.exceptions import ConnectionError as Refused
        from redis.exceptions import TimeoutError as TimedOut
    except ImportError:  # pragma: no cover - redis is a pinned dependency
        return False
    return isinstance(error, (Refused, TimedOut))


def summary(error: BaseException) -> str:
    """The error in one line: its type and the first line of its message."""
    lines = str(error).strip().splitlines()
    return f"{type(error).__name__}: {lines[0].strip() if lines else ''}".rstrip(": ")


class DatabaseFaultFilter(logging.Filter):
    """On ``django.request``: a request failed by an unreachable or busy database, or an
    unreachable cache, is logged as one line, without its traceback. Other errors keep
    theirs."""

    def filter(self, record: logging.LogRecord) -> bool:
        error = record.exc_info[1] if record.exc_info else None
        state = None
        if is_outage(error) or is_busy(error):
            state = "database unreachable" if is_outage(error) else "database busy"
        elif is_cache_outage(error):
            state = "cache unreachable"
        if state:
            record.msg = f"{record.getMessage()} ({state}: {summary(error)})"
            record.args = ()
            record.exc_info = None
            record.exc_text = None
        return True
