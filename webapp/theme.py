"""The person's theme for each page, read from their session rather than the database.

Every page shows the theme, so it is copied into the session when the person signs in
and when they change it in Settings: pages cost no extra query.
"""

from .models import Appearance

SESSION_KEY = "webapp_theme"


def stored_theme(user) -> str:
    """The theme the person chose, or "device" when they never chose one. One query."""
    row = Appearance.objects.filter(user=user).values_list("theme", flat=True).first()
    return row or Appearance.Theme.DEVICE


def remember(session, theme: str) -> None:
    """Keep the person's theme in their session for the pages that follow."""
    session[SESSION_KEY] = theme


def for_request(request) -> str:
    """The theme of this page: the signed-in person's, or the device's for visitors."""
    session = getattr(request, "session", None)
    user = getattr(request, "user", None)
    if session is None or user is None or not user.is_authenticated:
        return Appearance.Theme.DEVICE
    theme = session.get(SESSION_KEY)
    if theme not in Appearance.Theme.values:
        # A session from before themes existed: read it once, then keep it.
        theme = stored_theme(user)
        remember(session, theme)
    return theme
