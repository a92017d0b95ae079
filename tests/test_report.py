"""journal/report/: a hand-built ReportData becomes a PDF whose text a clinician can rely on.

No database here: the PDF is plain data in, bytes out. Text is read back with pypdf.
"""

import io
import re
import shutil
import subprocess
import zoneinfo
from dataclasses import replace
from datetime import date, datetime, timedelta

import pytest
from pypdf import PdfReader

from journal import body, figures, report, rules, wording
from journal.insights import Side
from journal.report import (
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

ATHENS = zoneinfo.ZoneInfo("Europe/Athens")
DAY_LABEL = re.compile(r"\b(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun) \d{1,2} [A-Z][a-z]{2}\b")
START, END = date(2025, 3, 1), date(2025, 5, 29)


def at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=ATHENS)


def pages_text(pdf: bytes) -> list[str]:
    return [page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages]


def flat(text: str) -> str:
    """Text with line breaks and repeated spaces folded, so wrapped cells still match."""
    return " ".join(text.split())


# Weakness on two dates 18 days apart (PROMPT), a muscle that looks smaller (PROMPT),
# and twitches on enough days for PERSISTENCE; evaluated as of END.
FLAG_HISTORY = rules.History(
    twitches=tuple(
        rules.TwitchRecord(day=END - timedelta(days=n), location="calf", side="left")
        for n in (0, 6, 12, 18)
    ),
    symptoms=(
        rules.SymptomRecord(day=date(2025, 5, 9), kind="weakness", severity=1, location="hand"),
        rules.SymptomRecord(day=date(2025, 5, 27), kind="weakness", severity=2, location="hand"),
        rules.SymptomRecord(day=date(2025, 5, 20), kind="muscle_loss", location="calf"),
    ),
    family_history=True,
)

LOG = (
    LogRow(at(date(2025, 3, 3), 7, 15), "calf", "left", 4, 2, ("caffeine", "poor_sleep"), ""),
    LogRow(
        at(date(2025, 3, 3), 22, 40), "thigh_front", "right", 75, 3, ("stress",), "Кофе и стресс"
    ),
    LogRow(at(date(2025, 4, 11), 13, 5), "eyelid", "left", None, 1, (), "After a run <5km> & tea"),
    LogRow(at(date(2025, 5, 20), 23, 55), "calf", "left", 3600, 2, ("caffeine",), "Zoë Ødegård"),
    LogRow(at(date(2025, 5, 29), 6, 0), "hand", "right", 12, 2, (), ""),
)


DAY_ROWS = (
    DayRow(
        date(2025, 3, 3),
        2,
        (PlaceCount("calf", "left", 1), PlaceCount("thigh_front", "right", 1)),
        checkin=CheckinDay(240, 6.5, 4, 1.5, 2.0, "light"),
    ),
    DayRow(date(2025, 4, 11), 1, (PlaceCount("eyelid", "left", 1),)),
    DayRow(date(2025, 5, 9), symptoms=(("weakness", 1),)),
    DayRow(
        date(2025, 5, 20),
        3,
        (PlaceCount("calf", "left", 2), PlaceCount("calf", "right", 1)),
        (("muscle_loss", 1),),
        CheckinDay(caffeine_mg=95, sleep_hours=8.0),
    ),
)


# A week with one twitch, on one day, in the legs.
LEG_ONLY = {"head": 0, "arm": 0, "trunk": 0, "leg": 1, "eyelid": 0}


def fixed_data(**changes) -> ReportData:
    """A small, fully known journal for the 90 days to 29 May 2025."""
    daily = tuple(
        DayCount(START + timedelta(days=n), 0, 0.0) for n in range((END - START).days + 1)
    )
    data = ReportData(
        name="Ζωή Καραγιάννη",
        date_of_birth=date(1988, 4, 3),
        time_zone="Europe/Athens",
        generated_at=at(END, 14, 5),
        figures=figures.Figures(
            span=figures.span(START, END, date(2024, 6, 1)),
            twitches=5,
            twitch_days=4,
            average_per_day=0.06,
            first=date(2025, 3, 3),
            last=date(2025, 5, 29),
            previous_twitches=4,
            change_percent=25.0,
        ),
        places=(
            PlaceCount("calf", "left", 2),
            PlaceCount("thigh_front", "right", 1),
            PlaceCount("eyelid", "left", 1),
            PlaceCount("hand", "right", 1),
        ),
        flags=tuple(rules.evaluate(FLAG_HISTORY, END)),
        checklist=rules.checklist(FLAG_HISTORY, END),
        family_history="als_mnd",
        reassured_on=date(2024, 11, 2),
        symptoms=(
            SymptomRow(date(2025, 5, 9), "weakness", 1, "gradual", "hand", "right", "Jar lids"),
            SymptomRow(date(2025, 5, 20), "muscle_loss", 1, "gradual", "calf", "left", ""),
            SymptomRow(date(2025, 5, 27), "weakness", 2, "sudden", "hand", "right", "<b>x</b> & y"),
        ),
        triggers=(
            # Days noted and the other twitch-days; averages only with five days each side.
            TriggerComparison(
                "caffeine", "Caffeine", Side(2, 3, None, False), Side(2, 2, None, False)
            ),
            TriggerComparison(
                "stress", "Stress or worry", Side(1, 2, None, False), Side(3, 3, None, False)
            ),
            TriggerComparison(
                "poor_sleep", "Poor sleep", Side(7, 25, 3.5, True), Side(8, 10, 1.25, True)
            ),
        ),
        trigger_minimum_days=5,
        checkins=CheckinAverages(
            days=12, caffeine_mg=240.0, sleep_hours=6.25, stress=3.5, water_litres=1.5
        ),
        daily=daily,
        region_weeks=(
            RegionWeek(date(2025, 2, 24), LEG_ONLY),
            RegionWeek(date(2025, 3, 3), LEG_ONLY),
        ),
        hourly=tuple([0] * 6 + [1] + [0] * 5 + [0, 1] + [0] * 8 + [1, 2]),
        day_rows=DAY_ROWS,
        every_entry=True,
        log=LOG,
    )
    return replace(data, **changes)


@pytest.fixture(scope="module")
def fixed_pdf() -> bytes:
    return report.render_pdf(fixed_data())


@pytest.fixture(scope="module")
def fixed_pages(fixed_pdf) -> list[str]:
    return pages_text(fixed_pdf)


def test_page_one_names_the_person_the_period_and_that_it_is_not_a_diagnosis(fixed_pages):
    first = fixed_pages[0]
    assert "Twitch journal summary" in first
    assert "Name: Ζωή Καραγιάννη" in first
    assert "Date of birth: 3 Apr 1988" in first
    assert f"Period: 1 Mar {wording.DASH} 29 May 2025 (90 days)" in first
    assert "Generated: 29 May 2025, 14:05" in first
    assert "Time zone: Europe/Athens" in first
    assert "Self-reported journal, not a diagnosis." in first


def test_page_one_shows_the_key_numbers_and_the_change_on_the_previous_period(fixed_pages):
    first = flat(fixed_pages[0])
    assert "5 twitches logged" in first
    assert "4 of 90 days with twitches" in first
    assert "0.06 twitches a day on average" in first
    assert f"3 Mar {wording.DASH} 29 May 2025 first and last twitch" in first
    assert "25% more than the 90 days before (4 twitches)" in first


def test_page_one_lists_each_flag_with_its_level_and_evidence(fixed_pages):
    first = flat(fixed_pages[0])
    flags = {flag.rule: flag for flag in fixed_data().flags}
    assert {"WEAKNESS", "MUSCLE_LOSS", "PERSISTENCE", "CHECKLIST"} <= set(flags)
    assert "Red flags, as of 29 May 2025" in first
    assert "Prompt Weakness that is increasing" in first
    assert "Weakness noted on 9 May and again on 27 May, 18 days apart" in first
    assert "20 May: muscle looks smaller (mild), calf" in first
    for flag in flags.values():
        assert flat(flag.title) in first
        assert flat(flag.evidence[0].text) in first


def test_page_one_answers_every_checklist_question(fixed_pages):
    first = flat(fixed_pages[0])
    assert "1. Twitching for two weeks or more Yes" in first
    assert "2. A muscle that looks smaller or thinner Yes" in first
    assert "3. Weakness: an everyday task has become harder Yes" in first
    assert "4. Twitching in several body areas No" in first
    assert "5. Changes in speech, swallowing or coordination No" in first
    assert "6. A close relative with a nerve or muscle condition Yes" in first
    assert "4 of 6 count now" in first


def test_page_one_says_once_what_the_person_was_told_then_lower_flags_apart(fixed_pages):
    first = flat(fixed_pages[0])
    told = (
        "Highest level: Prompt. What the app told the person: \u201cContact a doctor within "
        "days. They can refer you to a neurologist, and may arrange an EMG (a test of how "
        "nerves and muscles work) and blood tests.\u201d"
    )
    assert told in first
    for level in rules.Level:
        assert first.count(level.text.headline) == (level is rules.Level.PROMPT)
    flags_part = first[first.index("Red flags, as of") : first.index("Where:")]
    prompt_rows = flags_part.index("Prompt Weakness that is increasing")
    also = flags_part.index("Also noted, at lower levels")
    assert prompt_rows < also < flags_part.index("Soon Two or more checklist questions")
    assert also < flags_part.index("Routine Twitching for two weeks or more")


def test_page_one_shows_no_rule_id_or_checklist_code(fixed_pages):
    codes = re.compile(r"\bC[1-6]\b|" + "|".join(rf"\b{rule.id}\b" for rule in rules.RULES))
    assert codes.search(flat(fixed_pages[0])) is None


def test_page_one_shows_regions_with_left_and_right_and_eyelid_apart(fixed_pages):
    first = flat(fixed_pages[0])
    # Region, twitches, left, right, then the places with (left / right).
    assert "Lower back, hips and legs 3 2 1 Calf 2 (2 / 0), Front of thigh 1 (0 / 1)" in first
    assert "Neck, shoulders and arms 1 0 1 Hand 1 (0 / 1)" in first
    assert "Eyelid (counted apart) 1 1 0 Eyelid 1 (1 / 0)" in first
    assert "Head and face" not in first.split("Where:")[1]


def test_page_one_summarises_symptoms_background_triggers_and_check_ins(fixed_pages):
    first = flat(fixed_pages[0])
    assert "Weakness: on 2 days, 9 May 2025 to 27 May 2025, up to moderate, sudden onset noted" in (
        first
    )
    assert "Muscle looks smaller: on 1 day, 20 May 2025, up to mild" in first
    assert (
        "Close relative with a nerve or muscle condition: Yes: ALS / motor neurone disease" in first
    )
    assert "Clinician's check-up: examined and reassured on 2 Nov 2024" in first
    # Most days first; averages only where both sides have enough days.
    assert "Poor sleep: 7 days; 3.5 twitches a day then, 1.3 on other twitch days" in first
    assert "Caffeine: 2 days Stress or worry: 1 day" in first
    assert (
        "From 12 check-ins: Caffeine 240 mg, Sleep 6.3 hours, Stress 3.5 of 5, Water 1.5 litres"
        in first
    )
    assert "Alcohol" not in first


def test_page_one_is_a_single_page_and_the_charts_follow(fixed_pages):
    assert "Daily check-ins: averages" in fixed_pages[0]
    assert fixed_pages[1].startswith("Twitches per day")
    second = flat(fixed_pages[1])
    assert "Spread over time: twitch days per week in each body region" in second
    assert "Time of day" in second


def test_every_footer_has_its_page_number_and_the_period(fixed_pages):
    total = len(fixed_pages)
    for number, text in enumerate(fixed_pages, start=1):
        footer = flat(text)
        assert f"Page {number} of {total}" in footer
        assert f"TwitchLog summary · 1 Mar {wording.DASH} 29 May 2025 (90 days)" in footer


def test_body_map_table_counts_each_place_by_side(fixed_pages):
    text = flat(" ".join(fixed_pages[1:]))
    assert "Body map: twitches by place and side" in text
    assert "Region Place Left Right Both Centre Not given Total" in text
    # Regions head to toe, eyelid last; each region named once, its places in body order.
    assert (
        "Neck, shoulders and arms Hand 1 1 Lower back, hips and legs Front of thigh 1 1 "
        "Calf 2 2 Eyelid (counted apart) Eyelid 1 1 All places 3 2 0 0 0 5"
    ) in text


def test_symptom_table_lists_every_symptom_with_notes_printed_as_written(fixed_pages):
    text = flat(" ".join(fixed_pages[1:]))
    assert "Date Symptom Severity Onset Where Notes" in text
    assert "9 May 2025 Weakness Mild Gradual Right hand Jar lids" in text
    assert "27 May 2025 Weakness Moderate Sudden Right hand <b>x</b> & y" in text


def test_entry_log_rows_show_local_time_place_side_duration_intensity_triggers_notes(
    fixed_pages,
):
    log = flat(" ".join(fixed_pages[1:]))
    assert "Entry log 5 twitches, oldest first, times in Europe/Athens." in log
    assert "Date Time Place Side Duration Intensity Triggers Notes" in log
    # A day's date heads its first row only.
    assert (
        "Mon 3 Mar 07:15 Calf Left 4 seconds Visible Caffeine, Poor sleep "
        "22:40 Front of thigh Right 1 minute 15 seconds Strong Stress or worry Кофе и стресс"
    ) in log
    assert log[log.index("Entry log") :].count("Mon 3 Mar") == 1
    assert "Fri 11 Apr 13:05 Eyelid Left Faint After a run <5km> & tea" in log
    assert "Tue 20 May 23:55 Calf Left 1 hour Visible Caffeine Zoë Ødegård" in log
    for month in ("March 2025", "April 2025", "May 2025"):
        assert month in log


def test_greek_cyrillic_and_accented_text_survives_in_the_pdf(fixed_pages):
    text = " ".join(fixed_pages)
    for written in ("Ζωή Καραγιάννη", "Кофе и стресс", "Zoë Ødegård"):
        assert written in text


def test_markup_in_a_name_is_printed_not_interpreted():
    pdf = report.render_pdf(fixed_data(name="Ann <b>& Co</b>"))
    assert "Name: Ann <b>& Co</b>" in pages_text(pdf)[0]


def test_person_without_name_or_birth_date_gets_no_empty_labels():
    first = pages_text(report.render_pdf(fixed_data(name="", date_of_birth=None)))[0]
    assert "Name:" not in first
    assert "Date of birth" not in first
    assert f"Period: 1 Mar {wording.DASH} 29 May 2025" in first


def empty_data() -> ReportData:
    empty_figures = replace(
        fixed_data().figures,
        twitches=0,
        twitch_days=0,
        average_per_day=0.0,
        first=None,
        last=None,
        previous_twitches=0,
        change_percent=None,
    )
    return fixed_data(
        figures=empty_figures,
        places=(),
        flags=(),
        checklist=rules.checklist(rules.History((), ()), END),
        family_history="unknown",
        reassured_on=None,
        symptoms=(),
        triggers=(),
        checkins=CheckinAverages(days=0),
        region_weeks=(),
        hourly=(0,) * 24,
        log=(),
    )


def test_empty_period_still_makes_a_valid_pdf_that_says_nothing_was_logged():
    pages = pages_text(report.render_pdf(empty_data()))
    first = flat(pages[0])
    assert "No twitches were logged in this period." in first
    assert "0 of 90 days with twitches" in first
    assert "Red flags, as of 29 May 2025 None." in first
    assert "1. Twitching for two weeks or more No" in first
    assert "Close relative with a nerve or muscle condition: Not sure" in first
    assert "Clinician's check-up: none recorded" in first
    assert "None logged in this period." in first
    assert "No check-ins in this period." in first
    rest = flat(" ".join(pages[1:]))
    assert "No twitches were logged in this period. There is nothing to chart." in rest
    assert "Entry log No twitches were logged in this period." in rest


def dense_year() -> ReportData:
    """365 days ending 29 May 2025 with 20 twitches a day, many places and a few notes."""
    end = END
    start = end - timedelta(days=364)
    places = [code for code, _ in body.TWITCH_LOCATIONS]
    sides = ["left", "right", "both", "centre", ""]
    log = []
    for n in range(365):
        day = start + timedelta(days=n)
        for k in range(20):
            i = n * 20 + k
            log.append(
                LogRow(
                    at(day, k, (i * 7) % 60),
                    places[i % len(places)],
                    sides[i % len(sides)],
                    (i * 13) % 400 or None,
                    i % 3 + 1,
                    ("caffeine", "stress")[: i % 3],
                    f"Note {i}: Кофе, Zoë & <tea>" if i % 10 == 0 else "",
                )
            )
    history = rules.History(
        twitches=tuple(
            rules.TwitchRecord(day=row.when.date(), location=row.location) for row in log[-600:]
        ),
        symptoms=FLAG_HISTORY.symptoms,
        family_history=True,
    )
    daily = tuple(DayCount(start + timedelta(days=n), 20, 20.0) for n in range(365))
    first_monday = start - timedelta(days=start.weekday())
    weeks = tuple(
        RegionWeek(
            first_monday + timedelta(weeks=w),
            days=dict.fromkeys(body.SPREAD_REGION_CODES, 7),
        )
        for w in range(53)
    )
    places_count = {}
    for row in log:
        places_count[(row.location, row.side)] = places_count.get((row.location, row.side), 0) + 1
    return fixed_data(
        figures=replace(
            fixed_data().figures,
            span=figures.span(start, end, None),
            twitches=len(log),
            twitch_days=365,
        ),
        places=tuple(PlaceCount(loc, side, n) for (loc, side), n in places_count.items()),
        flags=tuple(rules.evaluate(history, end)),
        checklist=rules.checklist(history, end),
        daily=daily,
        region_weeks=weeks,
        hourly=(365 * 20 // 24,) * 24,
        log=tuple(log),
    )


@pytest.fixture(scope="module")
def dense_pdf() -> bytes:
    return report.render_pdf(dense_year())


@pytest.fixture(scope="module")
def dense_pdf_days() -> bytes:
    """The dense year as the PDF is made by default: each day in one row, no entry list."""
    year = dense_year()
    day_rows = tuple(
        DayRow(
            day.date,
            20,
            (
                PlaceCount("calf", "left", 8),
                PlaceCount("calf", "right", 8),
                PlaceCount("calf", "both", 4),
            ),
            checkin=CheckinDay(200, 7.0, 3, 2.0, 0.0, "moderate"),
        )
        for day in year.daily
    )
    return report.render_pdf(replace(year, day_rows=day_rows, every_entry=False, log=()))


def test_dense_year_renders_to_a_valid_pdf(dense_pdf, tmp_path):
    assert dense_pdf.startswith(b"%PDF-")
    if shutil.which("qpdf"):
        path = tmp_path / "dense.pdf"
        path.write_bytes(dense_pdf)
        result = subprocess.run(["qpdf", "--check", str(path)], capture_output=True, text=True)
        assert result.returncode == 0, result.stdout + result.stderr
        assert "No syntax or stream encoding errors found" in result.stdout
    reader = PdfReader(io.BytesIO(dense_pdf))
    assert len(reader.pages) > 100
    for page in reader.pages:
        assert page.extract_text()


def test_dense_year_keeps_page_one_to_one_page_and_repeats_log_headers(dense_pdf):
    pages = pages_text(dense_pdf)
    assert "Daily check-ins: averages" in pages[0]
    assert pages[1].startswith("Twitches per day")
    log_start = next(n for n, text in enumerate(pages) if "Entry log" in text)
    for text in pages[log_start:]:
        assert flat(text).count("Date Time Place Side Duration Intensity Triggers Notes") >= 1
    log = flat(" ".join(pages[log_start:]))
    assert "Entry log 7,300 twitches" in log
    # The first and last entries of the year, and a note in the middle of it.
    assert "May 2024 Date Time Place Side Duration Intensity Triggers Notes Thu 30 May 00:00" in log
    assert (
        "19:33 Front of thigh 1 minute 27 seconds Faint" in log
    )  # no side given: the cell is empty
    assert "10:50 Foot Left 4 minutes 10 seconds Strong Caffeine, Stress or worry Note 3650" in log
    # Each day is dated on its first row, and again only atop a page it carries over to.
    log_pages = pages[log_start:]
    dates = sum(len(DAY_LABEL.findall(text)) for text in log_pages)
    assert 365 <= dates <= 365 + len(log_pages)
    assert log.count("Кофе, Zoë & <tea>") == 730


def test_a_note_longer_than_a_page_continues_on_the_next_rows():
    note = "word " * 400 + "ж" * 600  # 2,600 characters, with one unbreakable run
    row = LogRow(at(date(2025, 4, 2), 9, 30), "calf", "left", None, 2, (), note)
    pages = pages_text(report.render_pdf(fixed_data(log=(row,))))
    log = " ".join(pages[1:])
    assert "(notes continued)" in log
    assert log.count("word") == 400
    assert log.count("ж") == 600


def test_filename_carries_the_period():
    assert report.report_filename(START, END) == "twitchlog-summary-2025-03-01-to-2025-05-29.pdf"


def test_the_table_of_each_day_gives_places_with_sides_symptoms_and_the_check_in(fixed_pages):
    rest = flat(" ".join(fixed_pages[1:]))
    assert "Each day The 4 days with anything logged, oldest first" in rest
    assert (
        "Date Twitches Places (sides) Symptoms Caffeine mg Sleep hours Stress of 5 "
        "Water litres Alcohol units Exercise"
    ) in rest
    assert "Mon 3 Mar 2 Front of thigh 1 (right), Calf 1 (left) 240 6.5 4 1.5 2 Light" in rest
    assert "Fri 9 May Weakness (mild)" in rest
    assert "Tue 20 May 3 Calf 3 (2 left, 1 right) Muscle looks smaller (mild) 95 8" in rest


def test_the_daily_chart_caption_says_the_triangles_mark_symptom_days(fixed_pages):
    charts = flat(fixed_pages[1])
    assert "Triangles: days a symptom was logged." in charts


def test_every_entry_is_listed_only_when_asked_for():
    pages = pages_text(report.render_pdf(fixed_data(every_entry=False, log=())))
    text = flat(" ".join(pages))
    assert "Entry log" not in text
    assert "Each day" in text


def test_a_capped_entry_list_says_how_many_it_leaves_out():
    capped = fixed_data(log=LOG[-2:], figures=replace(fixed_data().figures, twitches=5))
    log = flat(" ".join(pages_text(report.render_pdf(capped))[1:]))
    assert "Entry log The latest 2 twitches of the 5 in this period" in log


def test_lengths_chosen_from_the_presets_are_said_as_chosen():
    rows = (
        LogRow(at(date(2025, 4, 2), 9, 30), "calf", "left", 0, 2),
        LogRow(at(date(2025, 4, 2), 9, 45), "calf", "left", 300, 2),
    )
    log = flat(" ".join(pages_text(report.render_pdf(fixed_data(log=rows)))[1:]))
    assert "09:30 Calf Left under a second Visible" in log
    assert "09:45 Calf Left several minutes Visible" in log


def test_a_journal_shorter_than_the_period_says_so_under_the_period():
    short = replace(fixed_data().figures, span=figures.span(START, END, date(2025, 3, 21)))
    first = flat(pages_text(report.render_pdf(fixed_data(figures=short)))[0])
    assert f"Period: 21 Mar {wording.DASH} 29 May 2025 (70 days)" in first
    assert (
        "The journal starts on 21 Mar 2025, so these figures cover 70 of the 90 days chosen."
        in first
    )
    assert "4 of 70 days with twitches" in first


def test_a_year_of_days_fits_in_a_few_pages(dense_pdf_days):
    pages = pages_text(dense_pdf_days)
    table = [n for n, text in enumerate(pages) if "Places (sides)" in text]
    assert len(table) <= 8
    assert "Tue 20 May 20 Calf 20 (8 left, 8 right, 4 both sides)" in flat(" ".join(pages))
