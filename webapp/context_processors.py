"""Template context for the page's shell: its colour theme."""

from . import theme


def appearance(request):
    """`theme`: "light", "dark" or "device" (the page follows the device's setting)."""
    return {"theme": theme.for_request(request)}
