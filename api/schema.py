"""The OpenAPI description: the Bearer token scheme, and the error answers every
operation may give, so that a client (and schemathesis) knows each one's shape."""

from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.openapi import AutoSchema
from rest_framework import serializers


class ErrorSerializer(serializers.Serializer):
    detail = serializers.CharField(help_text="What went wrong, in one sentence.")
    errors = serializers.DictField(
        child=serializers.ListField(child=serializers.CharField()),
        required=False,
        help_text="On a 400: each field that needs fixing, with the reasons.",
    )

    class Meta:
        ref_name = "Error"


ERROR_RESPONSES = {
    "400": "A value needs fixing: `errors` names each field with the reason.",
    "401": "No token, or one that is unknown, revoked or expired.",
    "403": "A `read` token tried to change something (or a browser session without CSRF).",
    "404": "Nothing with this address exists in the journal of the token's person.",
    "406": "The Accept header asks for a format this address does not give.",
    "413": "The request body is too large.",
    "415": "The body is not JSON.",
    "429": "Too many requests with this token: wait for the seconds in Retry-After.",
}

# Only a POST takes an Idempotency-Key (api.idempotency).
IDEMPOTENCY_CONFLICT = (
    "The Idempotency-Key was sent before with a different request, or its entry has "
    "since been deleted."
)


class ApiAutoSchema(AutoSchema):
    """drf-spectacular's schema, with the shared error answers added to each operation."""

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        errors = dict(ERROR_RESPONSES)
        if self.method == "POST":
            errors["409"] = IDEMPOTENCY_CONFLICT
        for code, description in errors.items():
            if code not in responses:
                response = self._get_response_for_code(ErrorSerializer, code, direction=direction)
                response["description"] = description
                responses[code] = response
        return responses


class BearerTokenScheme(OpenApiAuthenticationExtension):
    target_class = "api.authentication.BearerTokenAuthentication"
    name = "bearerAuth"

    def get_security_definition(self, auto_schema):
        return {
            "type": "http",
            "scheme": "bearer",
            "description": (
                "A personal access token from Settings, under Apps and shortcuts: "
                "`Authorization: Bearer tl_...`."
            ),
        }
