"""A save happens once: one-time keys for the entry forms and the API.

Every entry form carries a key rendered with it (``{% one_time_key %}``), and an API
request may send one in its ``Idempotency-Key`` header. The first save with a key
claims it (a ``OneTimeKey`` row, unique per person) in the same transaction that
writes the entry. A second request with the key (a double tap, a retried request, a
form sent again from the back button) finds the entry the first one saved and writes
nothing, even when both arrive at once: the database lets only one transaction claim
the key, and the other then reads what it saved.

A form's key is stored together with a digest of what the form sent: the same form
sent twice is one save, while a form the person went back to and changed is a new
one. An API key means one request: sent again with another body, it is refused.
"""

from __future__ import annotations

import datetime
import hashlib
import re
import secrets
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from .models import DailyCheckIn, OneTimeKey, SymptomEntry, TwitchEntry

# The form field that carries the key.
FIELD = "one_time_key"
# What a key may be: visible ASCII, as an HTTP header can carry it (a UUID fits).
KEY_PATTERN = re.compile(r"[\x21-\x7e]{8,100}")
# Fields a form sends that say nothing about the entry.
_NOT_CONTENT = {"csrfmiddlewaretoken", FIELD}

MODELS = {
    OneTimeKey.Kind.TWITCH: TwitchEntry,
    OneTimeKey.Kind.SYMPTOM: SymptomEntry,
    OneTimeKey.Kind.CHECKIN: DailyCheckIn,
}
KINDS = {model: kind for kind, model in MODELS.items()}


@dataclass(frozen=True)
class Claim:
    """A key as it is stored, and the digest of the request it came with."""

    key: str
    fingerprint: str = ""


def new_key() -> str:
    """A fresh key for a form about to be shown."""
    return secrets.token_urlsafe(18)


def is_key(text: str | None) -> bool:
    return bool(text) and KEY_PATTERN.fullmatch(text) is not None


def _digest(*parts: bytes) -> str:
    digest = hashlib.sha256()
    for part in parts:
        digest.update(len(part).to_bytes(8, "big"))
        digest.update(part)
    return digest.hexdigest()


def form_claim(request) -> Claim | None:
    """The claim of a form's POST: its key with its address and everything else it
    sent, or None when it carries no key (a page from before keys, a hand-made request)."""
    key = request.POST.get(FIELD)
    if not is_key(key):
        return None
    content = sorted(
        (name, value)
        for name, values in request.POST.lists()
        if name not in _NOT_CONTENT
        for value in values
    )
    parts = [key, request.path, *(f"{name}={value}" for name, value in content)]
    return Claim("form-" + _digest(*(part.encode("utf-8", "surrogatepass") for part in parts)))


def api_claim(key: str, method: str, path: str, content: bytes) -> Claim:
    """The claim of an API request with an ``Idempotency-Key`` (checked by the caller):
    the key itself, and a digest of the request it came with."""
    return Claim("api-" + key, _digest(method.encode(), path.encode(), content))


def earlier(user, claim: Claim | None) -> OneTimeKey | None:
    """The save already made with this claim's key, if there is one."""
    if claim is None:
        return None
    return OneTimeKey.objects.filter(user=user, key=claim.key).first()


def entry_of(saved: OneTimeKey):
    """The entry a key saved, as it is now; None when it has since been deleted."""
    return MODELS[saved.kind].objects.filter(user_id=saved.user_id, pk=saved.entry_id).first()


def save_once(user, claim: Claim | None, save: Callable[[], object]):
    """Run ``save`` (which writes one entry and returns it) unless ``claim``'s key
    already saved one; returns ``(entry, earlier)``, ``earlier`` being the key's row
    when it had (and then nothing was written), else None.

    The entry and the key are written in one transaction. When two requests with one
    key run at once, the database holds the second's claim until the first commits,
    then refuses it: the second's entry is rolled back and the first's returned.
    ``save`` may return None (nothing to save); then nothing is claimed.
    """
    if claim is None:
        with transaction.atomic():
            return save(), None
    try:
        with transaction.atomic():
            entry = save()
            if entry is not None:
                OneTimeKey.objects.create(
                    user=user,
                    key=claim.key,
                    fingerprint=claim.fingerprint,
                    kind=KINDS[type(entry)],
                    entry_id=entry.pk,
                )
            return entry, None
    except IntegrityError:
        saved = earlier(user, claim)
        if saved is None:
            raise
        return entry_of(saved), saved


def purge_old(now=None) -> int:
    """Delete keys older than ``ONE_TIME_KEY_DAYS``; how many went (``manage.py purge``).

    A request sent again after that long saves again: by then a retry is not one.
    """
    now = now or timezone.now()
    cutoff = now - datetime.timedelta(days=settings.ONE_TIME_KEY_DAYS)
    deleted, _ = OneTimeKey.objects.filter(created_at__lt=cutoff).delete()
    return deleted
