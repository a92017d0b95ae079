"""Error pages. A database outage answers 503 with a calm page instead of a 500; a
database that is there but stayed busy past the wait (a lock held too long) answers
503 with a page of its own, not the outage's. The shared cache (Redis) out of reach,
which stops signing in and the API as they count their tries there, is the outage page
too, saying which part is away. The API answers each of these in its own shape, JSON with
one ``detail`` sentence, so a client reads the reason as it reads any other error."""

import sys

from django.http import HttpResponse, HttpResponseServerError, JsonResponse
from django.template.loader import render_to_string

from ..faults import is_busy, is_cache_outage, is_outage

RETRY_AFTER_SECONDS = 30
BUSY_RETRY_AFTER_SECONDS = 5

# The API's addresses (api/urls.py), whose clients read JSON rather than a page.
API_PATH_PREFIX = "/api/v1/"

# What the API says for each 503, in the words of the pages above.
API_UNREACHABLE = (
    "TwitchLog cannot reach its database just now. Nothing saved before is lost. "
    "Please try again in a minute."
)
API_CACHE_UNREACHABLE = (
    "TwitchLog cannot reach one of the services it needs to check requests just now. "
    "Nothing saved before is lost. Please try again in a minute."
)
API_BUSY = (
    "TwitchLog was too busy to finish this just now. Nothing saved before is lost. "
    "Please try again in a few seconds."
)
API_SERVER_ERROR = (
    "Something went wrong on our side. Please try again; if it keeps happening, "
    "the problem has been logged."
)


def _is_api(request) -> bool:
    return request.path_info.startswith(API_PATH_PREFIX)


def _unavailable(
    request, template: str, detail: str, retry_after: int, context=None
) -> HttpResponse:
    if _is_api(request):
        response = JsonResponse({"detail": detail}, status=503)
    else:
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
        return _unavailable(request, "503.html", API_UNREACHABLE, RETRY_AFTER_SECONDS)
    if is_busy(error):
        return _unavailable(request, "503_busy.html", API_BUSY, BUSY_RETRY_AFTER_SECONDS)
    if is_cache_outage(error):
        return _unavailable(
            request,
            "503.html",
            API_CACHE_UNREACHABLE,
            RETRY_AFTER_SECONDS,
            {"unreachable": "cache"},
        )
    if _is_api(request):
        return JsonResponse({"detail": API_SERVER_ERROR}, status=500)
    return HttpResponseServerError(render_to_string("500.html"))
