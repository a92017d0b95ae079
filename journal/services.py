"""Writes that more than one entry point makes: the pages and the API call these."""

from django.db import transaction
from django.utils import timezone

from .models import TwitchEntry


def repeat_last_twitch(user) -> TwitchEntry | None:
    """Log the person's latest twitch again, now: same place, side, length, strength and
    triggers (the "Again" button). None when there is no twitch to repeat yet.

    Queries: the latest twitch and its triggers, then the new entry and its triggers,
    saved together in one transaction.
    """
    last = TwitchEntry.objects.filter(user=user).prefetch_related("trigger_rows").first()
    if last is None:
        return None
    with transaction.atomic():
        entry = TwitchEntry.objects.create(
            user=user,
            occurred_at=timezone.now(),
            location=last.location,
            side=last.side,
            duration_seconds=last.duration_seconds,
            intensity=last.intensity,
        )
        entry.set_triggers(last.trigger_codes)
    return entry
