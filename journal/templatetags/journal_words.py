"""Template filters that say stored values in words, from journal.wording and zones."""

from django import template

from journal import zones

register = template.Library()


@register.filter
def zone_place(name: str) -> str:
    """A time zone as a place: "America/New_York" -> "New York"."""
    return zones.place(name)
