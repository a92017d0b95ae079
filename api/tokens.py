"""Creating, checking and revoking personal access tokens (the only code that sees a
token in plain text, and only while it is being made or checked).

A token reads ``tl_<prefix>_<secret>``: the prefix (8 hex digits) is stored as it is
and finds the row; the secret (43 URL-safe characters, 256 random bits) is never
stored, only the SHA-256 digest of the whole token.
"""

from __future__ import annotations

import datetime
import hashlib
import hmac
import re
import secrets

from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts import activity

from .models import ApiToken

TOKEN_PATTERN = re.compile(r"tl_(?P<prefix>[0-9a-f]{8})_(?P<secret>[A-Za-z0-9_-]{43})")
# last_used_at is rewritten at most this often, so a busy shortcut does not write a
# row on every request; the Settings list shows the time to the minute.
LAST_USED_PRECISION = datetime.timedelta(minutes=1)


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode("ascii")).hexdigest()


def create_token(
    user, name: str, scope: str, expires_at: datetime.datetime | None = None, *, request=None
) -> tuple[ApiToken, str]:
    """Make a token for ``user``; return the saved row and the token, to be shown once.

    The person's account activity lists it, with the address of ``request``; one made
    without a request (by an operator on the server) says so.
    """
    detail = f"\u201c{name}\u201d, {scope}" + (
        "" if request is not None else ", made on the server"
    )
    for _ in range(5):
        prefix = secrets.token_hex(4)
        token = f"tl_{prefix}_{secrets.token_urlsafe(32)}"
        try:
            with transaction.atomic():
                row = ApiToken.objects.create(
                    user=user,
                    name=name,
                    scope=scope,
                    prefix=prefix,
                    digest=_digest(token),
                    expires_at=expires_at,
                )
                activity.record(request, activity.Kind.TOKEN_CREATED, user=user, detail=detail)
        except IntegrityError:
            continue  # the prefix was taken (1 in 4 billion): draw another
        return row, token
    raise RuntimeError("Could not find a free token prefix.")


def find_token(token: str, now: datetime.datetime | None = None) -> ApiToken | None:
    """The live token row this text belongs to, or None (unknown, revoked or expired).

    One query (the row by its prefix, with its person); a second only when the last
    use is more than a minute old.
    """
    match = TOKEN_PATTERN.fullmatch(token)
    if match is None:
        return None
    row = (
        ApiToken.objects.select_related("user", "user__profile")
        .filter(prefix=match["prefix"])
        .first()
    )
    if row is None or not hmac.compare_digest(row.digest, _digest(token)):
        return None
    now = now or timezone.now()
    if row.has_expired(now) or not row.user.is_active:
        return None
    if row.last_used_at is None or now - row.last_used_at >= LAST_USED_PRECISION:
        ApiToken.objects.filter(pk=row.pk).update(last_used_at=now)
        row.last_used_at = now
    return row


@transaction.atomic
def revoke_token(user, pk, *, request=None) -> bool:
    """Delete one of the person's tokens; the next request with it is refused. The
    account activity lists it."""
    row = ApiToken.objects.filter(user=user, pk=pk).first()
    if row is None:
        return False
    row.delete()
    activity.record(
        request, activity.Kind.TOKEN_REVOKED, user=user, detail=f"\u201c{row.name}\u201d"
    )
    return True
