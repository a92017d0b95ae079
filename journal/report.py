"""The doctor's summary PDF: plain data in (``ReportData``), PDF bytes out.

A busy clinician should be able to read page 1 in a minute: who, which period, the
key numbers, where the twitches were (left and right), the red flags with their
evidence, the six-item checklist, symptoms, family history, triggers and check-ins.
The pages after it hold the charts (vector drawings, so they stay sharp at any
zoom), the body map as a table of counts by side, the time-of-day profile, the
symptom table and the full entry log, with its header repeated on every page.

This module never touches the database: ``journal.report_data.build_report_data``
gathers the data, and ``render_pdf`` only lays it out with ReportLab's platypus.
Text is set in DejaVu Sans (vendored with its licence in ``journal/fonts``) so
Greek, Cyrillic and accented names and notes print as written.
"""

from __future__ import annotations

import functools
import itertools
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from io import BytesIO
from pathlib import Path
from xml.sax.saxutils import escape

from reportlab import rl_config
from reportlab.graphics.shapes import Drawing, Line, PolyLine, Rect, String
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.lib.utils import simpleSplit
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas
from reportlab.platypus import (
    BaseDocTemplate,
    CondPageBreak,
    Flowable,
    Frame,
    KeepInFrame,
    KeepTogether,
    PageBreak,
    PageTemplate,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)

from . import body, rules, wording
from .wording import date_text, duration_text

FONT = "DejaVuSans"
FONT_BOLD = "DejaVuSans-Bold"
_FONT_DIR = Path(__file__).resolve().parent / "fonts" / "dejavu-2.37"

# PDFs go out as binary downloads, so the 7-bit-safe ASCII85 wrapping of every stream
# would only make them bigger and slower to build (a third of the time for a dense
# year). ReportLab reads this module-wide setting; this is its only user here.
rl_config.useA85 = 0

# Registered once, at import: ReportLab keeps fonts in a process-wide registry.
pdfmetrics.registerFont(TTFont(FONT, _FONT_DIR / "DejaVuSans.ttf"))
pdfmetrics.registerFont(TTFont(FONT_BOLD, _FONT_DIR / "DejaVuSans-Bold.ttf"))
pdfmetrics.registerFontFamily(FONT, normal=FONT, bold=FONT_BOLD, italic=FONT, boldItalic=FONT_BOLD)

PAGE_WIDTH, PAGE_HEIGHT = A4
MARGIN = 14 * mm
FOOTER_SPACE = 12 * mm
CONTENT_WIDTH = PAGE_WIDTH - 2 * MARGIN
FIRST_PAGE_HEIGHT = PAGE_HEIGHT - 2 * MARGIN - FOOTER_SPACE

# Page 1 is a one-minute read, so each flag lists only its first few pieces of
# evidence; the symptom table and entry log on later pages hold every entry.
EVIDENCE_LINES_PER_FLAG = 3
TOP_TRIGGERS = 5
PLACES_PER_REGION = 4
MAX_AXIS_STEPS = 5

NOT_A_DIAGNOSIS = "Self-reported journal, not a diagnosis."
NO_ENTRIES = "No entries were logged in this period."
DASH = wording.DASH

INK = colors.HexColor("#1d2b2f")
MUTED = colors.HexColor("#4a5d61")
PRIMARY = colors.HexColor("#0f5e63")
TINT = colors.HexColor("#e8f3f2")
RULE_GREY = colors.HexColor("#c5d1d2")
ZEBRA = colors.HexColor("#f3f6f6")
AVERAGE_LINE = colors.HexColor("#c2571a")

LEVEL_COLOURS = {
    rules.Level.INFO: colors.HexColor("#e3e8ea"),
    rules.Level.ROUTINE: colors.HexColor("#d7ece9"),
    rules.Level.SOON: colors.HexColor("#fbe7b5"),
    rules.Level.PROMPT: colors.HexColor("#f9cfae"),
    rules.Level.EMERGENCY: colors.HexColor("#f5b5b5"),
}

_SIDE_COLUMNS = ("left", "right", "both", "centre", "")
_TRIGGER_LABELS = dict(body.TRIGGERS)
_INTENSITY_LABELS = dict(body.INTENSITIES)
_ONSET_SHORT = {"gradual": "Gradual", "sudden": "Sudden"}
_FAMILY_HISTORY_LABELS = dict(body.FAMILY_HISTORY_CHOICES)
_LOCATION_ORDER = {code: n for n, (code, _) in enumerate(body.TWITCH_LOCATIONS)}
_SYMPTOM_ORDER = {code: n for n, (code, _) in enumerate(body.SYMPTOM_KINDS)}


# --- The data the PDF shows -------------------------------------------------------------


@dataclass(frozen=True)
class KeyNumbers:
    """The headline figures for the period and the equal-length period just before it."""

    entries: int
    twitch_days: int
    days: int
    average_per_day: float | None
    first_day: date | None
    last_day: date | None
    previous_start: date
    previous_end: date
    previous_entries: int
    change_percent: float | None  # None when the previous period had no twitches


@dataclass(frozen=True)
class PlaceCount:
    """Twitches at one place on one side (side "" when none was given)."""

    location: str
    side: str
    count: int


@dataclass(frozen=True)
class DailyCount:
    """Twitches on one local day, with the rolling average ending that day."""

    day: date
    count: int
    average: float


@dataclass(frozen=True)
class RegionWeek:
    """For the week starting on Monday ``start``: twitch-days per spread row code."""

    start: date
    days: Mapping[str, int]


@dataclass(frozen=True)
class TriggerLink:
    """A trigger noted on twitches in the period, and how busy those days were."""

    code: str
    days_with: int
    average_with: float | None  # twitches per twitch-day when noted; None if too few days
    average_without: float | None  # on the other twitch-days; None if too few days


@dataclass(frozen=True)
class CheckinAverages:
    """Averages over the period's daily check-ins (None where nothing was recorded)."""

    days: int
    caffeine_mg: float | None = None
    sleep_hours: float | None = None
    stress: float | None = None
    water_litres: float | None = None
    alcohol_units: float | None = None


@dataclass(frozen=True)
class SymptomRow:
    """One symptom entry, as the symptom table prints it."""

    day: date
    kind: str
    severity: int
    onset: str
    location: str = ""
    side: str = ""
    notes: str = ""


@dataclass(frozen=True)
class LogRow:
    """One twitch entry for the log; ``when`` is in the person's own time zone."""

    when: datetime
    location: str
    side: str = ""
    duration_seconds: int | None = None
    intensity: int | None = None
    triggers: tuple[str, ...] = ()
    notes: str = ""


@dataclass(frozen=True)
class ReportData:
    """Everything the summary shows, gathered beforehand so rendering needs no database."""

    name: str  # the name the person chose to show; "" prints no name line
    date_of_birth: date | None
    time_zone: str
    start: date
    end: date
    generated_at: datetime  # aware, in the person's zone
    numbers: KeyNumbers
    places: tuple[PlaceCount, ...]
    flags: tuple[rules.Flag, ...]  # evaluated as of ``end``
    checklist: rules.Checklist
    family_history: str  # a code from body.FAMILY_HISTORY_CHOICES
    reassured_on: date | None
    symptoms: tuple[SymptomRow, ...]
    triggers: tuple[TriggerLink, ...]
    trigger_minimum_days: int
    checkins: CheckinAverages
    daily: tuple[DailyCount, ...]
    region_weeks: tuple[RegionWeek, ...]
    hourly: tuple[int, ...]  # 24 counts, 00:00 first
    log: tuple[LogRow, ...]  # oldest first

    @property
    def days(self) -> int:
        """Length of the period in days, both ends included."""
        return (self.end - self.start).days + 1

    @property
    def period_text(self) -> str:
        """The period as people read it, e.g. "1 Mar 2025 to 29 May 2025"."""
        return f"{date_text(self.start)} to {date_text(self.end)}"


# --- Text helpers ------------------------------------------------------------------------


def report_filename(start: date, end: date) -> str:
    """The download's name, dated by its period."""
    return f"twitchlog-summary-{start.isoformat()}-to-{end.isoformat()}.pdf"


# --- Styles ------------------------------------------------------------------------------


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


def _p(text: str, style: ParagraphStyle = BODY, bullet: str | None = None) -> Paragraph:
    """A paragraph of our own markup (user text must already be escaped)."""
    return Paragraph(text, style, bulletText=bullet)


def _section_table(rows, widths, style=None) -> Table:
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
    ("LEFTPADDING", (0, 0), (-1, -1), 3),
    ("RIGHTPADDING", (0, 0), (-1, -1), 3),
    ("TOPPADDING", (0, 0), (-1, -1), 2),
    ("BOTTOMPADDING", (0, 0), (-1, -1), 2.5),
]
GRID_STYLE = TableStyle(_GRID_COMMANDS)


def _grid(rows, widths, extra=()) -> Table:
    table = Table(rows, colWidths=widths, repeatRows=1, hAlign="LEFT")
    table.setStyle(TableStyle([*_GRID_COMMANDS, *extra]) if extra else GRID_STYLE)
    return table


# --- Page furniture ----------------------------------------------------------------------


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


# --- Page 1 ------------------------------------------------------------------------------


def _boxed(flowable, background=TINT, border=PRIMARY) -> Table:
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


def _header(data: ReportData) -> list:
    who = [f"<b>Name:</b> {escape(data.name)}"] if data.name else []
    if data.date_of_birth:
        who.append(f"<b>Date of birth:</b> {date_text(data.date_of_birth)}")
    generated = data.generated_at
    facts = [
        [
            _p(" &nbsp; &nbsp; ".join(who)),
            _p(f"<b>Generated:</b> {date_text(generated.date())}, {generated:%H:%M}"),
        ],
        [
            _p(f"<b>Period:</b> {data.period_text} ({wording.plural(data.days, 'day')})"),
            _p(f"<b>Time zone:</b> {escape(data.time_zone)}"),
        ],
    ]
    notice = _p(
        f"{NOT_A_DIAGNOSIS} <font name='{FONT}'>Every entry is the person's own note; days "
        "and times are in their time zone.</font>",
        NOTICE,
    )
    return [
        _p("Twitch journal summary", TITLE),
        _section_table(facts, [CONTENT_WIDTH * 0.64, CONTENT_WIDTH * 0.36]),
        Spacer(1, 4),
        _boxed(notice),
    ]


def _change(numbers: KeyNumbers, days: int) -> tuple[str, str]:
    """The change on the previous period, as (big figure, label under it)."""
    before = f"previous {wording.plural(days, 'day')}"
    if numbers.change_percent is None:
        if numbers.entries == 0:
            return DASH, f"none in the {before} either"
        return "new", f"no twitches in the {before}"
    sign = "+" if numbers.change_percent > 0 else ""
    return (
        f"{sign}{wording.number(numbers.change_percent, 0)}%",
        f"vs the {before} ({wording.plural(numbers.previous_entries, 'entry', 'entries')})",
    )


def _average_text(average: float | None) -> str:
    # Below one a day, a second decimal keeps a light journal from reading as zero.
    if not average:
        return "0"
    return wording.number(average, 2 if average < 1 else 1)


def _first_last(numbers: KeyNumbers) -> str:
    first, last = numbers.first_day, numbers.last_day
    if first is None or last is None:
        return DASH
    return wording.range_text(first, last)


def _key_numbers(data: ReportData) -> list:
    numbers = data.numbers
    change, change_label = _change(numbers, data.days)
    cells = [
        (str(numbers.twitch_days), f"twitch days of {data.days}", NUMBER),
        (str(numbers.entries), "twitch entries", NUMBER),
        (_average_text(numbers.average_per_day), "entries per day, on average", NUMBER),
        (_first_last(numbers), "first and last twitch", NUMBER_SMALL),
        (change, change_label, NUMBER),
    ]
    row = [[_p(value, style), _p(label, NUMBER_LABEL)] for value, label, style in cells]
    widths = [CONTENT_WIDTH * share for share in (0.16, 0.16, 0.17, 0.27, 0.24)]
    table = Table([row], colWidths=widths, hAlign="LEFT")
    table.setStyle(
        TableStyle(
            [
                ("BOX", (0, 0), (-1, -1), 0.6, RULE_GREY),
                ("INNERGRID", (0, 0), (-1, -1), 0.6, RULE_GREY),
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                ("TOPPADDING", (0, 0), (-1, -1), 4),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 5),
            ]
        )
    )
    story = [_p("Key numbers", H2), table]
    if numbers.entries == 0:
        story += [Spacer(1, 4), _p(f"<b>{NO_ENTRIES}</b>")]
    return story


def _flags(data: ReportData) -> list:
    story = [_p(f"Red flags, as of {date_text(data.end)}", H2)]
    if not data.flags:
        story.append(
            _p("None. No pattern in the journal meets the app's rules for a doctor's look.")
        )
        return story
    rows = []
    for flag in data.flags:
        shown = flag.evidence[:EVIDENCE_LINES_PER_FLAG]
        lines = [_p(f"<b>{escape(flag.title)}</b>")]
        lines += [_p(escape(e.text), BULLET, bullet="•") for e in shown]
        hidden = len(flag.evidence) - len(shown)
        if hidden:
            lines.append(_p(f"and {hidden} more, in the tables that follow", BULLET, bullet="•"))
        level = _p(
            f"<b>{flag.level.value.capitalize()}</b><br/>{escape(flag.level.text.headline)}", CELL
        )
        rows.append([level, lines])
    table = Table(rows, colWidths=[CONTENT_WIDTH * 0.24, CONTENT_WIDTH * 0.76], hAlign="LEFT")
    table.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LINEBELOW", (0, 0), (-1, -1), 0.4, RULE_GREY),
                ("TOPPADDING", (0, 0), (-1, -1), 3),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
                ("LEFTPADDING", (0, 0), (-1, -1), 5),
                *[
                    ("BACKGROUND", (0, n), (0, n), LEVEL_COLOURS[flag.level])
                    for n, flag in enumerate(data.flags)
                ],
            ]
        )
    )
    story.append(table)
    return story


def _places_by_location(places) -> dict[str, dict[str, int]]:
    """{location: {side: count}} in head-to-toe order."""
    by_location: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for place in places:
        by_location[place.location][place.side] += place.count
    return dict(sorted(by_location.items(), key=lambda kv: _LOCATION_ORDER.get(kv[0], 99)))


def _group_of(location: str) -> str:
    """The row a place is summed into on page 1: its region, "all over", or eyelid apart."""
    if location in (body.EYELID, body.ALL_OVER):
        return location
    return body.region_of(location) or location


_GROUP_ORDER = (*body.REGION_CODES, body.ALL_OVER, body.EYELID)


def _where(data: ReportData) -> list:
    story = [_p("Where: body regions, left and right", H2)]
    by_location = _places_by_location(data.places)
    if not by_location:
        story.append(_p("No twitches in this period."))
        return story
    groups: dict[str, list[tuple[str, dict[str, int]]]] = defaultdict(list)
    for location, sides in by_location.items():
        groups[_group_of(location)].append((location, sides))
    rows = [["Region", "Twitches", "Left", "Right", "Places, most first (left / right)"]]
    for code in _GROUP_ORDER:
        if code not in groups:
            continue
        places = sorted(groups[code], key=lambda item: -sum(item[1].values()))
        total = sum(sum(sides.values()) for _, sides in places)
        left = sum(sides.get("left", 0) for _, sides in places)
        right = sum(sides.get("right", 0) for _, sides in places)
        named = [
            f"{escape(body.location_label(location))} {sum(sides.values())}"
            f" ({sides.get('left', 0)} / {sides.get('right', 0)})"
            for location, sides in places[:PLACES_PER_REGION]
        ]
        if len(places) > PLACES_PER_REGION:
            named.append(f"{len(places) - PLACES_PER_REGION} more")
        rows.append(
            [_p(wording.region_name(code), CELL), total, left, right, _p(", ".join(named), CELL)]
        )
    widths = [112, 46, 34, 38, CONTENT_WIDTH - 230]
    story.append(
        _grid(
            rows, widths, [("ALIGN", (1, 0), (3, -1), "RIGHT"), ("FONT", (0, 0), (-1, -1), FONT, 9)]
        )
    )
    story.append(
        _p(
            "Left and right count twitches logged on that side; both sides, the middle and "
            "unsided entries make up the rest.",
            SMALL,
        )
    )
    return story


def _checklist_answer(item: rules.ChecklistItem, reassured_on: date | None) -> str:
    if not item.holds:
        return "No"
    if item.silenced and reassured_on:
        return f"<b>Yes</b>, set aside after the check-up on {date_text(reassured_on)}"
    return "<b>Yes</b>"


def _checklist(data: ReportData, width: float) -> list:
    rows = [
        [
            _p(f"{item.code}. {escape(item.label)}", CELL),
            _p(_checklist_answer(item, data.reassured_on), CELL),
        ]
        for item in data.checklist.items
    ]
    table = _section_table(
        rows,
        [width * 0.72, width * 0.28],
        [
            ("LINEBELOW", (0, 0), (-1, -1), 0.3, RULE_GREY),
            ("TOPPADDING", (0, 0), (-1, -1), 1.5),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 2.5),
        ],
    )
    count = data.checklist.count
    return [
        _p("Checklist: six questions", H3),
        table,
        Spacer(1, 2),
        _p(f"{count} of 6 count now; two or more suggest a specialist's opinion.", SMALL),
    ]


def _symptom_summary(data: ReportData) -> list:
    story = [_p("Symptoms reported", H3)]
    if not data.symptoms:
        story.append(_p("None logged in this period.", CELL))
        return story
    by_kind: dict[str, list[SymptomRow]] = defaultdict(list)
    for row in data.symptoms:
        by_kind[row.kind].append(row)
    for kind in sorted(by_kind, key=lambda k: _SYMPTOM_ORDER.get(k, 99)):
        rows = by_kind[kind]
        days = sorted({r.day for r in rows})
        details = [
            f"on {wording.plural(len(days), 'day')}",
            wording.span_text(days[0], days[-1]),
            f"up to {body.severity_label(max(r.severity for r in rows)).lower()}",
        ]
        if any(r.onset == "sudden" for r in rows):
            details.append("sudden onset noted")
        story.append(_p(f"<b>{escape(body.symptom_label(kind))}</b>: {', '.join(details)}", CELL))
    return story


def _background(data: ReportData) -> list:
    answer = _FAMILY_HISTORY_LABELS.get(data.family_history, data.family_history)
    reassured = (
        f"examined and reassured on {date_text(data.reassured_on)}"
        if data.reassured_on
        else "none recorded"
    )
    return [
        _p("Family history and check-ups", H3),
        _p(f"<b>Close relative with a nerve or muscle condition:</b> {escape(answer)}", CELL),
        _p(f"<b>Clinician's check-up:</b> {reassured}", CELL),
    ]


def _trigger_rank(code: str) -> int:
    return next((n for n, (c, _) in enumerate(body.TRIGGERS) if c == code), len(body.TRIGGERS))


def _trigger_summary(data: ReportData) -> list:
    story = [_p("Triggers noted most often", H3)]
    if not data.triggers:
        story.append(_p("No triggers were noted on twitches in this period.", CELL))
        return story
    top = sorted(data.triggers, key=lambda t: (-t.days_with, _trigger_rank(t.code)))
    for link in top[:TOP_TRIGGERS]:
        label = escape(_TRIGGER_LABELS.get(link.code, link.code))
        text = f"<b>{label}</b>: {wording.plural(link.days_with, 'day')}"
        if link.average_with is not None and link.average_without is not None:
            text += (
                f"; {wording.number(link.average_with)} twitches a day then, "
                f"{wording.number(link.average_without)} on other twitch days"
            )
        story.append(_p(text, CELL))
    story.append(
        _p(
            "Days on which the person linked a twitch to the trigger: an association, not a "
            f"proven cause. Averages need {data.trigger_minimum_days} days on each side.",
            SMALL,
        )
    )
    return story


def _checkin_summary(data: ReportData) -> list:
    checkins = data.checkins
    story = [_p("Daily check-ins: averages", H3)]
    if not checkins.days:
        story.append(_p("No check-ins in this period.", CELL))
        return story
    parts = [
        ("Caffeine", checkins.caffeine_mg, "mg", 0),
        ("Sleep", checkins.sleep_hours, "hours", 1),
        ("Stress", checkins.stress, "of 5", 1),
        ("Water", checkins.water_litres, "litres", 1),
        ("Alcohol", checkins.alcohol_units, "units", 1),
    ]
    values = [
        f"<b>{label}</b> {wording.number(value, digits)} {unit}"
        for label, value, unit, digits in parts
        if value is not None
    ]
    story.append(
        _p(f"From {wording.plural(checkins.days, 'check-in')}: " + ", ".join(values), CELL)
    )
    return story


def _first_page(data: ReportData) -> list:
    half = (CONTENT_WIDTH - 12) / 2
    left = [*_checklist(data, half), *_background(data)]
    right = [*_symptom_summary(data), *_trigger_summary(data), *_checkin_summary(data)]
    columns = _section_table([[left, right]], [half + 12, half])
    story = [
        *_header(data),
        *_key_numbers(data),
        *_flags(data),
        *_where(data),
        Spacer(1, 2),
        columns,
    ]
    # Page 1 must stay one page whatever the journal holds: shrink rather than spill.
    return [KeepInFrame(CONTENT_WIDTH, FIRST_PAGE_HEIGHT, story, mode="shrink"), PageBreak()]


# --- Charts ------------------------------------------------------------------------------


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


def _axis(drawing: Drawing, x0: float, y0: float, width: float, height: float, peak: int) -> int:
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


def _date_ticks(days: list[date]) -> list[int]:
    """Indexes of days to label: month starts for long periods, else Mondays, at most ~12."""
    if len(days) > 62:
        marks = [i for i, d in enumerate(days) if d.day == 1]
    else:
        marks = [i for i, d in enumerate(days) if d.weekday() == 0]
    if not marks:
        marks = [0]
    step = max(1, -(-len(marks) // 12))
    return marks[::step]


def daily_chart(daily: tuple[DailyCount, ...], width: float = CONTENT_WIDTH) -> Drawing:
    """Twitches per day as bars, with the rolling 7-day average as a line."""
    height = 58 * mm
    x0, y0 = 26, 16
    plot_w, plot_h = width - x0 - 4, height - y0 - 8
    drawing = Drawing(width, height)
    top = _axis(drawing, x0, y0, plot_w, plot_h, max((d.count for d in daily), default=0))
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
    for i in _date_ticks(days) if days else ():
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


def spread_chart(weeks: tuple[RegionWeek, ...], width: float = CONTENT_WIDTH) -> Drawing:
    """Weeks across, regions down; each cell shaded by the twitch-days (0-7) that week."""
    label_w = 92
    row_h = 15
    top_pad, bottom_pad = 4, 16
    height = top_pad + row_h * len(body.SPREAD_REGION_CODES) + bottom_pad
    drawing = Drawing(width, height)
    n = max(len(weeks), 1)
    cell_w = (width - label_w - 2) / n
    for r, code in enumerate(body.SPREAD_REGION_CODES):
        y = height - top_pad - (r + 1) * row_h
        drawing.add(
            String(
                label_w - 4,
                y + 4.5,
                wording.region_short_name(code),
                fontName=FONT,
                fontSize=8,
                fillColor=INK,
                textAnchor="end",
            )
        )
        for c, week in enumerate(weeks):
            days = week.days.get(code, 0)
            x = label_w + c * cell_w
            shade = colors.linearlyInterpolatedColor(colors.white, PRIMARY, 0, 7, min(days, 7))
            drawing.add(
                Rect(
                    x,
                    y,
                    cell_w,
                    row_h,
                    fillColor=shade,
                    strokeColor=colors.white,
                    strokeWidth=0.6 if cell_w > 4 else 0,
                )
            )
            if days and cell_w >= 11:
                drawing.add(
                    String(
                        x + cell_w / 2,
                        y + 4.5,
                        str(days),
                        fontName=FONT,
                        fontSize=7,
                        fillColor=colors.white if days >= 4 else INK,
                        textAnchor="middle",
                    )
                )
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


def hourly_chart(hourly: tuple[int, ...], width: float = CONTENT_WIDTH) -> Drawing:
    """Twitches by local hour: 24 bars, midnight first."""
    height = 44 * mm
    x0, y0 = 26, 14
    plot_w, plot_h = width - x0 - 4, height - y0 - 10
    drawing = Drawing(width, height)
    top = _axis(drawing, x0, y0, plot_w, plot_h, max(hourly, default=0))
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


def _charts(data: ReportData) -> list:
    story = [_p("Twitches per day", H2)]
    if data.numbers.entries == 0:
        story.append(_p(f"{NO_ENTRIES} There is nothing to chart."))
        return story
    story += [
        daily_chart(data.daily),
        _p("Bars: twitch entries each day. Line: average of the last 7 days.", SMALL),
        _p("Spread over time: twitch days per week in each body region", H2),
        spread_chart(data.region_weeks),
        _p(
            "Each column is a week (Monday to Sunday, dated by its Monday); the number is how "
            "many days that week had twitches in the region. Eyelid twitching is shown apart.",
            SMALL,
        ),
        KeepTogether(
            [
                _p("Time of day", H2),
                hourly_chart(data.hourly),
                _p("Twitch entries by hour of the day, in the person's time zone.", SMALL),
            ]
        ),
    ]
    return story


# --- Tables ------------------------------------------------------------------------------


def _body_map(data: ReportData) -> list:
    heading = _p("Body map: twitches by place and side", H2)
    by_location = _places_by_location(data.places)
    if not by_location:
        return [heading, _p("No twitches in this period.")]
    widths = [128, 104, 42, 42, 42, 46, 54, CONTENT_WIDTH - 458]
    header = ["Region", "Place", "Left", "Right", "Both", "Centre", "Not given", "Total"]
    rows = [header]
    shown_group = None
    for location, sides in sorted(
        by_location.items(), key=lambda item: _GROUP_ORDER.index(_group_of(item[0]))
    ):
        group = _group_of(location)
        # The region is named on its first row only, so the places read as its list.
        label = wording.region_name(group) if group != shown_group else ""
        shown_group = group
        counts = [sides.get(side, 0) for side in _SIDE_COLUMNS]
        rows.append(
            [
                wrap_text(label, widths[0] - 2 * LOG_PADDING),
                body.location_label(location),
                *[count or "" for count in counts],
                sum(counts),
            ]
        )
    totals = [sum(sides.get(side, 0) for sides in by_location.values()) for side in _SIDE_COLUMNS]
    rows.append(["", "All places", *totals, sum(totals)])
    table = _grid(
        rows,
        widths,
        [
            ("ALIGN", (2, 0), (-1, -1), "RIGHT"),
            ("FONT", (0, -1), (-1, -1), FONT_BOLD, 8.5),
            ("LINEABOVE", (0, -1), (-1, -1), 0.8, PRIMARY),
        ],
    )
    # At most one row per place: it always fits a page, so never strand its totals.
    return [KeepTogether([heading, table])]


def _symptom_table(data: ReportData) -> list:
    story = [CondPageBreak(40 * mm), _p("Symptoms", H2)]
    if not data.symptoms:
        story.append(_p("No symptoms were logged in this period."))
        return story
    rows = [["Date", "Symptom", "Severity", "Onset", "Where", "Notes"]]
    for row in data.symptoms:
        where = wording.where_text(row.location, row.side)
        rows.append(
            [
                date_text(row.day),
                _p(escape(body.symptom_label(row.kind)), LOG_CELL),
                body.severity_label(row.severity),
                _ONSET_SHORT.get(row.onset, row.onset),
                _p(escape(where), LOG_CELL) if where else "",
                _p(escape(row.notes), LOG_CELL) if row.notes else "",
            ]
        )
    story.append(_grid(rows, [62, 92, 52, 48, 92, CONTENT_WIDTH - 346]))
    return story


# Entry log columns: (header, width in points). Notes get whatever width is left.
_LOG_COLUMNS = (
    ("Date", 58),
    ("Time", 31),
    ("Place", 70),
    ("Side", 38),
    ("Duration", 56),
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


LOG_SIZE = 8.5
LOG_LEADING = 10.2
LOG_PADDING = 3
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

    def __init__(self, header, rows, widths, heights=None):
        super().__init__()
        self.header = header
        self.rows = rows
        self.widths = widths
        self.heights = heights if heights is not None else [_row_height(r) for r in rows]
        self.header_height = _row_height(header)

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
            LogTable(self.header, self.rows[:fits], self.widths, self.heights[:fits]),
            LogTable(self.header, self.rows[fits:], self.widths, self.heights[fits:]),
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

        text = canv.beginText()
        text.setFillColor(INK)
        text.setFont(FONT_BOLD, LOG_SIZE, LOG_LEADING)
        _cells_into(text, self.header, lefts, top)
        text.setFont(FONT, LOG_SIZE, LOG_LEADING)
        row_top = top - self.header_height
        previous_day = None
        for row, height in zip(self.rows, self.heights, strict=True):
            # The date heads each day's first row on a page; the rows after it leave it
            # blank, which groups a day's entries and keeps the page quicker to scan.
            day, *rest = row
            _cells_into(text, ["" if day == previous_day else day, *rest], lefts, row_top)
            previous_day = day
            row_top -= height
        canv.drawText(text)
        canv.restoreState()


def _row_height(row) -> float:
    lines = max(cell.count("\n") for cell in row) + 1
    return lines * LOG_LEADING + 2 * LOG_PADDING


def _cells_into(text, row, lefts, row_top: float) -> None:
    baseline = row_top - LOG_PADDING - LOG_SIZE
    for left, cell in zip(lefts, row, strict=True):
        if cell:
            text.setTextOrigin(left + LOG_PADDING, baseline)
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
        _cell(duration_text(row.duration_seconds), _LOG_WIDTHS[4]),
        _INTENSITY_LABELS.get(row.intensity, "") if row.intensity else "",
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


def _log(data: ReportData) -> list:
    story = [CondPageBreak(70 * mm), _p("Entry log", H2)]
    if not data.log:
        story.append(_p(NO_ENTRIES))
        return story
    story.append(
        _p(
            f"{wording.plural(len(data.log), 'twitch entry', 'twitch entries')}, oldest first, "
            f"times in {escape(data.time_zone)}.",
            SMALL,
        )
    )
    # A heading per month helps the clinician find a date; every page a month spans
    # repeats the column headers.
    for (year, month), entries in itertools.groupby(
        data.log, key=lambda r: (r.when.year, r.when.month)
    ):
        rows = [cells for entry in entries for cells in _log_rows(entry)]
        story.append(CondPageBreak(30 * mm))
        story.append(_p(wording.month_year(year, month), H3))
        story.append(LogTable(_LOG_HEADER, rows, _LOG_WIDTHS))
    return story


# --- The document ------------------------------------------------------------------------


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
        *_first_page(data),
        *_charts(data),
        *_body_map(data),
        *_symptom_table(data),
        *_log(data),
    ]
    doc.build(story, canvasmaker=functools.partial(_NumberedCanvas, footer=footer))
    return buffer.getvalue()
