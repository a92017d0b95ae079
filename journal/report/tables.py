"""The PDF's tables after the charts: the body map as counts by place and side, each day
in one row, and every symptom logged in the period."""

import functools
from xml.sax.saxutils import escape

from reportlab.lib.units import mm
from reportlab.platypus import CondPageBreak, KeepTogether, Paragraph

from .. import body, wording
from .data import PLACE_GROUP_ORDER, DayRow, ReportData, place_group, places_by_location
from .log_table import LogTable, TextSize, wrap_text
from .styles import (
    CONTENT_WIDTH,
    FONT_BOLD,
    GRID_PADDING,
    H2,
    LOG_CELL,
    NO_TWITCHES,
    PAGE_HEIGHT,
    PRIMARY,
    SMALL,
    grid,
    para,
)

# The body map's side columns, "" for entries logged without a side.
_SIDE_COLUMNS = ("left", "right", "both", "centre", "")
_ONSET_SHORT = {"gradual": "Gradual", "sudden": "Sudden"}


def body_map_table(data: ReportData) -> list:
    heading = para("Body map: twitches by place and side", H2)
    by_location = places_by_location(data.places)
    if not by_location:
        return [heading, para(NO_TWITCHES)]
    widths = [128, 104, 42, 42, 42, 46, 54, CONTENT_WIDTH - 458]
    header = ["Region", "Place", "Left", "Right", "Both", "Centre", "Not given", "Total"]
    rows = [header]
    shown_group = None
    for location, sides in sorted(
        by_location.items(), key=lambda item: PLACE_GROUP_ORDER.index(place_group(item[0]))
    ):
        group = place_group(location)
        # The region is named on its first row only, so the places read as its list.
        label = wording.region_name(group) if group != shown_group else ""
        shown_group = group
        counts = [sides.get(side, 0) for side in _SIDE_COLUMNS]
        rows.append(
            [
                wrap_text(label, widths[0] - 2 * GRID_PADDING),
                body.location_label(location),
                *[count or "" for count in counts],
                sum(counts),
            ]
        )
    totals = [sum(sides.get(side, 0) for sides in by_location.values()) for side in _SIDE_COLUMNS]
    rows.append(["", "All places", *totals, sum(totals)])
    table = grid(
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


# The per-day table's columns: (header, width in points); the exercise gets the rest.
_DAY_COLUMNS = (
    ("Date", 51),
    ("Twitches", 40),
    ("Places (sides)", 150),
    ("Symptoms", 70),
    ("Caffeine\nmg", 38),
    ("Sleep\nhours", 28),
    ("Stress\nof 5", 30),
    ("Water\nlitres", 30),
    ("Alcohol\nunits", 36),
)
_DAY_WIDTHS = [w for _, w in _DAY_COLUMNS] + [CONTENT_WIDTH - sum(w for _, w in _DAY_COLUMNS)]
DAY_HEADER = [h for h, _ in _DAY_COLUMNS] + ["Exercise"]
# Smaller type than the entry log, so a year of days fits in a few pages.
_DAY_TEXT = TextSize(7.5, 9, 1.8)
_EXERCISE_LABELS = dict(body.EXERCISE_LEVELS)


def _figure(value, digits: int = 1) -> str:
    return "" if value is None else wording.number(value, digits)


def day_texts(row: DayRow) -> list[str]:
    """One day's row as plain text, a cell a column (DAY_HEADER): the PDF's per-day table
    and the shared clinician page print the same words."""
    places = places_by_location(row.places)
    place_texts = [
        _place_text(location, tuple(sides.items()))
        for location, sides in sorted(places.items(), key=lambda item: -sum(item[1].values()))
    ]
    symptoms = [
        f"{body.symptom_label(kind)} ({body.severity_label(severity).lower()})"
        for kind, severity in row.symptoms
    ]
    checkin = row.checkin
    figures = (
        [
            _figure(checkin.caffeine_mg, 0),
            _figure(checkin.sleep_hours),
            _figure(checkin.stress, 0),
            _figure(checkin.water_litres),
            _figure(checkin.alcohol_units),
            _EXERCISE_LABELS.get(checkin.exercise, ""),
        ]
        if checkin
        else [""] * 6
    )
    return [
        wording.weekday_day_month(row.day),
        f"{row.twitches:,}" if row.twitches else "",
        ", ".join(place_texts),
        ", ".join(symptoms),
        *figures,
    ]


# A place's count by side repeats from day to day ("Calf 2 (left)"): said once each.
@functools.lru_cache(maxsize=4096)
def _place_text(location: str, sides: tuple[tuple[str, int], ...]) -> str:
    return wording.place_count_text(location, dict(sides))


def _day_cells(row: DayRow) -> list[str]:
    return [_day_cell(text, width) for text, width in zip(day_texts(row), _DAY_WIDTHS, strict=True)]


# Counts, places and check-in figures repeat on hundreds of a year's days: wrap each
# distinct one once.
@functools.lru_cache(maxsize=4096)
def _day_cell(text: str, width: float) -> str:
    return wrap_text(text, width - 2 * _DAY_TEXT.padding, _DAY_TEXT.size)


def day_table(data: ReportData) -> list:
    """Each day with anything logged on one row: its twitches by place and side, its
    symptoms and its check-in. A year fits in a few pages."""
    story = [CondPageBreak(50 * mm), para("Each day", H2)]
    if not data.day_rows:
        story.append(para("Nothing was logged in this period."))
        return story
    story.append(
        para(
            f"The {wording.plural(len(data.day_rows), 'day')} with anything logged, oldest "
            "first; days with nothing logged are left out. Places give the side where the "
            "person noted one; the last columns are the day's check-in.",
            SMALL,
        )
    )
    rows = [_day_cells(row) for row in data.day_rows]
    story.append(LogTable(DAY_HEADER, rows, _DAY_WIDTHS, text=_DAY_TEXT))
    return story


def symptom_table(data: ReportData) -> list:
    story = [CondPageBreak(40 * mm), para("Symptoms", H2)]
    if not data.symptoms:
        story.append(para("No symptoms were logged in this period."))
        return story
    widths = [62, 92, 52, 48, 92, CONTENT_WIDTH - 346]
    rows = [["Date", "Symptom", "Severity", "Onset", "Where", "Notes"]]
    for row in data.symptoms:
        rows.append(
            [
                wording.date_text(row.day),
                _label_cell(body.symptom_label(row.kind), widths[1]),
                body.severity_label(row.severity),
                _ONSET_SHORT.get(row.onset, row.onset),
                _label_cell(wording.where_text(row.location, row.side), widths[4]),
                _symptom_cell(row.notes, widths[5]),
            ]
        )
    story.append(grid(rows, widths))
    return story


def _symptom_cell(text: str, width: float) -> str:
    """A symptom table cell as plain lines, broken where a Paragraph in the grid's type
    breaks them (ReportLab lets a line's spaces shrink a little to fit, and splits a word
    too long for the column), and set by the table as plain text.

    Plain lines rather than the Paragraph itself: a table measures every Paragraph again
    each time it splits across a page.
    """
    if not text:
        return ""
    paragraph = Paragraph(escape(text), LOG_CELL)
    paragraph.wrap(width - 2 * GRID_PADDING, PAGE_HEIGHT)
    lines = paragraph.blPara.lines
    if paragraph.blPara.kind == 0:  # plain words
        return "\n".join(" ".join(words) for _, words in lines)
    # An escaped "&", "<" or ">" splits the text into fragments, spaces kept in them.
    return "\n".join("".join(fragment.text for fragment in line.words) for line in lines)


# Symptom names and places repeat on many rows (notes are not kept): each is broken once.
_label_cell = functools.lru_cache(maxsize=256)(_symptom_cell)
