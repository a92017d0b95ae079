"""Making, finding, opening and revoking shared links. The token exists in full only in
the answer to the person who made it; the database keeps its SHA-256."""

import hashlib
import secrets
from datetime import date, timedelta

from django.db.models import F
from django.utils import timezone

from accounts import activity

from .models import ShareLink

# How long a link may stay open, in days: the choices on /share/, the first the default.
VALID_DAYS = (7, 30)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def create_link(
    request, user, start: date, end: date, valid_days: int, note: str = ""
) -> tuple[ShareLink, str]:
    """A new link to ``start``..``end`` of ``user``'s journal, open for ``valid_days``.

    Returns the link and its token (256 random bits), which is shown once and never kept.
    """
    token = secrets.token_urlsafe(32)
    link = ShareLink.objects.create(
        user=user,
        token_hash=token_hash(token),
        start=start,
        end=end,
        expires_at=timezone.now() + timedelta(days=valid_days),
        note=note,
    )
    activity.record(request, activity.Kind.SHARE_CREATED, user=user, detail=period_text(link))
    return link, token


def open_link(token: str) -> ShareLink | None:
    """The link ``token`` opens now, or None when it is unknown, revoked or expired
    (the three are never told apart)."""
    if len(token) > 100:
        return None
    return (
        ShareLink.objects.select_related("user__profile")
        .filter(token_hash=token_hash(token), revoked_at=None, expires_at__gt=timezone.now())
        .first()
    )


def record_opening(link: ShareLink) -> None:
    """Count one opening, with its time and nothing about who opened it (the activity
    entry is written without the viewer's address)."""
    now = timezone.now()
    ShareLink.objects.filter(pk=link.pk).update(open_count=F("open_count") + 1, last_opened_at=now)
    activity.record(None, activity.Kind.SHARE_OPENED, user=link.user, detail=period_text(link))


def revoke(request, link: ShareLink) -> None:
    """Close the link at once; a revoked link is kept so the list still shows it."""
    if link.revoked_at is None:
        link.revoked_at = timezone.now()
        link.save(update_fields=["revoked_at"])
        activity.record(request, activity.Kind.SHARE_REVOKED, detail=period_text(link))


def links_of(user):
    """The person's own links, newest first."""
    return ShareLink.objects.filter(user=user)


def period_text(link: ShareLink) -> str:
    return f"{link.start:%-d %b %Y} to {link.end:%-d %b %Y}"
