"""Filters for pages that show insights: the aggregates carry dates as ISO strings."""

from datetime import date

from django import template

register = template.Library()


@register.filter
def isodate(value):
    """Turn "2025-03-01" into a date so the `date` filter can format it; else "" ."""
    try:
        return date.fromisoformat(value)
    except (TypeError, ValueError):
        return ""
