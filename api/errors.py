"""Every API error as one small JSON shape: ``{"detail": ..., "errors": {field: [...]}}``.

``detail`` is one sentence for people; ``errors`` (on a 400 only) names each field that
needs fixing with the reason, in the same words as the app's forms.
"""

from django.core.exceptions import PermissionDenied, RequestDataTooBig
from django.http import Http404
from rest_framework import exceptions
from rest_framework.views import exception_handler as drf_exception_handler

from journal import limits

from .parsers import RequestTooLarge

VALIDATION_DETAIL = "Some values need fixing: each field is named with the reason."
NOT_FOUND = "Nothing with this address exists in your journal."


def exception_handler(exc, context):
    if isinstance(exc, Http404):
        exc = exceptions.NotFound(NOT_FOUND)
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied()
    elif isinstance(exc, RequestDataTooBig):
        # Past DATA_UPLOAD_MAX_MEMORY_SIZE Django refuses to read the body at all.
        exc = RequestTooLarge()
    elif isinstance(exc, exceptions.Throttled) and not isinstance(exc, PersonLimited):
        seconds = exc.wait and max(1, round(exc.wait))
        exc.detail = throttled_detail(seconds)
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, exceptions.ValidationError):
        response.data = {"detail": VALIDATION_DETAIL, "errors": field_errors(response.data)}
    elif isinstance(response.data, dict) and "detail" in response.data:
        response.data = {"detail": str(response.data["detail"])}
    return response


class PersonLimited(exceptions.Throttled):
    """A per-person limit on heavy work (journal.limits): 429 with Retry-After, saying
    which limit and when the next is allowed."""

    def __init__(self, action: str, seconds: int):
        super().__init__(wait=seconds)
        unit = "second" if seconds == 1 else "seconds"
        self.detail = exceptions.ErrorDetail(
            f"{limits.done_sentence(action)}, the most for now. Try again in {seconds} {unit}.",
            code=self.default_code,
        )


def throttled_detail(seconds: int | None) -> str:
    if not seconds:
        return "Too many requests in a short time. Try again shortly."
    unit = "second" if seconds == 1 else "seconds"
    return f"Too many requests in a short time. Try again in {seconds} {unit}."


def field_errors(data) -> dict[str, list[str]]:
    """DRF's error data (a list, or fields holding lists or nested dicts) as field -> texts."""
    if not isinstance(data, dict):
        data = {"non_field_errors": data}
    return {str(name): _texts(value) for name, value in data.items()}


def _texts(value) -> list[str]:
    if isinstance(value, dict):
        return [text for item in value.values() for text in _texts(item)]
    if isinstance(value, list | tuple):
        return [text for item in value for text in _texts(item)]
    return [str(value)]
