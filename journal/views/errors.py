"""Error pages. A database outage answers 503 with a calm page instead of a 500."""

import sys

from django.db import InterfaceError, OperationalError
from django.http import HttpResponse, HttpResponseServerError
from django.template.loader import render_to_string

RETRY_AFTER_SECONDS = 30


def server_error(request):
    """Django's handler500, which runs while the failing exception is being handled.

    When that exception says the database is unreachable, the page says so and
    answers 503 with Retry-After. Django drops the broken connection at the end of
    the request and opens a new one on the next, so the app recovers by itself.
    """
    if isinstance(sys.exc_info()[1], OperationalError | InterfaceError):
        response = HttpResponse(render_to_string("503.html"), status=503)
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        return response
    return HttpResponseServerError(render_to_string("500.html"))
