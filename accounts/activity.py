"""The account activity list: record an event, read the person's recent ones, purge old ones.

Every read is scoped to one person: `recent(user)` never returns another's events.
"""

import datetime
import logging

from allauth.account.adapter import get_adapter
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from .models import Activity

log = logging.getLogger(__name__)

Kind = Activity.Kind

# The most events the Settings page lists; older ones stay until they are purged.
SHOWN_AT_MOST = 100


def client_ip(request) -> str | None:
    """The address the request came from, as the throttles see it (proxy-aware)."""
    try:
        return get_adapter().get_client_ip(request)
    except PermissionDenied:
        return None


def record(request, kind: str, *, user=None, detail: str = "") -> Activity:
    """Note that `kind` happened to `user` (the signed-in person by default), now."""
    person = user if user is not None else request.user
    return Activity.objects.create(
        user=person,
        kind=kind,
        detail=detail[: Activity._meta.get_field("detail").max_length],
        ip_address=client_ip(request) if request is not None else None,
    )


def keep_since(now: datetime.datetime | None = None) -> datetime.datetime:
    """The oldest moment the activity list still covers."""
    now = now or timezone.now()
    return now - datetime.timedelta(days=settings.ACTIVITY_KEEP_DAYS)


def recent(user, now: datetime.datetime | None = None):
    """The person's own events of the kept period, newest first."""
    return Activity.objects.filter(user=user, created_at__gte=keep_since(now))[:SHOWN_AT_MOST]


def purge_old(now: datetime.datetime | None = None) -> int:
    """Delete every event older than the kept period; returns how many went.

    For `manage.py purge`, beside expired sessions and the records of ended ones.
    """
    deleted, _ = Activity.objects.filter(created_at__lt=keep_since(now)).delete()
    return deleted
