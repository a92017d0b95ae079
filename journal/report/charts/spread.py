"""The PDF's spread chart: weeks across, body regions down, shaded by twitch-days."""

from reportlab.graphics.shapes import FILL_NON_ZERO, Drawing, Path, String
from reportlab.lib import colors

from ... import body, wording
from ...insights import RegionWeek
from ..styles import CONTENT_WIDTH, FONT, INK, MUTED, PRIMARY
from .axis import add_rectangle


def spread_chart(weeks: tuple[RegionWeek, ...], width: float = CONTENT_WIDTH) -> Drawing:
    """Weeks across, regions down; each cell shaded by the twitch-days (0-7) that week."""
    label_w = 92
    row_h = 19
    top_pad, bottom_pad = 4, 16
    height = top_pad + row_h * len(body.SPREAD_REGION_CODES) + bottom_pad
    drawing = Drawing(width, height)
    n = max(len(weeks), 1)
    cell_w = (width - label_w - 2) / n
    # The cells of each shade (0 to 7 twitch-days) in one path, outlined in white: each
    # cell outlines its own edges, so the order they are drawn in changes nothing seen.
    cells = [
        Path(
            fillColor=colors.linearlyInterpolatedColor(colors.white, PRIMARY, 0, 7, days),
            strokeColor=colors.white,
            strokeWidth=0.6 if cell_w > 4 else 0,
            fillMode=FILL_NON_ZERO,
        )
        for days in range(8)
    ]
    counts = []
    for r, code in enumerate(body.SPREAD_REGION_CODES):
        y = height - top_pad - (r + 1) * row_h
        lines = wording.region_lines(code)
        # One line sits in the middle of the row, two lines share it.
        first_baseline = y + (11 if len(lines) == 2 else 6.5)
        for n, line in enumerate(lines):
            drawing.add(
                String(
                    label_w - 4,
                    first_baseline - 8 * n,
                    line,
                    fontName=FONT,
                    fontSize=7.5,
                    fillColor=INK,
                    textAnchor="end",
                )
            )
        for c, week in enumerate(weeks):
            days = week.days.get(code, 0)
            x = label_w + c * cell_w
            add_rectangle(cells[min(days, 7)], x, y, cell_w, row_h)
            if days and cell_w >= 11:
                counts.append(
                    String(
                        x + cell_w / 2,
                        y + 6.5,
                        str(days),
                        fontName=FONT,
                        fontSize=7,
                        fillColor=colors.white if days >= 4 else INK,
                        textAnchor="middle",
                    )
                )
    for path in cells:
        if path.points:
            drawing.add(path)
    # The numbers go over the cells they count.
    for count in counts:
        drawing.add(count)
    step = max(1, -(-len(weeks) // 10))
    for c in range(0, len(weeks), step):
        start = weeks[c].start
        drawing.add(
            String(
                label_w + (c + 0.5) * cell_w,
                4,
                wording.day_month(start),
                fontName=FONT,
                fontSize=7.5,
                fillColor=MUTED,
                textAnchor="middle",
            )
        )
    return drawing
