"""The PDF's tables after the charts: the body map as counts by place and side, and every
symptom logged in the period."""

from xml.sax.saxutils import escape

from reportlab.lib.units import mm
from reportlab.platypus import CondPageBreak, KeepTogether

from .. import body, wording
from .data import PLACE_GROUP_ORDER, ReportData, place_group, places_by_location
from .log_table import LOG_PADDING, wrap_text
from .styles import CONTENT_WIDTH, FONT_BOLD, H2, LOG_CELL, PRIMARY, grid, para

# The body map's side columns, "" for entries logged without a side.
_SIDE_COLUMNS = ("left", "right", "both", "centre", "")
_ONSET_SHORT = {"gradual": "Gradual", "sudden": "Sudden"}


def body_map_table(data: ReportData) -> list:
    heading = para("Body map: twitches by place and side", H2)
    by_location = places_by_location(data.places)
    if not by_location:
        return [heading, para("No twitches in this period.")]
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
                wrap_text(label, widths[0] - 2 * LOG_PADDING),
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


def symptom_table(data: ReportData) -> list:
    story = [CondPageBreak(40 * mm), para("Symptoms", H2)]
    if not data.symptoms:
        story.append(para("No symptoms were logged in this period."))
        return story
    rows = [["Date", "Symptom", "Severity", "Onset", "Where", "Notes"]]
    for row in data.symptoms:
        where = wording.where_text(row.location, row.side)
        rows.append(
            [
                wording.date_text(row.day),
                para(escape(body.symptom_label(row.kind)), LOG_CELL),
                body.severity_label(row.severity),
                _ONSET_SHORT.get(row.onset, row.onset),
                para(escape(where), LOG_CELL) if where else "",
                para(escape(row.notes), LOG_CELL) if row.notes else "",
            ]
        )
    story.append(grid(rows, [62, 92, 52, 48, 92, CONTENT_WIDTH - 346]))
    return story
