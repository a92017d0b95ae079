"""The ``Idempotency-Key`` header: a POST sent again with its key writes nothing more and
answers with the entry the first one saved, as the forms' one-time keys do (journal.once,
one mechanism for both). A phone shortcut that retries after a timeout, or an app that
sends its offline queue again, cannot log one twitch twice.

The key stands for one request: sent again with another body, or to another address,
it is refused (409) rather than taken for a new entry. So is a key whose entry has since
been deleted. A replayed answer carries ``Idempotent-Replayed: true``.
"""

from __future__ import annotations

import json

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter
from rest_framework import exceptions, status
from rest_framework.response import Response

from journal import once

HEADER = "Idempotency-Key"
REPLAYED_HEADER = "Idempotent-Replayed"
BAD_KEY = (
    f"Send {HEADER} as 8 to 100 visible ASCII characters (letters, digits, punctuation), "
    "such as a UUID."
)
OTHER_REQUEST = (
    f"This {HEADER} was sent before with a different request. Send a new key for a new entry."
)
DELETED = f"The entry first saved with this {HEADER} has since been deleted."

PARAMETER = OpenApiParameter(
    HEADER,
    OpenApiTypes.STR,
    location=OpenApiParameter.HEADER,
    pattern=r"^[!-~]{8,100}$",
    description=(
        "Optional. A key of your own for this request (a UUID, say). Sent again with the "
        "same key, the request writes nothing more and answers with the entry the first "
        "one saved (Idempotent-Replayed: true); with another body, it is refused (409)."
    ),
)


class Conflict(exceptions.APIException):
    status_code = status.HTTP_409_CONFLICT
    default_code = "conflict"


def claim(request) -> once.Claim | None:
    """The request's claim on its key, or None when it sends no ``Idempotency-Key``."""
    key = request.headers.get(HEADER)
    if key is None:
        return None
    if not once.is_key(key):
        raise exceptions.ValidationError({HEADER: [BAD_KEY]})
    content = json.dumps(request.data, sort_keys=True, separators=(",", ":"))
    return once.api_claim(key, request.method, request.path, content.encode())


def replay(saved, request_claim: once.Claim, serializer_class, context) -> Response:
    """The answer the first request with this key gave: its entry, as it is now."""
    if saved.fingerprint != request_claim.fingerprint:
        raise Conflict(OTHER_REQUEST)
    entry = once.entry_of(saved)
    if entry is None:
        raise Conflict(DELETED)
    response = Response(serializer_class(entry, context=context).data, status.HTTP_201_CREATED)
    response[REPLAYED_HEADER] = "true"
    return response


def save_once(request, request_claim, save, serializer_class, context) -> Response | None:
    """Save one entry with ``save()`` under ``request_claim`` (journal.once) and answer
    201 with it; the first request's entry when the key saved meanwhile; None when there
    was nothing to save.

    The answer's data is read inside the save's transaction: after the commit nothing
    needs the database, so a save the database committed is never answered with an error.
    """
    answer = {}

    def save_and_read():
        entry = save()
        if entry is not None:
            answer["data"] = serializer_class(entry, context=context).data
        return entry

    entry, saved = once.save_once(request.user, request_claim, save_and_read)
    if saved is not None:
        return replay(saved, request_claim, serializer_class, context)
    if entry is None:
        return None
    return Response(answer["data"], status.HTTP_201_CREATED)
