"""The PDF's look: its font, page size, colours and text styles, and the small tables
every part of it is built from."""

from pathlib import Path

from reportlab import rl_config
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import Paragraph, Table, TableStyle

from .. import rules

FONT = "DejaVuSans"
FONT_BOLD = "DejaVuSans-Bold"
_FONT_DIR = Path(__file__).resolve().parent.parent / "fonts" / "dejavu-2.37"

# PDFs go out as binary downloads, so the 7-bit-safe ASCII85 wrapping of every stream
# would only make them bigger and slower to build (a third of the time for a dense
# year). ReportLab reads these module-wide settings; the PDF is their only user here.
rl_config.useA85 = 0
# Each chart shape checks every attribute it is given against its type map as it is set:
# a help while writing a chart, a few per cent of a dense year's build once it works.
rl_config.shapeChecking = 0

# Registered once, at import: ReportLab keeps fonts in a process-wide registry.
pdfmetrics.registerFont(TTFont(FONT, _FONT_DIR / "DejaVuSans.ttf"))
pdfmetrics.registerFont(TTFont(FONT_BOLD, _FONT_DIR / "DejaVuSans-Bold.ttf"))
pdfmetrics.registerFontFamily(FONT, normal=FONT, bold=FONT_BOLD, italic=FONT, boldItalic=FONT_BOLD)

PAGE_WIDTH, PAGE_HEIGHT = A4
MARGIN = 14 * mm
FOOTER_SPACE = 12 * mm
CONTENT_WIDTH = PAGE_WIDTH - 2 * MARGIN
FIRST_PAGE_HEIGHT = PAGE_HEIGHT - 2 * MARGIN - FOOTER_SPACE

NOT_A_DIAGNOSIS = "Self-reported journal, not a diagnosis."
NO_TWITCHES = "No twitches were logged in this period."

INK = colors.HexColor("#1d2b2f")
MUTED = colors.HexColor("#4a5d61")
PRIMARY = colors.HexColor("#0f5e63")
TINT = colors.HexColor("#e8f3f2")
RULE_GREY = colors.HexColor("#c5d1d2")
ZEBRA = colors.HexColor("#f3f6f6")
AVERAGE_LINE = colors.HexColor("#c2571a")
SYMPTOM_MARK = colors.HexColor("#7b2d8b")  # the trends page's plum triangles

LEVEL_COLOURS = {
    rules.Level.INFO: colors.HexColor("#e3e8ea"),
    rules.Level.ROUTINE: colors.HexColor("#d7ece9"),
    rules.Level.SOON: colors.HexColor("#fbe7b5"),
    rules.Level.PROMPT: colors.HexColor("#f9cfae"),
    rules.Level.EMERGENCY: colors.HexColor("#f5b5b5"),
}


def _style(name: str, size: float, **options) -> ParagraphStyle:
    options.setdefault("fontName", FONT)
    options.setdefault("textColor", INK)
    return ParagraphStyle(
        name, fontSize=size, leading=options.pop("leading", size * 1.28), **options
    )


TITLE = _style("title", 17, fontName=FONT_BOLD, textColor=PRIMARY, spaceAfter=2)
H2 = _style("h2", 12, fontName=FONT_BOLD, textColor=PRIMARY, spaceBefore=7, spaceAfter=3)
H3 = _style("h3", 10.5, fontName=FONT_BOLD, spaceBefore=4, spaceAfter=1)
BODY = _style("body", 10)
SMALL = _style("small", 9, textColor=MUTED)
BULLET = _style("bullet", 9.5, leftIndent=10, bulletIndent=1, bulletFontName=FONT)
CELL = _style("cell", 9, leading=11)
LOG_CELL = _style("logcell", 8.5, leading=10.2)
NUMBER = _style("number", 15, fontName=FONT_BOLD, alignment=TA_CENTER, textColor=PRIMARY)
NUMBER_SMALL = _style(
    "numbersmall", 10.5, fontName=FONT_BOLD, alignment=TA_CENTER, textColor=PRIMARY
)
NUMBER_LABEL = _style("numberlabel", 8.5, alignment=TA_CENTER, textColor=MUTED, leading=10.5)
NOTICE = _style("notice", 10, fontName=FONT_BOLD)


def para(text: str, style: ParagraphStyle = BODY, bullet: str | None = None) -> Paragraph:
    """A paragraph of our own markup (user text must already be escaped)."""
    return Paragraph(text, style, bulletText=bullet)


def layout_table(rows, widths, style=None) -> Table:
    """A borderless layout table: columns of flowables, top-aligned."""
    table = Table(rows, colWidths=widths, hAlign="LEFT")
    table.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (0, 0), (-1, -1), 6),
                ("TOPPADDING", (0, 0), (-1, -1), 0),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 0),
                *(style or []),
            ]
        )
    )
    return table


# Data tables: bold header row on a tint, thin rules, zebra rows. Built once and shared
# by every table, which is much faster than styling cells one by one.
GRID_PADDING = 3  # left and right of each cell: text wrapped for a grid leaves this room
_GRID_COMMANDS = [
    ("FONT", (0, 0), (-1, 0), FONT_BOLD, 8.5),
    ("FONT", (0, 1), (-1, -1), FONT, 8.5),
    ("TEXTCOLOR", (0, 0), (-1, -1), INK),
    ("BACKGROUND", (0, 0), (-1, 0), TINT),
    ("LINEBELOW", (0, 0), (-1, 0), 0.8, PRIMARY),
    ("LINEBELOW", (0, 1), (-1, -1), 0.25, RULE_GREY),
    ("ROWBACKGROUNDS", (0, 1), (-1, -1), [colors.white, ZEBRA]),
    ("LEADING", (0, 0), (-1, -1), 10.2),
    ("VALIGN", (0, 0), (-1, -1), "TOP"),
    ("LEFTPADDING", (0, 0), (-1, -1), GRID_PADDING),
    ("RIGHTPADDING", (0, 0), (-1, -1), GRID_PADDING),
    ("TOPPADDING", (0, 0), (-1, -1), 2),
    ("BOTTOMPADDING", (0, 0), (-1, -1), 2.5),
]
GRID_STYLE = TableStyle(_GRID_COMMANDS)


def grid(rows, widths, extra=()) -> Table:
    table = Table(rows, colWidths=widths, repeatRows=1, hAlign="LEFT")
    table.setStyle(TableStyle([*_GRID_COMMANDS, *extra]) if extra else GRID_STYLE)
    return table


def boxed(flowable, background=TINT, border=PRIMARY) -> Table:
    table = Table([[flowable]], colWidths=[CONTENT_WIDTH], hAlign="LEFT")
    table.setStyle(
        TableStyle(
            [
                ("BACKGROUND", (0, 0), (-1, -1), background),
                ("BOX", (0, 0), (-1, -1), 0.6, border),
                ("LEFTPADDING", (0, 0), (-1, -1), 6),
                ("TOPPADDING", (0, 0), (-1, -1), 4),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 5),
            ]
        )
    )
    return table
