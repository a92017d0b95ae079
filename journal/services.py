"""Writes that more than one entry point makes: the pages and the API call these."""

from django.db import transaction
from django.utils import timezone

from .models import TwitchEntry


def repeat_last_twitch(user, of: int | None = None) -> TwitchEntry | None:
    """Log the person's latest twitch again, now: same place, side, length, strength and
    triggers (the "Again" button). With ``of``, the person's twitch of that id, the one
    the button named; the latest when it is gone. None when there is no twitch to repeat.

    Queries: the latest twitch and its triggers, then the new entry and its triggers,
    saved together in one transaction.
    """
    twitches = TwitchEntry.objects.filter(user=user).prefetch_related("trigger_rows")
    last = (of is not None and twitches.filter(pk=of).first()) or twitches.first()
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
        entry.set_triggers(last.trigger_codes, new=True)
    return entry
