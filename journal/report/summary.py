"""Page 1 of the PDF, the one-minute read: who and which period, the key numbers, the red
flags with their evidence, where the twitches were (left and right), the checklist,
symptoms, family history, triggers and check-ins. It always fits one page."""

from collections import defaultdict
from datetime import date
from xml.sax.saxutils import escape

from reportlab.platypus import KeepInFrame, PageBreak, Spacer, Table, TableStyle

from .. import body, rules, wording
from .data import (
    PLACE_GROUP_ORDER,
    ReportData,
    SymptomRow,
    place_group,
    places_by_location,
)
from .styles import (
    BULLET,
    CELL,
    CONTENT_WIDTH,
    FIRST_PAGE_HEIGHT,
    FONT,
    H2,
    H3,
    LEVEL_COLOURS,
    NO_TWITCHES,
    NOT_A_DIAGNOSIS,
    NOTICE,
    NUMBER,
    NUMBER_LABEL,
    NUMBER_SMALL,
    RULE_GREY,
    SMALL,
    TITLE,
    boxed,
    grid,
    layout_table,
    para,
)

# Page 1 is a one-minute read, so each flag lists only its first few pieces of
# evidence; the symptom table and entry log on later pages hold every entry.
EVIDENCE_LINES_PER_FLAG = 3
TOP_TRIGGERS = 5
PLACES_PER_REGION = 4
# Figures whose value is words or dates rather than one number, set smaller to fit.
_LONG_VALUES = ("first_last", "change")


NO_FLAGS = "None. No pattern in the journal meets the app's rules for a doctor's look."
PLACES_NOTE = (
    "Left and right count twitches logged on that side; both sides, the middle and "
    "unsided entries make up the rest."
)

_FAMILY_HISTORY_LABELS = dict(body.FAMILY_HISTORY_CHOICES)
_SYMPTOM_ORDER = {code: n for n, (code, _) in enumerate(body.SYMPTOM_KINDS)}


def _header(data: ReportData) -> list:
    who = [f"<b>Name:</b> {escape(data.name)}"] if data.name else []
    if data.date_of_birth:
        who.append(f"<b>Date of birth:</b> {wording.date_text(data.date_of_birth)}")
    generated = data.generated_at
    facts = [
        [
            para(" &nbsp; &nbsp; ".join(who)),
            para(f"<b>Generated:</b> {wording.date_text(generated.date())}, {generated:%H:%M}"),
        ],
        [
            para(f"<b>Period:</b> {data.period_text}"),
            para(f"<b>Time zone:</b> {escape(data.time_zone)}"),
        ],
    ]
    spans = []
    if note := data.figures.span.note:
        facts.append([para(note, CELL), ""])
        spans.append(("SPAN", (0, 2), (1, 2)))
    notice = para(
        f"{NOT_A_DIAGNOSIS} <font name='{FONT}'>Every entry is the person's own note; days "
        "and times are in their time zone.</font>",
        NOTICE,
    )
    return [
        para("Twitch journal summary", TITLE),
        layout_table(facts, [CONTENT_WIDTH * 0.64, CONTENT_WIDTH * 0.36], spans),
        Spacer(1, 4),
        boxed(notice),
    ]


def key_figures(data: ReportData) -> list[tuple[str, str, bool]]:
    """The key numbers as (figure, label under it, small figure): the same figures in the
    same words as the trends page (figures.Figures.tiles()), on page 1 and the shared
    clinician page."""
    return [(tile.value, tile.label, tile.code in _LONG_VALUES) for tile in data.figures.tiles()]


def _key_numbers(data: ReportData) -> list:
    row = [
        [para(value, NUMBER_SMALL if small else NUMBER), para(label, NUMBER_LABEL)]
        for value, label, small in key_figures(data)
    ]
    widths = [CONTENT_WIDTH * share for share in (0.15, 0.17, 0.17, 0.26, 0.25)]
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
    story = [para("Key numbers", H2), table]
    if data.figures.twitches == 0:
        story += [Spacer(1, 4), para(f"<b>{NO_TWITCHES}</b>")]
    return story


def _flags(data: ReportData) -> list:
    """The red flags for the clinician: what the person was told, once, then each flag's
    level and evidence; flags below the highest level follow under a plain row, uncoloured.
    """
    story = [para(f"Red flags, as of {wording.date_text(data.end)}", H2)]
    if not data.flags:
        story.append(para(NO_FLAGS))
        return story
    top = rules.highest_level(data.flags)
    story.append(
        para(
            f"<b>Highest level: {top.value.capitalize()}.</b> What the app told the person: "
            f"\u201c{escape(top.text.headline)}. {escape(top.text.advice)}\u201d",
            CELL,
        )
    )
    story.append(Spacer(1, 3))
    leading = [flag for flag in data.flags if flag.level is top]
    lower = [flag for flag in data.flags if flag.level is not top]
    rows = [_flag_row(flag) for flag in leading]
    style = [("BACKGROUND", (0, 0), (0, len(rows) - 1), LEVEL_COLOURS[top])]
    if lower:
        rows.append([para("<b>Also noted, at lower levels</b>", CELL), ""])
        style.append(("SPAN", (0, len(rows) - 1), (1, len(rows) - 1)))
        rows += [_flag_row(flag) for flag in lower]
    table = Table(rows, colWidths=[CONTENT_WIDTH * 0.14, CONTENT_WIDTH * 0.86], hAlign="LEFT")
    table.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LINEBELOW", (0, 0), (-1, -1), 0.4, RULE_GREY),
                ("TOPPADDING", (0, 0), (-1, -1), 3),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
                ("LEFTPADDING", (0, 0), (-1, -1), 5),
                *style,
            ]
        )
    )
    story.append(table)
    return story


def _flag_row(flag: rules.Flag) -> list:
    """One flag: its level, then its title and the first few pieces of evidence."""
    shown = flag.evidence[:EVIDENCE_LINES_PER_FLAG]
    lines = [para(f"<b>{escape(flag.title)}</b>")]
    lines += [para(escape(e.text), BULLET, bullet="•") for e in shown]
    hidden = len(flag.evidence) - len(shown)
    if hidden:
        lines.append(para(f"and {hidden} more, in the tables that follow", BULLET, bullet="•"))
    return [para(f"<b>{flag.level.value.capitalize()}</b>", CELL), lines]


def region_rows(data: ReportData) -> list[tuple[str, int, int, int, list[str]]]:
    """Page 1's "Where" rows: (region, twitches, left, right, places most first, each as
    "Calf 3 (1 / 2)"), head to toe. Plain text; each page escapes it for its format."""
    groups: dict[str, list[tuple[str, dict[str, int]]]] = defaultdict(list)
    for location, sides in places_by_location(data.places).items():
        groups[place_group(location)].append((location, sides))
    rows = []
    for code in PLACE_GROUP_ORDER:
        if code not in groups:
            continue
        places = sorted(groups[code], key=lambda item: -sum(item[1].values()))
        named = [
            f"{body.location_label(location)} {sum(sides.values())}"
            f" ({sides.get('left', 0)} / {sides.get('right', 0)})"
            for location, sides in places[:PLACES_PER_REGION]
        ]
        if len(places) > PLACES_PER_REGION:
            named.append(f"{len(places) - PLACES_PER_REGION} more")
        rows.append(
            (
                wording.region_name(code),
                sum(sum(sides.values()) for _, sides in places),
                sum(sides.get("left", 0) for _, sides in places),
                sum(sides.get("right", 0) for _, sides in places),
                named,
            )
        )
    return rows


def _where(data: ReportData) -> list:
    story = [para("Where: body regions, left and right", H2)]
    rows = region_rows(data)
    if not rows:
        story.append(para(NO_TWITCHES))
        return story
    table = [["Region", "Twitches", "Left", "Right", "Places, most first (left / right)"]]
    table += [
        [para(region, CELL), total, left, right, para(escape(", ".join(named)), CELL)]
        for region, total, left, right, named in rows
    ]
    widths = [112, 46, 34, 38, CONTENT_WIDTH - 230]
    story.append(
        grid(
            table,
            widths,
            [("ALIGN", (1, 0), (3, -1), "RIGHT"), ("FONT", (0, 0), (-1, -1), FONT, 9)],
        )
    )
    story.append(para(PLACES_NOTE, SMALL))
    return story


def checklist_answer(item: rules.ChecklistItem, reassured_on: date | None) -> tuple[str, str]:
    """A checklist answer as (the word, in bold when it is yes; what follows it)."""
    if not item.holds:
        return "", "No"
    if item.silenced and reassured_on:
        return "Yes", f", set aside after the check-up on {wording.date_text(reassured_on)}"
    return "Yes", ""


def _checklist_answer(item: rules.ChecklistItem, reassured_on: date | None) -> str:
    bold, rest = checklist_answer(item, reassured_on)
    return (f"<b>{bold}</b>" if bold else "") + rest


def checklist_count_text(data: ReportData) -> str:
    return f"{data.checklist.count} of 6 count now; two or more suggest a specialist's opinion."


def _checklist(data: ReportData, width: float) -> list:
    rows = [
        [
            para(f"{number}. {escape(item.label)}", CELL),
            para(_checklist_answer(item, data.reassured_on), CELL),
        ]
        for number, item in enumerate(data.checklist.items, start=1)
    ]
    table = layout_table(
        rows,
        [width * 0.72, width * 0.28],
        [
            ("LINEBELOW", (0, 0), (-1, -1), 0.3, RULE_GREY),
            ("TOPPADDING", (0, 0), (-1, -1), 1.5),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 2.5),
        ],
    )
    return [
        para("Checklist: six questions", H3),
        table,
        Spacer(1, 2),
        para(checklist_count_text(data), SMALL),
    ]


def symptom_lines(data: ReportData) -> list[tuple[str, str]]:
    """Each symptom kind as (its name, what was logged), most serious kind first."""
    by_kind: dict[str, list[SymptomRow]] = defaultdict(list)
    for row in data.symptoms:
        by_kind[row.kind].append(row)
    lines = []
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
        lines.append((body.symptom_label(kind), ", ".join(details)))
    return lines


def _symptom_summary(data: ReportData) -> list:
    story = [para("Symptoms reported", H3)]
    lines = symptom_lines(data)
    if not lines:
        story.append(para("None logged in this period.", CELL))
    for name, details in lines:
        story.append(para(f"<b>{escape(name)}</b>: {escape(details)}", CELL))
    return story


def background_answers(data: ReportData) -> tuple[str, str]:
    """(family history answer, clinician's check-up), in page 1's words."""
    answer = _FAMILY_HISTORY_LABELS.get(data.family_history, data.family_history)
    reassured = (
        f"examined and reassured on {wording.date_text(data.reassured_on)}"
        if data.reassured_on
        else "none recorded"
    )
    return answer, reassured


def _background(data: ReportData) -> list:
    answer, reassured = background_answers(data)
    return [
        para("Family history and check-ups", H3),
        para(f"<b>Close relative with a nerve or muscle condition:</b> {escape(answer)}", CELL),
        para(f"<b>Clinician's check-up:</b> {reassured}", CELL),
    ]


def _trigger_rank(code: str) -> int:
    return next((n for n, (c, _) in enumerate(body.TRIGGERS) if c == code), len(body.TRIGGERS))


def trigger_lines(data: ReportData) -> list[tuple[str, str]]:
    """The triggers noted on most days, as (trigger, days and averages)."""
    lines = []
    top = sorted(data.triggers, key=lambda t: (-t.noted.days, _trigger_rank(t.trigger)))
    for link in top[:TOP_TRIGGERS]:
        text = wording.plural(link.noted.days, "day")
        if link.enough:
            text += (
                f"; {wording.number(link.noted.average)} twitches a day then, "
                f"{wording.number(link.other.average)} on other twitch days"
            )
        lines.append((link.label, text))
    return lines


def trigger_note(data: ReportData) -> str:
    return (
        "Days on which the person linked a twitch to the trigger: an association, not a "
        f"proven cause. Averages need {data.trigger_minimum_days} days on each side."
    )


def _trigger_summary(data: ReportData) -> list:
    story = [para("Triggers noted most often", H3)]
    lines = trigger_lines(data)
    if not lines:
        story.append(para("No triggers were noted on twitches in this period.", CELL))
        return story
    for label, text in lines:
        story.append(para(f"<b>{escape(label)}</b>: {text}", CELL))
    story.append(para(trigger_note(data), SMALL))
    return story


def checkin_parts(data: ReportData) -> list[tuple[str, str]]:
    """The check-in averages as (measure, "170 mg"), only those recorded."""
    checkins = data.checkins
    parts = [
        ("Caffeine", checkins.caffeine_mg, "mg", 0),
        ("Sleep", checkins.sleep_hours, "hours", 1),
        ("Stress", checkins.stress, "of 5", 1),
        ("Water", checkins.water_litres, "litres", 1),
        ("Alcohol", checkins.alcohol_units, "units", 1),
    ]
    return [
        (label, f"{wording.number(value, digits)} {unit}")
        for label, value, unit, digits in parts
        if value is not None
    ]


def checkin_lead(data: ReportData) -> str:
    return f"From {wording.plural(data.checkins.days, 'check-in')}: "


def _checkin_summary(data: ReportData) -> list:
    story = [para("Daily check-ins: averages", H3)]
    if not data.checkins.days:
        story.append(para("No check-ins in this period.", CELL))
        return story
    values = [f"<b>{label}</b> {value}" for label, value in checkin_parts(data)]
    story.append(para(checkin_lead(data) + ", ".join(values), CELL))
    return story


def first_page(data: ReportData) -> list:
    half = (CONTENT_WIDTH - 12) / 2
    left = [*_checklist(data, half), *_background(data)]
    right = [*_symptom_summary(data), *_trigger_summary(data), *_checkin_summary(data)]
    columns = layout_table([[left, right]], [half + 12, half])
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
