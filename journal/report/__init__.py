"""The doctor's summary PDF: plain data in (``ReportData``), PDF bytes out.

A busy clinician should be able to read page 1 in a minute: who, which period, the
key numbers, where the twitches were (left and right), the red flags with their
evidence, the six-item checklist, symptoms, family history, triggers and check-ins.
The pages after it hold the charts (vector drawings, so they stay sharp at any
zoom; the daily chart marks the days a symptom was logged), the body map as a table of
counts by side, a compact table of each day (places with counts and sides, symptoms,
check-in), the symptom table, and, when asked for, every entry, with its header
repeated on every page.

Nothing in this package touches the database: ``journal.report_data.build_report_data``
gathers the data (``data``), and ``render_pdf`` only lays it out with ReportLab's
platypus: ``document`` puts the pages in order, ``summary`` is page 1, ``charts`` holds
one module per chart, ``tables`` the body map, per-day and symptom tables, ``log_table``
the entry log, and ``styles`` the font, colours and text styles they share.
Text is set in DejaVu Sans (vendored with its licence in ``journal/fonts``) so
Greek, Cyrillic and accented names and notes print as written.
"""

from .data import (
    CheckinAverages,
    CheckinDay,
    DayCount,
    DayRow,
    LogRow,
    PlaceCount,
    RegionWeek,
    ReportData,
    SymptomRow,
    TriggerComparison,
)
from .document import render_pdf, report_filename

__all__ = [
    "CheckinAverages",
    "CheckinDay",
    "DayCount",
    "DayRow",
    "LogRow",
    "PlaceCount",
    "RegionWeek",
    "ReportData",
    "SymptomRow",
    "TriggerComparison",
    "render_pdf",
    "report_filename",
]
