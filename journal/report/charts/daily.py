"""The PDF's daily chart: twitches per day as bars, with the rolling average as a line."""

from reportlab.graphics.shapes import Drawing, Line, PolyLine, Rect, String
from reportlab.lib.units import mm

from ... import wording
from ..data import DailyCount
from ..styles import AVERAGE_LINE, CONTENT_WIDTH, FONT, INK, MUTED, PRIMARY
from .axis import date_ticks, draw_axis


def daily_chart(daily: tuple[DailyCount, ...], width: float = CONTENT_WIDTH) -> Drawing:
    """Twitches per day as bars, with the rolling 7-day average as a line."""
    height = 58 * mm
    x0, y0 = 26, 16
    plot_w, plot_h = width - x0 - 4, height - y0 - 8
    drawing = Drawing(width, height)
    top = draw_axis(drawing, x0, y0, plot_w, plot_h, max((d.count for d in daily), default=0))
    n = max(len(daily), 1)
    slot = plot_w / n
    bar = max(slot * 0.78, 0.3)
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
    days = [d.day for d in daily]
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
