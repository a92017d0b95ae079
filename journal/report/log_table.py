"""The PDF's entry log: every twitch of the period, a month at a time, in a light table
whose header repeats on every page it spans."""

import functools
import itertools
from dataclasses import dataclass
from xml.sax.saxutils import escape

from reportlab.lib.units import mm
from reportlab.lib.utils import simpleSplit
from reportlab.pdfbase import pdfmetrics
from reportlab.platypus import CondPageBreak, Flowable

from .. import body, wording
from .data import LogRow, ReportData
from .styles import (
    CONTENT_WIDTH,
    FONT,
    FONT_BOLD,
    H2,
    H3,
    INK,
    NO_TWITCHES,
    PRIMARY,
    RULE_GREY,
    SMALL,
    TINT,
    ZEBRA,
    para,
)

_TRIGGER_LABELS = dict(body.TRIGGERS)

# Entry log columns: (header, width in points). Notes get whatever width is left.
_LOG_COLUMNS = (
    ("Date", 58),
    ("Time", 31),
    ("Place", 70),
    ("Side", 38),
    ("Duration", 75),  # "several minutes" on one line
    ("Intensity", 48),
    ("Triggers", 110),
)
_LOG_WIDTHS = [w for _, w in _LOG_COLUMNS] + [CONTENT_WIDTH - sum(w for _, w in _LOG_COLUMNS)]
_LOG_HEADER = [h for h, _ in _LOG_COLUMNS] + ["Notes"]


def wrap_text(text: str, width: float, size: float = 8.5) -> str:
    """``text`` broken into lines that fit ``width`` points, joined by newlines.

    Tables lay out plain multi-line strings many times faster than Paragraphs, which
    matters for a dense year's log of ~7,000 rows. Words longer than a line (a pasted
    link, say) are cut so nothing runs into the next column.
    """
    if not text:
        return ""
    # Most cells (a number, a date, a short place) fit on one line as they are: one
    # width sum instead of a split into words. The split folds runs of spaces (and keeps
    # line breaks), so only text it would leave as it is takes this way.
    if pdfmetrics.stringWidth(text, FONT, size) <= width and " ".join(text.split()) == text:
        return text
    lines = []
    for line in simpleSplit(text, FONT, size, width):
        if pdfmetrics.stringWidth(line, FONT, size) <= width:
            lines.append(line)
            continue
        current, used = "", 0.0
        for char in line:
            char_width = pdfmetrics.stringWidth(char, FONT, size)
            if current and used + char_width > width:
                lines.append(current)
                current, used = "", 0.0
            current += char
            used += char_width
        lines.append(current)
    return "\n".join(lines)


# Places and trigger lists repeat on thousands of rows: wrap each distinct one once.
@functools.lru_cache(maxsize=4096)
def _cell(text: str, width: float) -> str:
    return wrap_text(text, width - 2 * LOG_PADDING)


@dataclass(frozen=True)
class TextSize:
    """A light table's type: font size, line height and the padding around each cell."""

    size: float
    leading: float
    padding: float


LOG_TEXT = TextSize(8.5, 10.2, 3)
LOG_PADDING = LOG_TEXT.padding
# A row taller than a page could never be placed, so very long notes continue on
# extra rows; 50 lines of notes is most of a page.
MAX_LINES_PER_ROW = 50


class LogTable(Flowable):
    """The entry log as one light flowable: a header row repeated on every page it spans.

    ReportLab's Table re-measures every remaining row each time it splits across a
    page and draws each cell as its own text object, which costs seconds for a dense
    year. Here every cell is plain text already wrapped to its column, row heights
    are known up front, a split only slices the row list, and each page's text goes
    into a single text object.
    """

    def __init__(self, header, rows, widths, heights=None, text: TextSize = LOG_TEXT):
        super().__init__()
        self.header = header
        self.rows = rows
        self.widths = widths
        self.text = text
        self.heights = heights if heights is not None else [_row_height(r, text) for r in rows]
        self.header_height = _row_height(header, text)

    def wrap(self, available_width, available_height):
        self.width = sum(self.widths)
        self.height = self.header_height + sum(self.heights)
        return self.width, self.height

    def split(self, available_width, available_height):
        room = available_height - self.header_height
        fits = 0
        for height in self.heights:
            if room < height:
                break
            room -= height
            fits += 1
        if fits == 0:
            return []
        if fits == len(self.rows):
            return [self]
        return [
            LogTable(self.header, self.rows[:fits], self.widths, self.heights[:fits], self.text),
            LogTable(self.header, self.rows[fits:], self.widths, self.heights[fits:], self.text),
        ]

    def draw(self):
        canv = self.canv
        lefts = list(itertools.accumulate([0, *self.widths[:-1]]))
        top = self.height
        canv.saveState()
        canv.setFillColor(TINT)
        canv.rect(0, top - self.header_height, self.width, self.header_height, stroke=0, fill=1)
        canv.setFillColor(ZEBRA)
        y = top - self.header_height
        bottoms = []
        for n, height in enumerate(self.heights):
            y -= height
            bottoms.append(y)
            if n % 2:
                canv.rect(0, y, self.width, height, stroke=0, fill=1)
        canv.setStrokeColor(RULE_GREY)
        canv.setLineWidth(0.25)
        canv.lines([(0, b, self.width, b) for b in bottoms])
        canv.setStrokeColor(PRIMARY)
        canv.setLineWidth(0.8)
        canv.line(0, top - self.header_height, self.width, top - self.header_height)

        size = self.text
        text = canv.beginText()
        text.setFillColor(INK)
        text.setFont(FONT_BOLD, size.size, size.leading)
        _cells_into(text, self.header, lefts, top, size)
        text.setFont(FONT, size.size, size.leading)
        row_top = top - self.header_height
        previous_day = None
        for row, height in zip(self.rows, self.heights, strict=True):
            # The date heads each day's first row on a page; the rows after it leave it
            # blank, which groups a day's entries and keeps the page quicker to scan.
            day, *rest = row
            _cells_into(text, ["" if day == previous_day else day, *rest], lefts, row_top, size)
            previous_day = day
            row_top -= height
        canv.drawText(text)
        canv.restoreState()


def _row_height(row, size: TextSize) -> float:
    lines = max(cell.count("\n") for cell in row) + 1
    return lines * size.leading + 2 * size.padding


def _cells_into(text, row, lefts, row_top: float, size: TextSize) -> None:
    baseline = row_top - size.padding - size.size
    for left, cell in zip(lefts, row, strict=True):
        if cell:
            text.setTextOrigin(left + size.padding, baseline)
            for line in cell.split("\n"):
                text.textLine(line)


def _log_rows(row: LogRow) -> list[list[str]]:
    """One entry as one table row, or several when its notes run longer than a page."""
    when = row.when
    cells = [
        wording.weekday_day_month(when),
        f"{when:%H:%M}",
        _cell(body.location_label(row.location), _LOG_WIDTHS[2]),
        wording.side_short_name(row.side),
        _cell(wording.duration_text(row.duration_seconds), _LOG_WIDTHS[4]),
        wording.strength_name(row.intensity),
        _cell(", ".join(_TRIGGER_LABELS.get(t, t) for t in row.triggers), _LOG_WIDTHS[6]),
        _cell(row.notes, _LOG_WIDTHS[7]),
    ]
    notes = cells[-1].split("\n")
    if len(notes) <= MAX_LINES_PER_ROW:
        return [cells]
    rows = [[*cells[:-1], "\n".join(notes[:MAX_LINES_PER_ROW])]]
    for first in range(MAX_LINES_PER_ROW, len(notes), MAX_LINES_PER_ROW):
        chunk = "\n".join(notes[first : first + MAX_LINES_PER_ROW])
        rows.append([cells[0], cells[1], "(notes continued)", "", "", "", "", chunk])
    return rows


def entry_log(data: ReportData) -> list:
    story = [CondPageBreak(70 * mm), para("Entry log", H2)]
    if not data.log:
        story.append(para(NO_TWITCHES))
        return story
    listed = len(data.log)
    total = data.figures.twitches
    count = wording.plural(listed, "twitch", "twitches")
    if listed < total:
        count = (
            f"The latest {count} of the {total:,} in this period (the most this summary "
            f"lists; the table of each day above counts them all)"
        )
    story.append(para(f"{count}, oldest first, times in {escape(data.time_zone)}.", SMALL))
    # A heading per month helps the clinician find a date; every page a month spans
    # repeats the column headers.
    for (year, month), entries in itertools.groupby(
        data.log, key=lambda r: (r.when.year, r.when.month)
    ):
        rows = [cells for entry in entries for cells in _log_rows(entry)]
        story.append(CondPageBreak(30 * mm))
        story.append(para(wording.month_year(year, month), H3))
        story.append(LogTable(_LOG_HEADER, rows, _LOG_WIDTHS))
    return story
