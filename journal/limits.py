"""Per-person limits on the heavy work: checking a file to import, making the doctor's
PDF, downloading an export. Each is a few seconds of a worker's time and memory, so
one person (or one leaked token) asking for them in a loop would slow everyone else.

The limits are settings.PERSON_LIMITS ("count/period", e.g. 10 an hour, from the
environment), counted per person across the pages and the API, in the default cache
(Redis with REDIS_URL, so every worker process shares the counts). An answer over the
limit says when the next one is allowed: a calm 429 page, or a 429 with Retry-After.
"""

from __future__ import annotations

import math
import time

from allauth.core.internal import ratelimit
from django.conf import settings
from django.core.cache import cache
from django.shortcuts import render
from django.urls import reverse

from accounts.throttles import wait_in_words

from . import wording

APP = "journal"
IMPORT = "import"
PDF = "pdf"
EXPORT = "export"

# What each limit counts, for the 429 page: "You have made 10 doctor's summaries in the
# last hour." (a sentence with the count and its noun, one and many).
WORK = {
    IMPORT: ("checked {} to import", "file", "files"),
    PDF: ("made {}", "doctor's summary", "doctor's summaries"),
    EXPORT: ("downloaded your journal {}", "time", "times"),
}
# Where the 429 page leads back to: (address name, link text).
BACK = {
    IMPORT: ("export", "Back to your data"),
    PDF: ("report", "Back to the doctor's summary"),
    EXPORT: ("export", "Back to your data"),
}


def _config() -> dict[str, str]:
    # Every limit counts per person ("/user"), whoever asks.
    return {action: f"{rate}/user" for action, rate in settings.PERSON_LIMITS.items()}


def take(request, action: str, user=None) -> int | None:
    """Count one ``action`` for the person; None when it is allowed (and counted), else
    the whole seconds until it will be. ``request`` is Django's request; ``user`` the
    person when it is not ``request.user`` (an API token's person)."""
    usage = ratelimit.consume(
        request, app=APP, action=action, config=_config(), user=user, limit_get=True
    )
    if usage is not None:
        return None
    return seconds_until_allowed(request, action, user=user)


def seconds_until_allowed(request, action: str, user=None) -> int:
    now = time.time()
    longest = 1
    for rate in ratelimit.get_rates(app=APP, action=action, config=_config()):
        key = ratelimit.get_cache_key(request, app=APP, action=action, rate=rate, user=user)
        history = [at for at in cache.get(key, []) if at > now - rate.duration]
        if len(history) >= rate.amount:
            # Allowed again once the oldest hit that still fills the limit drops out.
            free_at = sorted(history, reverse=True)[rate.amount - 1] + rate.duration
            longest = max(longest, math.ceil(free_at - now))
    return longest


def period_words(action: str) -> tuple[int, str]:
    """The limit of ``action`` as (count, "hour"), for saying it."""
    rate = ratelimit.get_rates(app=APP, action=action, config=_config())[0]
    seconds = int(rate.duration)
    for unit, size in (("day", 86400), ("hour", 3600), ("minute", 60)):
        if seconds % size == 0:
            count = seconds // size
            return rate.amount, unit if count == 1 else f"{count} {unit}s"
    return rate.amount, f"{seconds} seconds"


def done_sentence(action: str) -> str:
    """What the person has reached: "You have made 10 doctor's summaries in the last hour"."""
    amount, period = period_words(action)
    sentence, one, many = WORK[action]
    return f"You have {sentence.format(wording.plural(amount, one, many))} in the last {period}"


def limited_page(request, action: str, seconds: int):
    """The calm 429 page: what was limited, when it is allowed again, and the way back."""
    back_name, back_text = BACK[action]
    response = render(
        request,
        "journal/limited.html",
        {
            "done": done_sentence(action),
            "when": wait_in_words(seconds),
            "back_url": reverse(back_name),
            "back_text": back_text,
        },
        status=429,
    )
    response["Retry-After"] = str(seconds)
    return response
