"""The PDF's time-of-day chart: twitches by local hour, midnight first."""

from reportlab.graphics.shapes import Drawing, Rect, String
from reportlab.lib.units import mm

from ..styles import CONTENT_WIDTH, FONT, INK, MUTED, PRIMARY
from .axis import draw_axis


def hourly_chart(hourly: tuple[int, ...], width: float = CONTENT_WIDTH) -> Drawing:
    """Twitches by local hour: 24 bars, midnight first."""
    height = 44 * mm
    x0, y0 = 26, 14
    plot_w, plot_h = width - x0 - 4, height - y0 - 10
    drawing = Drawing(width, height)
    top = draw_axis(drawing, x0, y0, plot_w, plot_h, max(hourly, default=0))
    slot = plot_w / 24
    for hour, count in enumerate(hourly):
        x = x0 + hour * slot
        if count:
            drawing.add(
                Rect(
                    x + slot * 0.12,
                    y0,
                    slot * 0.76,
                    plot_h * count / top,
                    fillColor=PRIMARY,
                    strokeColor=None,
                )
            )
            drawing.add(
                String(
                    x + slot / 2,
                    y0 + plot_h * count / top + 2,
                    str(count),
                    fontName=FONT,
                    fontSize=6.5,
                    fillColor=INK,
                    textAnchor="middle",
                )
            )
        if hour % 3 == 0:
            drawing.add(
                String(
                    x + slot / 2,
                    y0 - 10,
                    f"{hour:02d}:00",
                    fontName=FONT,
                    fontSize=7.5,
                    fillColor=MUTED,
                    textAnchor="middle",
                )
            )
    return drawing
