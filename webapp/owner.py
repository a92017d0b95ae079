"""Who logged a twitch kept in the device's offline queue (js/queue.js), without saying who.

A phone can be shared, and a session can end while twitches wait on it. Each queued
twitch carries its owner's mark, and is sent only while that same person is signed in,
so one person's twitch never lands in another's journal. The mark is an HMAC of the
person's id under the site's secret key: the same for one person on every device and in
every session, different for every person, and neither guessable from another's nor a
clue to who it stands for (it is not the email, and the id is not in it).

A key rotated through SECRET_KEY_FALLBACKS leaves marks made under the old key
recognised, so a twitch queued before the rotation is still sent to its owner.
"""

from django.conf import settings
from django.utils.crypto import constant_time_compare, salted_hmac

SALT = "webapp.owner.queued-twitch"
# The header the offline queue sends its twitch's mark in (api.views refuses a mismatch).
HEADER = "X-Queued-By"


def _mark(user, secret) -> str:
    return salted_hmac(SALT, str(user.pk), secret=secret, algorithm="sha256").hexdigest()[:32]


def mark(user) -> str:
    """The mark the pages give this person's queued twitches."""
    return _mark(user, settings.SECRET_KEY)


def marks(user) -> list[str]:
    """Every mark that stands for this person: the current key's first, then the old keys'."""
    return [mark(user), *(_mark(user, old) for old in settings.SECRET_KEY_FALLBACKS)]


def is_theirs(user, value: str) -> bool:
    """Whether a queued twitch's mark is this person's."""
    return any(constant_time_compare(value, own) for own in marks(user))
