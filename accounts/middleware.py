"""Keeps signed-in sessions alive while in use, and notes when and where each was seen."""

from . import sessions


class SessionActivityMiddleware:
    """Renew the session and its last-seen record every few minutes (see sessions.py)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            sessions.touch_if_due(request)
        return self.get_response(request)
