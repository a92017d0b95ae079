"""The PDF as a document: its pages in order, and the footer that numbers them.

Page 1 is the one-minute summary (``summary``); then the charts (``charts``), the body
map, the table of each day and the symptom table (``tables``), and, when the person asked
for it, the entry log (``log_table``).
"""

import functools
from datetime import date
from io import BytesIO

from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfgen import canvas
from reportlab.platypus import BaseDocTemplate, Frame, KeepTogether, PageTemplate

from .charts import daily_chart, hourly_chart, spread_chart
from .data import ReportData
from .log_table import entry_log
from .styles import (
    FONT,
    FOOTER_SPACE,
    H2,
    MARGIN,
    MUTED,
    NO_TWITCHES,
    NOT_A_DIAGNOSIS,
    PAGE_WIDTH,
    RULE_GREY,
    SMALL,
    para,
)
from .summary import first_page
from .tables import body_map_table, day_table, symptom_table


def report_filename(start: date, end: date) -> str:
    """The download's name, dated by its period."""
    return f"twitchlog-summary-{start.isoformat()}-to-{end.isoformat()}.pdf"


class _NumberedCanvas(canvas.Canvas):
    """A canvas that holds every page until the end, so each footer can say "of N".

    The standard two-pass trick: ``showPage`` saves the page's state instead of
    emitting it, and ``save`` replays the pages with the total known.
    """

    def __init__(self, *args, footer: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self._footer = footer
        self._pages: list[dict] = []

    def showPage(self):
        self._pages.append(dict(self.__dict__))
        self._startPage()

    def save(self):
        total = len(self._pages)
        for number, state in enumerate(self._pages, start=1):
            self.__dict__.update(state)
            self._draw_footer(number, total)
            super().showPage()
        super().save()

    def _draw_footer(self, number: int, total: int) -> None:
        self.saveState()
        self.setStrokeColor(RULE_GREY)
        self.setLineWidth(0.5)
        y = MARGIN + 4 * mm
        self.line(MARGIN, y + 3.5 * mm, PAGE_WIDTH - MARGIN, y + 3.5 * mm)
        self.setFont(FONT, 8.5)
        self.setFillColor(MUTED)
        self.drawString(MARGIN, y, self._footer)
        self.drawRightString(PAGE_WIDTH - MARGIN, y, f"Page {number} of {total}")
        self.restoreState()


def _charts(data: ReportData) -> list:
    story = [para("Twitches per day", H2)]
    if data.figures.twitches == 0:
        story.append(para(f"{NO_TWITCHES} There is nothing to chart."))
        return story
    marks = (
        " Triangles: days a symptom was logged."
        if data.symptom_days
        else " No symptoms were logged in this period."
    )
    story += [
        daily_chart(data.daily, data.symptom_days),
        para(f"Bars: twitches logged each day. Line: average of the last 7 days.{marks}", SMALL),
        para("Spread over time: twitch days per week in each body region", H2),
        spread_chart(data.region_weeks),
        para(
            "Each column is a week (Monday to Sunday, dated by its Monday); the number is how "
            "many days that week had twitches in the region. Eyelid twitching is shown apart.",
            SMALL,
        ),
        KeepTogether(
            [
                para("Time of day", H2),
                hourly_chart(data.hourly),
                para("Twitches by hour of the day, in the person's time zone.", SMALL),
            ]
        ),
    ]
    return story


def render_pdf(data: ReportData) -> bytes:
    """Lay out ``data`` as an A4 PDF and return its bytes."""
    buffer = BytesIO()
    footer = f"TwitchLog summary · {data.period_text} · {NOT_A_DIAGNOSIS}"
    doc = BaseDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=MARGIN,
        rightMargin=MARGIN,
        topMargin=MARGIN,
        bottomMargin=MARGIN + FOOTER_SPACE,
        title=f"Twitch journal summary, {data.period_text}",
        author=data.name,
        subject=NOT_A_DIAGNOSIS,
        creator="TwitchLog",
    )
    frame = Frame(
        doc.leftMargin,
        doc.bottomMargin,
        doc.width,
        doc.height,
        id="body",
        leftPadding=0,
        rightPadding=0,
        topPadding=0,
        bottomPadding=0,
    )
    doc.addPageTemplates([PageTemplate(id="page", frames=[frame])])
    story = [
        *first_page(data),
        *_charts(data),
        *body_map_table(data),
        *day_table(data),
        *symptom_table(data),
        *(entry_log(data) if data.every_entry else ()),
    ]
    doc.build(story, canvasmaker=functools.partial(_NumberedCanvas, footer=footer))
    return buffer.getvalue()
