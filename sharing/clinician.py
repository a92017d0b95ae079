"""Page 1 of the doctor's summary for the shared page: the PDF's own words and figures,
taken from the functions that write page 1, never worked out a second time."""

from journal import rules
from journal.report import ReportData
from journal.report import summary as page_one
from journal.report.styles import NO_TWITCHES, NOT_A_DIAGNOSIS
from journal.report.tables import DAY_HEADER, day_texts


def summary(data: ReportData) -> dict:
    """What the clinician view shows of page 1, as plain text for the template."""
    family_history, check_up = page_one.background_answers(data)
    top = rules.highest_level(data.flags)
    return {
        "top_level": top,
        "leading_flags": [flag for flag in data.flags if flag.level is top],
        "lower_flags": [flag for flag in data.flags if flag.level is not top],
        "not_a_diagnosis": NOT_A_DIAGNOSIS,
        "no_entries": NO_TWITCHES if data.figures.twitches == 0 else "",
        "figures": page_one.key_figures(data),
        "no_flags": page_one.NO_FLAGS,
        "regions": page_one.region_rows(data),
        "places_note": page_one.PLACES_NOTE,
        "checklist": [
            (item, *page_one.checklist_answer(item, data.reassured_on))
            for item in data.checklist.items
        ],
        "checklist_count": page_one.checklist_count_text(data),
        "symptoms": page_one.symptom_lines(data),
        "triggers": page_one.trigger_lines(data),
        "trigger_note": page_one.trigger_note(data),
        "checkin_lead": page_one.checkin_lead(data) if data.checkins.days else "",
        "checkins": page_one.checkin_parts(data),
        "family_history": family_history,
        "check_up": check_up,
        # The PDF's per-day table, in its words: headers without their line breaks.
        "day_header": [header.replace("\n", " ") for header in DAY_HEADER],
        "days": [day_texts(row) for row in data.day_rows],
    }
