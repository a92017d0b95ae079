"""Throttles on top of allauth's rate limits: the extra sign-in counter per address and
account together, and how long until a limit lets someone try again.

Counts live in the default cache (Redis when REDIS_URL is set, so every worker process
shares them). The limits themselves are settings.ACCOUNT_RATE_LIMITS.
"""

import math
import time

from allauth.core.internal import ratelimit
from django.core.cache import cache

APP = "allauth.account"
SIGN_IN_FAILED = "login_failed"
SIGN_IN_FAILED_PAIR = "login_failed_pair"


def _history(request, action: str, rate, key, user) -> list[float]:
    cache_key = ratelimit.get_cache_key(
        request, app=APP, action=action, rate=rate, key=key, user=user
    )
    return cache.get(cache_key, [])


def seconds_until_allowed(request, action: str, *, key=None, user=None) -> int | None:
    """How long until `action` is allowed again, in whole seconds; None when it is now.

    Only the limits that can be told apart for this request count: a per-key limit
    needs the key, a per-user limit a signed-in person (or `user`).
    """
    now = time.time()
    longest = None
    for rate in ratelimit.get_rates(app=APP, action=action):
        if rate.per == "key" and key is None:
            continue
        if rate.per == "user" and user is None and not request.user.is_authenticated:
            continue
        history = [
            at for at in _history(request, action, rate, key, user) if at > now - rate.duration
        ]
        if len(history) < rate.amount:
            continue
        # Allowed again once the oldest hit that still fills the limit drops out.
        free_at = sorted(history, reverse=True)[rate.amount - 1] + rate.duration
        wait = max(1, math.ceil(free_at - now))
        longest = wait if longest is None else max(longest, wait)
    return longest


def longest_window(action: str) -> int:
    """The longest period, in seconds, any of `action`'s limits counts over."""
    return max(
        (int(rate.duration) for rate in ratelimit.get_rates(app=APP, action=action)), default=0
    )


def wait_in_words(seconds: int | None) -> str:
    """ "in about 12 minutes", "in about an hour", "in a minute or so"."""
    if not seconds or seconds <= 60:
        return "in a minute or so"
    minutes = math.ceil(seconds / 60)
    if minutes < 60:
        return f"in about {minutes} minutes"
    hours = round(minutes / 60)
    return "in about an hour" if hours == 1 else f"in about {hours} hours"


def pair_key(request, login: str) -> str:
    """The key of the per-address-and-account counter."""
    return f"{ratelimit.get_ip(request)}|{login.lower()}"


def consume_sign_in(request, account_key: str, login: str):
    """Count one sign-in attempt against every sign-in limit; returns the usages to roll
    back if the password turns out right, or raises `Locked` naming the wait."""
    usages = []
    for action, key in (
        (SIGN_IN_FAILED, account_key),
        (SIGN_IN_FAILED_PAIR, pair_key(request, login)),
    ):
        usage = ratelimit.consume(request, app=APP, action=action, key=key)
        if usage is None:
            for earlier in usages:
                earlier.rollback()
            raise Locked(
                max(
                    seconds_until_allowed(request, SIGN_IN_FAILED, key=account_key) or 0,
                    seconds_until_allowed(
                        request, SIGN_IN_FAILED_PAIR, key=pair_key(request, login)
                    )
                    or 0,
                )
            )
        usages.append(usage)
    return ratelimit.RateLimitUsage(usage=[one for usage in usages for one in usage.usage])


def clear_pair(request, login: str) -> None:
    """Forget this address's failed attempts on this account (after a password reset)."""
    ratelimit.clear(request, app=APP, action=SIGN_IN_FAILED_PAIR, key=pair_key(request, login))


class Locked(Exception):
    """Signing in (or any password check) is paused for this account or address."""

    def __init__(self, seconds: int):
        super().__init__(seconds)
        self.seconds = seconds
