"""Error pages. A database outage answers 503 with a calm page instead of a 500; a
database that is there but stayed busy past the wait (a lock held too long) answers
503 with a page of its own, not the outage's. The shared cache (Redis) out of reach,
which stops signing in and the API as they count their tries there, is the outage page
too, saying which part is away."""

import sys

from django.http import HttpResponse, HttpResponseServerError
from django.template.loader import render_to_string

from ..faults import is_busy, is_cache_outage, is_outage

RETRY_AFTER_SECONDS = 30
BUSY_RETRY_AFTER_SECONDS = 5


def _unavailable(template: str, retry_after: int, context=None) -> HttpResponse:
    response = HttpResponse(render_to_string(template, context), status=503)
    response["Retry-After"] = str(retry_after)
    return response


def server_error(request):
    """Django's handler500, which runs while the failing exception is being handled.

    When that exception says the database is unreachable, the page says so and
    answers 503 with Retry-After. Django drops the broken connection at the end of
    the request and opens a new one on the next, so the app recovers by itself.
    """
    error = sys.exc_info()[1]
    if is_outage(error):
        return _unavailable("503.html", RETRY_AFTER_SECONDS)
    if is_busy(error):
        return _unavailable("503_busy.html", BUSY_RETRY_AFTER_SECONDS)
    if is_cache_outage(error):
        return _unavailable("503.html", RETRY_AFTER_SECONDS, {"unreachable": "cache"})
    return HttpResponseServerError(render_to_string("500.html"))
