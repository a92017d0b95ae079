"""Keeps signed-in sessions alive while in use, and notes when and where each was seen;
hands new recovery codes to the page that shows them."""

from . import recovery_codes, sessions


class SessionActivityMiddleware:
    """Renew the session and its last-seen record every few minutes (see sessions.py),
    and pass a new set of recovery codes on to the next page (see recovery_codes.py)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            sessions.touch_if_due(request)
        response = self.get_response(request)
        recovery_codes.pass_on(request, response)
        return response
