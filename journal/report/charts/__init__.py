"""The PDF's charts, one module each, drawn as vector graphics from plain data."""

from .axis import axis_steps
from .daily import daily_chart
from .hourly import hourly_chart
from .spread import spread_chart

__all__ = ["axis_steps", "daily_chart", "hourly_chart", "spread_chart"]
