"""JSON request bodies, refused calmly (413) above a size no entry comes near."""

import io

from django.conf import settings
from rest_framework import exceptions, status
from rest_framework.parsers import JSONParser


class RequestTooLarge(exceptions.APIException):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_code = "too_large"

    def __init__(self):
        limit = settings.API_MAX_BODY_BYTES // 1024
        super().__init__(f"The request body is larger than {limit} KB. Send one entry at a time.")


class LimitedJSONParser(JSONParser):
    """DRF's JSON parser, reading at most API_MAX_BODY_BYTES.

    DRF hands it Django's request.body, which Django reads into memory only up to
    DATA_UPLOAD_MAX_MEMORY_SIZE; a larger body raises RequestDataTooBig, which
    errors.exception_handler answers with the same 413."""

    def parse(self, stream, media_type=None, parser_context=None):
        limit = settings.API_MAX_BODY_BYTES
        request = (parser_context or {}).get("request")
        length = request.META.get("CONTENT_LENGTH") if request is not None else None
        try:
            if length and int(length) > limit:
                raise RequestTooLarge()
        except ValueError:
            pass
        body = stream.read(limit + 1)
        if len(body) > limit:
            raise RequestTooLarge()
        return super().parse(io.BytesIO(body), media_type, parser_context)
