"""Template context shared by every page."""

from django.urls import reverse

# The main navigation, in order: (URL name, label). Home is always first.
NAV = (
    ("log", "Log"),
    ("journal", "Journal"),
    ("trends", "Trends"),
    ("flags", "Flags"),
    ("report", "Report"),
    ("export", "Export"),
    ("settings", "Settings"),
)


def navigation(request):
    """The signed-in nav bar's items, marking the current page."""
    if not request.user.is_authenticated:
        return {}
    items = []
    for name, label in NAV:
        url = reverse(name)
        items.append({"url": url, "label": label, "active": request.path.startswith(url)})
    return {"nav_items": items}
