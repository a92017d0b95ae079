"""Template context for the page's shell: its colour theme, and whose twitches the
offline queue on this device now keeps."""

from . import owner, theme


def appearance(request):
    """`theme`: "light", "dark" or "device" (the page follows the device's setting)."""
    return {"theme": theme.for_request(request)}


def queue_owner(request):
    """`queue_owner`: the signed-in person's mark for twitches queued offline (webapp.owner),
    which base.html hands to js/webapp.js. Worked out only by a page that shows it."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"queue_owner": lambda: owner.mark(user)}
