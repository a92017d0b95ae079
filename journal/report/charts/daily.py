"""The PDF's daily chart: twitches per day as bars, with the rolling average as a line
and a triangle over each day a symptom was logged, as the trends page draws it."""

from collections.abc import Collection
from datetime import date

from reportlab.graphics.shapes import Drawing, Line, Polygon, PolyLine, Rect, String
from reportlab.lib.units import mm

from ... import wording
from ...insights import DayCount
from ..styles import AVERAGE_LINE, CONTENT_WIDTH, FONT, INK, MUTED, PRIMARY, SYMPTOM_MARK
from .axis import date_ticks, draw_axis

# The band above the bars where the symptom triangles sit, in points.
SYMPTOM_BAND = 9


def daily_chart(
    daily: tuple[DayCount, ...],
    symptom_days: Collection[date] = (),
    width: float = CONTENT_WIDTH,
) -> Drawing:
    """Twitches per day as bars, the rolling 7-day average as a line, and a triangle
    above each day in ``symptom_days``."""
    height = 58 * mm
    x0, y0 = 26, 16
    plot_w, plot_h = width - x0 - 4, height - y0 - 8 - SYMPTOM_BAND
    drawing = Drawing(width, height)
    top = draw_axis(drawing, x0, y0, plot_w, plot_h, max((d.count for d in daily), default=0))
    n = max(len(daily), 1)
    slot = plot_w / n
    bar = max(slot * 0.78, 0.3)
    # Each bar a rectangle of its own, unlike the spread chart's cells: five years of
    # bars are narrower than a screen's pixel and overlap, and a viewer shades each one
    # apart, darker than one path of them all would be.
    for i, day in enumerate(daily):
        if day.count:
            drawing.add(
                Rect(
                    x0 + i * slot + (slot - bar) / 2,
                    y0,
                    bar,
                    plot_h * day.count / top,
                    fillColor=PRIMARY,
                    strokeColor=None,
                )
            )
    points = []
    for i, day in enumerate(daily):
        points += [x0 + (i + 0.5) * slot, y0 + plot_h * day.average / top]
    if len(points) >= 4:
        drawing.add(PolyLine(points, strokeColor=AVERAGE_LINE, strokeWidth=1.4))
    _symptom_marks(drawing, daily, symptom_days, x0 + slot / 2, slot, y0 + plot_h + 2)
    days = [d.date for d in daily]
    for i in date_ticks(days) if days else ():
        x = x0 + (i + 0.5) * slot
        drawing.add(Line(x, y0, x, y0 - 3, strokeColor=INK, strokeWidth=0.5))
        label = wording.day_month(days[i])
        if i == 0 or (days[i].month == 1 and days[i].day == 1):
            label += f" {days[i].year}"
        drawing.add(
            String(
                x, y0 - 11, label, fontName=FONT, fontSize=7.5, fillColor=MUTED, textAnchor="middle"
            )
        )
    return drawing


def _symptom_marks(drawing, daily, symptom_days, first_x, slot, base) -> None:
    """A small triangle, point up, over each day a symptom was logged."""
    half = min(3.2, max(slot / 2, 1.6))
    for i, day in enumerate(daily):
        if day.date in symptom_days:
            x = first_x + i * slot
            drawing.add(
                Polygon(
                    [x - half, base, x + half, base, x, base + 2 * half],
                    fillColor=SYMPTOM_MARK,
                    strokeColor=None,
                )
            )
