"""What the PDF's charts share: whole-number gridlines, the dates along a time axis, and
rectangles gathered into one path."""

from datetime import date

from reportlab.graphics.shapes import Drawing, Line, Path, String

from ..styles import FONT, INK, MUTED, RULE_GREY

MAX_AXIS_STEPS = 5


def axis_steps(peak: int) -> tuple[int, int]:
    """Whole-number gridlines for counts up to ``peak``: (step, top), at most 5 steps.

    The step is 1, 2 or 5 times a power of ten, so labels read 0, 5, 10, 15, 20, 25.
    """
    peak = max(peak, 1)
    scale = 1
    while True:
        for factor in (1, 2, 5):
            step = factor * scale
            if -(-peak // step) <= MAX_AXIS_STEPS:
                return step, step * -(-peak // step)
        scale *= 10


def draw_axis(
    drawing: Drawing, x0: float, y0: float, width: float, height: float, peak: int
) -> int:
    """Draw the gridlines with their values and the baseline; return the axis top."""
    step, top = axis_steps(peak)
    for value in range(0, top + 1, step):
        y = y0 + height * value / top
        drawing.add(Line(x0, y, x0 + width, y, strokeColor=RULE_GREY, strokeWidth=0.4))
        drawing.add(
            String(
                x0 - 3,
                y - 3,
                str(value),
                fontName=FONT,
                fontSize=7.5,
                fillColor=MUTED,
                textAnchor="end",
            )
        )
    drawing.add(Line(x0, y0, x0 + width, y0, strokeColor=INK, strokeWidth=0.7))
    return top


def date_ticks(days: list[date]) -> list[int]:
    """Indexes of days to label: month starts for long periods, else Mondays, at most ~12."""
    if len(days) > 62:
        marks = [i for i, d in enumerate(days) if d.day == 1]
    else:
        marks = [i for i, d in enumerate(days) if d.weekday() == 0]
    if not marks:
        marks = [0]
    step = max(1, -(-len(marks) // 12))
    return marks[::step]


def add_rectangle(path: Path, x: float, y: float, width: float, height: float) -> None:
    """Add a rectangle to ``path`` as a closed subpath of its own: many rectangles of one
    colour drawn as one path print as the same rectangles, in a fraction of the time."""
    path.moveTo(x, y)
    path.lineTo(x + width, y)
    path.lineTo(x + width, y + height)
    path.lineTo(x, y + height)
    path.closePath()
