"""``Authorization: Bearer <token>`` for the API; the browser's own session still works
for the app's pages (DRF's SessionAuthentication, which checks CSRF)."""

from rest_framework import exceptions
from rest_framework.authentication import BaseAuthentication, get_authorization_header

from .tokens import find_token

KEYWORD = "Bearer"


class BearerTokenAuthentication(BaseAuthentication):
    """A personal access token from Settings, sent as ``Authorization: Bearer tl_...``."""

    def authenticate(self, request):
        parts = get_authorization_header(request).split()
        if not parts or parts[0].lower() != KEYWORD.lower().encode():
            return None
        if len(parts) != 2:
            raise exceptions.AuthenticationFailed(
                "Send the token as: Authorization: Bearer followed by the token, with no spaces "
                "inside it."
            )
        try:
            text = parts[1].decode("ascii")
        except UnicodeDecodeError:
            text = ""
        token = find_token(text)
        if token is None:
            raise exceptions.AuthenticationFailed(
                "This token is not valid: it may have been revoked or have expired. "
                "Create a new one in Settings, under Apps and shortcuts."
            )
        return token.user, token

    def authenticate_header(self, request):
        # Makes a missing or refused token a 401 (with this header) rather than a 403.
        return f'{KEYWORD} realm="api"'
