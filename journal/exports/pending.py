"""Between an import's check and its write: the checked rows, kept for their owner.

After a file is checked, the person sees what importing it would do (``preview``) and
confirms or cancels. The confirm step does not take the file again, so a file changed
or swapped between the two steps has no way in: what waits, and what confirming
writes, are the rows that were checked and shown. The choices, each for a reason:

- In the database, not the cache or the session: every worker process shares it (the
  default cache lives in one process), and a session would carry megabytes of rows on
  every request.
- One per person: checking another file replaces the earlier one, so previews never
  pile up. A random token, carried in the confirm form and compared in constant time,
  names the one preview the page showed; a confirm from an older page writes nothing.
- Short-lived: a preview expires after ``PENDING_MINUTES``. It is deleted when
  confirmed or cancelled, and expired ones, anyone's, when any file is checked.
- Kept as JSON text that the value types write (``pack``) and read back as they were
  (``unpack``), checked again only for text no database could store; ASCII, so any
  note fits any text column. Rows kept by a version of the app whose fields differ, or
  damaged, read as expired.
"""

import json
import secrets
from datetime import date, timedelta

from django.utils import timezone

from ..models import PendingImport
from .fields import KINDS, PROFILE_DATE_FIELDS
from .importing import CheckedFile, ImportResult, one_import_at_a_time, write_locked
from .values import Value, unstorable

PENDING_MINUTES = 30


def _fields() -> dict[str, list[str]]:
    return {code: [field.name for field in kind.fields] for code, kind in KINDS.items()}


def _pack(checked: CheckedFile) -> str:
    rows = {code: _packed_rows(KINDS[code], rows) for code, rows in checked.rows.items()}
    profile = {
        name: value.isoformat() if name in PROFILE_DATE_FIELDS else value
        for name, value in checked.profile.items()
    }
    return json.dumps({"fields": _fields(), "rows": rows, "profile": profile})


def _packed_rows(kind, rows: list) -> list:
    """Checked rows of ``kind`` as JSON can keep them, a column at a time: a value type
    that keeps its values as they are (``Value.pack``) passes its column on untouched."""
    columns = [
        column if type(field.value).pack is Value.pack else map(field.value.pack, column)
        # No rows: no columns either.
        for field, column in zip(kind.fields, zip(*rows, strict=True), strict=False)
    ]
    return list(zip(*columns, strict=True))


def _unpack(text: str) -> CheckedFile | None:
    """The checked file kept as ``text``, or None if it cannot be taken back as it was
    checked (kept by a version of TwitchLog with other fields, or damaged)."""
    try:
        return _unpacked(json.loads(text))
    except (ValueError, TypeError, KeyError):
        return None


def _unpacked(kept: dict) -> CheckedFile | None:
    if kept["fields"] != _fields():
        return None
    rows = {code: _unpacked_rows(kind, kept["rows"][code]) for code, kind in KINDS.items()}
    profile = {
        name: date.fromisoformat(value) if name in PROFILE_DATE_FIELDS else value
        for name, value in kept["profile"].items()
    }
    if any(unstorable(name, value) for name, value in profile.items() if isinstance(value, str)):
        return None
    return CheckedFile(ImportResult(), rows, profile)


def _unpacked_rows(kind, kept: list) -> list:
    """Kept rows of ``kind`` taken back, a column at a time: a value type that keeps its
    values as they are (``Value.unpack``) passes its column on untouched."""
    if any(len(row) != len(kind.fields) for row in kept):
        raise ValueError("rows kept with other fields")
    columns = [
        column if type(field.value).unpack is Value.unpack else map(field.value.unpack, column)
        # No rows: no columns either.
        for field, column in zip(kind.fields, zip(*kept, strict=True), strict=False)
    ]
    return list(map(kind.row._make, zip(*columns, strict=True)))


def _expired_before():
    return timezone.now() - timedelta(minutes=PENDING_MINUTES)


def keep(user, checked: CheckedFile) -> str:
    """Keep ``checked`` for ``user`` to confirm, in place of any earlier preview of
    theirs; the token the confirm form carries back."""
    # Housekeeping for everyone: previews left behind expire, with what they hold.
    PendingImport.objects.filter(created_at__lt=_expired_before()).delete()
    token = secrets.token_urlsafe(32)
    pending = PendingImport(
        user=user, token=token, created_at=timezone.now(), checked=_pack(checked)
    )
    # One statement (INSERT ... ON CONFLICT UPDATE), so two checks at once cannot both
    # insert: the later one's preview is the one kept.
    PendingImport.objects.bulk_create(
        [pending],
        update_conflicts=True,
        unique_fields=["user"],
        update_fields=["token", "created_at", "checked"],
    )
    return token


def _matches(pending: PendingImport, token: str) -> bool:
    return secrets.compare_digest(pending.token.encode(), token.encode())


def confirm(user, token: str, *, replace_profile: bool) -> ImportResult | None:
    """Write the preview ``token`` names into ``user``'s journal, and forget it.

    None when there is no such preview: it expired, was cancelled or already written,
    or a newer check replaced it. The person's imports are locked first, before the
    preview is read, so a second confirm (a double click) waits, then finds nothing; one
    that waits longer than the database does raises ``ImportInProgress``.
    """
    with one_import_at_a_time(user):
        pending = PendingImport.objects.filter(user=user, created_at__gte=_expired_before()).first()
        if pending is None or not _matches(pending, token):
            return None
        # Forgotten in the transaction that writes it: whoever confirms next finds nothing.
        deleted, _ = PendingImport.objects.filter(pk=pending.pk).delete()
        if not deleted:
            return None
        checked = _unpack(pending.checked)
        if checked is None:
            return None
        return write_locked(user, checked, replace_profile=replace_profile)


def cancel(user, token: str) -> None:
    """Forget the preview ``token`` names, writing nothing."""
    pending = PendingImport.objects.filter(user=user).first()
    if pending is not None and _matches(pending, token):
        pending.delete()


def purge_expired() -> int:
    """Delete every preview past its time, anyone's; how many went (``manage.py purge``)."""
    deleted, _ = PendingImport.objects.filter(created_at__lt=_expired_before()).delete()
    return deleted
