"""What a request may do: a signed-in person, and a read-only token only reads."""

from rest_framework.permissions import SAFE_METHODS, BasePermission

from .models import ApiToken


class TokenScope(BasePermission):
    """A ``read`` token may look but not change anything (403); the session may do both."""

    message = (
        "This token can only read. To log or change entries, create a token with the "
        "read+write scope in Settings, under Apps and shortcuts."
    )

    def has_permission(self, request, view):
        token = request.auth
        if request.method in SAFE_METHODS or not isinstance(token, ApiToken):
            return True
        return token.can_write
