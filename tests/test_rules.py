"""The red-flag rules (RULES.md), tested at every boundary without a database.

Histories are built from day offsets counted back from TODAY: 0 is today, 1 is
yesterday, -1 is tomorrow (a future-dated entry).
"""

import itertools
import random
import re
from datetime import date, timedelta

import pytest

from journal import body
from journal.rules import (
    CHECKLIST_ITEMS,
    LEVEL_TEXT,
    NOT_A_DIAGNOSIS,
    RULES,
    History,
    Level,
    SymptomRecord,
    TwitchRecord,
    checklist,
    evaluate,
    highest_level,
)

TODAY = date(2025, 3, 31)

_ids = itertools.count(1)


def ago(days: int, today: date = TODAY) -> date:
    return today - timedelta(days=days)


def twitches(today: date, spec: dict[str, list[int]]) -> tuple[TwitchRecord, ...]:
    """One twitch per (location, day offset), each with a fresh entry id."""
    return tuple(
        TwitchRecord(day=ago(offset, today), location=location, entry_id=next(_ids))
        for location, offsets in spec.items()
        for offset in offsets
    )


def symptom(kind: str, days_ago: int, severity: int = 1, onset: str = "gradual", **extra):
    return SymptomRecord(
        day=ago(days_ago), kind=kind, severity=severity, onset=onset, entry_id=next(_ids), **extra
    )


def history(
    spec: dict[str, list[int]] | None = None,
    symptoms: tuple[SymptomRecord, ...] = (),
    family_history: bool = False,
    reassured_ago: int | None = None,
) -> History:
    return History(
        twitches=twitches(TODAY, spec or {}),
        symptoms=tuple(symptoms),
        family_history=family_history,
        reassured_on=None if reassured_ago is None else ago(reassured_ago),
    )


def fired(hist: History, today: date = TODAY) -> dict[str, str]:
    """Rule id -> level value for every flag that fires."""
    return {flag.rule: flag.level.value for flag in evaluate(hist, today)}


# A journal where almost every rule fires (SPREADING rather than MULTIPLE_AREAS).
RICH_SPREADING = history(
    {"calf": [0, 1, 7, 14, 20], "hand": [0, 2], "tongue": [0, 3], "eyelid": [0, 7, 14]},
    symptoms=(
        symptom("weakness", 10, 1, location="hand", side="right"),
        symptom("weakness", 0, 2, onset="sudden", location="hand", side="right"),
        symptom("weakness", 0, 1, location="forearm", side="left"),
        symptom("muscle_loss", 5, location="thumb_base", side="left"),
        symptom("speech", 4),
        symptom("swallowing", 3),
        symptom("coordination", 2),
        symptom("numbness_tingling", 20, location="foot", side="both"),
        symptom("numbness_tingling", 10),
        symptom("numbness_tingling", 10, 2, location="hand"),
        symptom("numbness_tingling", 1, onset="sudden"),
        symptom("breathing", 1, onset="sudden"),
        symptom("heaviness", 0, 3),
        symptom("cramps", 0, 2),
    ),
    family_history=True,
)
# Sudden symptoms earlier in the week and eyelid twitching with the face: prompt.
RICH_PROMPT = history(
    {"eyelid": [0, 3], "cheek": [0, 3]},
    symptoms=(
        symptom("speech", 3, onset="sudden"),
        symptom("coordination", 2, onset="sudden"),
        symptom("breathing", 4),
        symptom("weakness", 40),
    ),
)
# Twitches in exactly two body areas, so MULTIPLE_AREAS fires.
RICH_TWO_AREAS = history(
    {"calf": [0, 1, 7, 14], "forearm": [0, 5], "eyelid": [0, 30]},
    symptoms=(symptom("breathing", 2), symptom("weakness", 0)),
    family_history=True,
)


def test_rules_md_example_is_a_single_soon_weakness_flag():
    hist = History(
        twitches=(TwitchRecord(day=date(2025, 3, 1), location="calf", side="left"),),
        symptoms=(
            SymptomRecord(
                day=date(2025, 3, 2),
                kind="weakness",
                severity=1,
                onset="gradual",
                location="hand",
                side="right",
            ),
        ),
        family_history=False,
        reassured_on=None,
    )
    flags = evaluate(hist, today=date(2025, 3, 2))
    assert [(f.rule, f.level, f.level.value) for f in flags] == [("WEAKNESS", Level.SOON, "soon")]
    assert flags[0].checklist_item == "C3"
    assert all((flags[0].title, flags[0].message, flags[0].source))
    assert flags[0].evidence[0].days == (date(2025, 3, 2),)
    assert flags[0].evidence[0].locations == ("hand",)


def test_empty_journal_raises_nothing():
    assert evaluate(history(), TODAY) == []
    assert highest_level(evaluate(history(), TODAY)) is None


@pytest.mark.parametrize(
    ("spec", "expected"),
    [
        pytest.param({"calf": [13, 6, 0]}, False, id="elapsed-13-days-no"),
        pytest.param({"calf": [14, 7, 0]}, True, id="elapsed-14-days-yes"),
        pytest.param({"calf": [14, 0]}, False, id="only-two-twitch-days-no"),
        pytest.param({"calf": [21, 14, 7]}, True, id="last-twitch-today-minus-7-yes"),
        pytest.param({"calf": [22, 15, 8]}, False, id="last-twitch-today-minus-8-no"),
        pytest.param({"calf": [15, 1, 0]}, True, id="gap-of-14-days-joins-episode"),
        pytest.param({"calf": [16, 1, 0]}, False, id="gap-of-15-days-breaks-episode"),
        pytest.param({"calf": [60, 50, 40, 0]}, False, id="earlier-episode-does-not-count"),
        pytest.param({"calf": [14, 0], "eyelid": [7]}, False, id="eyelid-day-not-counted"),
        pytest.param({"calf": [30, 16, 0], "eyelid": [8]}, False, id="eyelid-does-not-bridge"),
        pytest.param({"eyelid": [20, 10, 0]}, False, id="eyelid-alone-never"),
        pytest.param({"all_over": [14, 7, 0]}, True, id="all-over-counts"),
        pytest.param({"calf": [14, 0], "hand": [14], "chest": [0]}, False, id="same-day-once"),
        pytest.param({"calf": [14, 7, -1]}, False, id="future-day-ignored"),
    ],
)
def test_persistence_boundaries(spec, expected):
    result = fired(history(spec))
    assert ("PERSISTENCE" in result) is expected
    if expected:
        assert result["PERSISTENCE"] == "routine"


def test_persistence_evidence_lists_the_episode_days_and_entries():
    hist = history({"calf": [30, 14, 7, 0]})
    (flag,) = [f for f in evaluate(hist, TODAY) if f.rule == "PERSISTENCE"]
    (evidence,) = flag.evidence
    assert evidence.days == (ago(14), ago(7), ago(0))
    assert len(evidence.twitch_ids) == 3
    assert "3 days" in evidence.text


def test_earlier_days_count_in_the_episode_like_records_without_entries():
    # History.earlier_days stand for twitch-days before the records begin: the flags,
    # evidence and checklist read exactly as if each were a record without an entry id.
    calf = [85, 75, 62, 50, 40, 28, 14, 0]
    recent = twitches(TODAY, {"calf": calf, "hand": [3, 2], "eyelid": [100]})
    earlier = (ago(140), ago(118), ago(104), ago(92))  # 140 is 22 days before 118
    as_records = History(
        twitches=(*(TwitchRecord(day=day, location="thigh_front") for day in earlier), *recent),
        symptoms=(),
    )
    as_days = History(twitches=recent, symptoms=(), earlier_days=earlier)

    assert evaluate(as_days, TODAY) == evaluate(as_records, TODAY)
    assert checklist(as_days, TODAY) == checklist(as_records, TODAY)
    (flag,) = [f for f in evaluate(as_days, TODAY) if f.rule == "PERSISTENCE"]
    assert flag.evidence[0].days == tuple(ago(n) for n in (118, 104, 92, *calf[:-1], 3, 2, 0))
    assert len(flag.evidence[0].twitch_ids) == 10
    # A day after the one evaluated is left out, as a record's would be.
    two_days = twitches(TODAY, {"calf": [14, 7]})
    assert "PERSISTENCE" not in fired(History(two_days, (), earlier_days=(ago(-1),)))


def test_evidence_dates_read_like_every_other_date_in_the_app():
    # Day first with the month's short name, as the pages and the PDF write them; a date
    # of another year carries its year.
    new_year = date(2025, 1, 5)
    hist = History(twitches=twitches(new_year, {"calf": [20, 10, 0]}), symptoms=())
    (flag,) = [f for f in evaluate(hist, new_year) if f.rule == "PERSISTENCE"]
    assert flag.evidence[0].text.startswith(
        "Twitches on 3 days from 16 Dec 2024 to 5 Jan, with no gap"
    )


@pytest.mark.parametrize(
    ("spec", "expected"),
    [
        pytest.param({"calf": [0]}, set(), id="one-day-one-region"),
        pytest.param({"calf": [0, 1]}, set(), id="two-days-one-region"),
        pytest.param({"calf": [0, 1], "hand": [0, 1]}, {"MULTIPLE_AREAS"}, id="two-regions"),
        pytest.param(
            {"calf": [0, 1], "hand": [0, 1], "chest": [0, 1]}, {"SPREADING"}, id="three-regions"
        ),
        pytest.param(
            {"calf": [0, 1], "hand": [0, 1], "chest": [0, 1], "jaw": [0, 1]},
            {"SPREADING"},
            id="four-regions",
        ),
        pytest.param(
            {"calf": [0, 1], "hand": [0, 1], "chest": [0]},
            {"MULTIPLE_AREAS"},
            id="third-region-on-one-day-only",
        ),
        pytest.param(
            {"calf": [0, 1], "hand": [0, 1], "chest": [27, 0]},
            {"SPREADING"},
            id="day-27-inside-window",
        ),
        pytest.param(
            {"calf": [0, 1], "hand": [0, 1], "chest": [28, 0]},
            {"MULTIPLE_AREAS"},
            id="day-28-outside-window",
        ),
        pytest.param(
            {"calf": [0], "thigh_back": [1], "hand": [0, 1]},
            {"MULTIPLE_AREAS"},
            id="two-places-in-one-region-make-it-active",
        ),
        pytest.param(
            {"calf": [0], "shin": [0], "hand": [0, 1]}, set(), id="two-places-same-day-is-one-day"
        ),
        pytest.param(
            {"calf": [0, 1], "hand": [0, 1], "eyelid": [0, 1]},
            {"MULTIPLE_AREAS"},
            id="eyelid-is-not-a-region",
        ),
        pytest.param(
            {"calf": [0, 1], "hand": [0, 1], "tongue": [0, 1]},
            {"SPREADING"},
            id="head-counts-as-a-region",
        ),
        pytest.param({"all_over": [0, 1]}, {"SPREADING"}, id="all-over-is-three-regions"),
        pytest.param({"all_over": [0]}, set(), id="all-over-on-one-day"),
        pytest.param(
            {"all_over": [1], "tongue": [0], "hand": [0], "calf": [0]},
            {"MULTIPLE_AREAS"},
            id="all-over-does-not-count-for-head",
        ),
        pytest.param(
            {"calf": [0, 1], "hand": [0, 1], "chest": [0, -1]},
            {"MULTIPLE_AREAS"},
            id="future-day-ignored",
        ),
    ],
)
def test_active_region_boundaries(spec, expected):
    result = fired(history(spec))
    assert {rule for rule in result if rule in {"SPREADING", "MULTIPLE_AREAS"}} == expected
    assert result.get("SPREADING") in (None, "soon")
    assert result.get("MULTIPLE_AREAS") in (None, "info")


def test_spreading_evidence_links_each_region_to_its_days_and_entries():
    hist = history({"calf": [0, 3], "hand": [1, 2], "chest": [0, 5], "eyelid": [0, 1]})
    (flag,) = [f for f in evaluate(hist, TODAY) if f.rule == "SPREADING"]
    assert [e.regions for e in flag.evidence] == [("arm",), ("trunk",), ("leg",)]
    assert flag.evidence[2].days == (ago(3), ago(0))
    assert flag.evidence[2].locations == ("calf",)
    assert len(flag.evidence[2].twitch_ids) == 2
    assert all(body.EYELID not in e.locations for e in flag.evidence)


@pytest.mark.parametrize(
    ("entries", "expected"),
    [
        pytest.param([(0, 1)], "soon", id="today"),
        pytest.param([(27, 1)], "soon", id="day-27-inside-window"),
        pytest.param([(28, 1)], None, id="day-28-outside-window"),
        pytest.param([(-1, 1)], None, id="future-dated-ignored"),
        pytest.param([(6, 1), (0, 1)], "soon", id="six-days-apart"),
        pytest.param([(7, 1), (0, 1)], "prompt", id="seven-days-apart"),
        pytest.param([(55, 1), (0, 1)], "prompt", id="day-55-inside-56-day-span"),
        pytest.param([(56, 1), (0, 1)], "soon", id="day-56-outside-56-day-span"),
        pytest.param([(3, 1), (0, 2)], "prompt", id="severity-rises"),
        pytest.param([(3, 2), (0, 2)], "soon", id="severity-equal"),
        pytest.param([(3, 3), (0, 1)], "soon", id="severity-falls"),
        pytest.param([(0, 1), (0, 3)], "soon", id="same-day-severities-not-ordered"),
        pytest.param([(5, 1), (3, 3), (0, 1)], "prompt", id="rise-then-fall"),
        pytest.param([(56, 1), (3, 2), (0, 2)], "soon", id="rise-from-outside-span-ignored"),
        pytest.param([(4, 2), (2, 1), (0, 2)], "soon", id="back-up-to-an-earlier-high-is-no-rise"),
        pytest.param([(4, 2), (2, 1), (0, 3)], "prompt", id="above-every-earlier-date-is-a-rise"),
        pytest.param([(1, 1), (1, 3), (0, 2)], "soon", id="below-an-earlier-same-day-high"),
        pytest.param([(1, 1), (0, 2), (0, 1)], "prompt", id="one-of-a-later-days-entries-rises"),
        pytest.param([(50, 1), (40, 2)], None, id="old-pattern-without-recent-weakness"),
    ],
)
def test_weakness_levels(entries, expected):
    hist = history(symptoms=[symptom("weakness", d, severity) for d, severity in entries])
    assert fired(hist).get("WEAKNESS") == expected


def test_weakness_twice_a_week_apart_is_prompt():
    flags = evaluate(history(symptoms=[symptom("weakness", 7), symptom("weakness", 0)]), TODAY)
    (flag,) = flags
    assert (flag.rule, flag.level) == ("WEAKNESS", Level.PROMPT)
    assert "7 days apart" in flag.evidence[0].text
    assert len(flag.evidence[0].symptom_ids) == 2


def test_weakness_that_rises_in_severity_is_prompt_and_says_so():
    (flag,) = evaluate(
        history(symptoms=[symptom("weakness", 2, 1), symptom("weakness", 0, 3)]), TODAY
    )
    assert flag.level is Level.PROMPT
    assert "from mild" in flag.evidence[0].text
    assert "to severe" in flag.evidence[0].text


@pytest.mark.parametrize(
    ("kind", "days_ago", "rule", "expected"),
    [
        pytest.param("muscle_loss", 0, "MUSCLE_LOSS", "prompt", id="muscle-loss-today"),
        pytest.param("muscle_loss", 55, "MUSCLE_LOSS", "prompt", id="muscle-loss-day-55"),
        pytest.param("muscle_loss", 56, "MUSCLE_LOSS", None, id="muscle-loss-day-56"),
        pytest.param("muscle_loss", -1, "MUSCLE_LOSS", None, id="muscle-loss-future"),
        pytest.param("speech", 0, "BULBAR", "prompt", id="speech-today"),
        pytest.param("speech", 27, "BULBAR", "prompt", id="speech-day-27"),
        pytest.param("speech", 28, "BULBAR", None, id="speech-day-28"),
        pytest.param("swallowing", 27, "BULBAR", "prompt", id="swallowing-day-27"),
        pytest.param("swallowing", 28, "BULBAR", None, id="swallowing-day-28"),
        pytest.param("coordination", 0, "COORDINATION", "soon", id="coordination-today"),
        pytest.param("coordination", 27, "COORDINATION", "soon", id="coordination-day-27"),
        pytest.param("coordination", 28, "COORDINATION", None, id="coordination-day-28"),
    ],
)
def test_single_symptom_rules(kind, days_ago, rule, expected):
    result = fired(history(symptoms=[symptom(kind, days_ago)]))
    assert result.get(rule) == expected
    assert set(result) <= {rule}


@pytest.mark.parametrize(
    ("numbness", "weakness", "expected"),
    [
        pytest.param([14, 7, 0], [], True, id="three-dates-spanning-14-days"),
        pytest.param([13, 7, 0], [], False, id="three-dates-spanning-13-days"),
        pytest.param([30, 0], [], False, id="two-dates-are-not-enough"),
        pytest.param([14, 14, 0], [], False, id="repeats-on-a-date-count-once"),
        pytest.param([89, 70, 27], [], True, id="first-date-day-89-inside-90-days"),
        pytest.param([90, 70, 27], [], False, id="first-date-day-90-outside-90-days"),
        pytest.param([89, 70, 28], [], False, id="latest-date-day-28-outside-28-days"),
        pytest.param([120, 110, 100], [], False, id="old-dates-no-longer-count"),
        pytest.param([14, 0, -1], [], False, id="future-date-ignored"),
        pytest.param([27], [0], True, id="with-weakness-day-27"),
        pytest.param([28], [0], False, id="with-weakness-day-28"),
        pytest.param([0], [28], False, id="weakness-too-old-to-fire"),
        pytest.param([0], [], False, id="recent-but-alone"),
    ],
)
def test_sensory_boundaries(numbness, weakness, expected):
    records = [symptom("numbness_tingling", d) for d in numbness]
    records += [symptom("weakness", d) for d in weakness]
    result = fired(history(symptoms=records))
    assert ("SENSORY" in result) is expected
    if expected:
        assert result["SENSORY"] == "soon"


@pytest.mark.parametrize(
    ("spec", "expected"),
    [
        # (a) a continuing eyelid episode (RULES.md 2.4)
        pytest.param({"eyelid": [14, 7, 0]}, True, id="episode-elapsed-14-days-yes"),
        pytest.param({"eyelid": [13, 6, 0]}, False, id="episode-elapsed-13-days-no"),
        pytest.param({"eyelid": [14, 0]}, False, id="episode-of-two-days-no"),
        pytest.param({"eyelid": [40, 0]}, False, id="two-twitches-40-days-apart-no"),
        pytest.param({"eyelid": [21, 14, 7]}, True, id="last-eyelid-day-today-minus-7-yes"),
        pytest.param({"eyelid": [22, 15, 8]}, False, id="last-eyelid-day-today-minus-8-no"),
        pytest.param({"eyelid": [15, 1, 0]}, True, id="gap-of-14-days-joins-episode"),
        pytest.param({"eyelid": [17, 2, 0]}, False, id="gap-of-15-days-breaks-episode"),
        pytest.param(
            {"eyelid": [88, 74, 60, 46, 32, 18, 4]}, True, id="long-episode-inside-90-days"
        ),
        pytest.param(
            {"eyelid": [30, 16, 0], "calf": [8]}, False, id="other-places-do-not-bridge-eyelid"
        ),
        pytest.param({"eyelid": [14, 7, -1]}, False, id="future-eyelid-day-ignored"),
        # (b) eyelid and another face place on the same date, on 2 dates in 28 days
        pytest.param({"eyelid": [5, 0], "cheek": [5, 0]}, True, id="with-cheek-on-two-dates"),
        pytest.param({"eyelid": [5, 0], "cheek": [0]}, False, id="with-cheek-on-one-date"),
        pytest.param(
            {"eyelid": [5, 0], "forehead": [5], "jaw": [0]}, True, id="different-face-places"
        ),
        pytest.param({"eyelid": [27, 0], "lips": [27, 0]}, True, id="date-day-27-inside"),
        pytest.param({"eyelid": [28, 0], "lips": [28, 0]}, False, id="date-day-28-outside"),
        pytest.param({"eyelid": [6, 1], "cheek": [5, 0]}, False, id="not-on-the-same-dates"),
        pytest.param({"eyelid": [5, 0], "tongue": [5, 0]}, False, id="tongue-is-not-face"),
        pytest.param({"eyelid": [5, 0], "throat": [5, 0]}, False, id="throat-is-not-face"),
        pytest.param({"eyelid": [5, -1], "cheek": [5, -1]}, False, id="future-date-ignored"),
        pytest.param({"cheek": [5, 0], "jaw": [5, 0]}, False, id="face-without-eyelid"),
    ],
)
def test_eyelid_boundaries(spec, expected):
    result = fired(history(spec))
    assert result == ({"EYELID": "routine"} if expected else {})


def test_eyelid_rules_read_records_without_entry_ids():
    # As the RULES.md example builds them, and as history gives days before the window.
    days = (ago(14), ago(7), ago(0))
    hist = History(
        twitches=tuple(
            TwitchRecord(day=day, location=place) for day in days for place in ("eyelid", "lips")
        ),
        symptoms=(),
    )
    flag = next(f for f in evaluate(hist, TODAY) if f.rule == "EYELID")
    assert [e.days for e in flag.evidence] == [days, days]
    assert all(e.twitch_ids == () for e in flag.evidence)


def test_lasting_eyelid_twitch_points_to_an_eye_doctor_not_a_neurologist():
    (flag,) = evaluate(history({"eyelid": [14, 7, 0]}), TODAY)
    assert flag.title == "Eyelid twitching for two weeks or more"
    assert "eye doctor" in flag.message
    assert "neurologist" not in flag.message.lower()
    assert flag.evidence[0].locations == ("eyelid",)
    assert flag.evidence[0].days == (ago(14), ago(7), ago(0))


def test_eyelid_with_the_face_points_to_a_doctor_and_shows_both_places():
    hist = history({"eyelid": [20, 12, 5, 0], "cheek": [5], "jaw": [0]})
    (flag,) = evaluate(hist, TODAY)
    assert flag.title == "Eyelid and other face twitching on the same days"
    assert "a doctor rather than an eye check alone" in flag.message
    with_face, lasting = flag.evidence
    assert with_face.text == (
        "Eyelid and another part of the face (jaw and cheek) on the same day: 26 Mar and 31 Mar"
    )
    assert with_face.days == (ago(5), ago(0))
    assert with_face.locations == ("eyelid", "jaw", "cheek")
    assert len(with_face.twitch_ids) == 4
    assert lasting.days == (ago(20), ago(12), ago(5), ago(0))


@pytest.mark.parametrize(
    ("family_history", "spec", "expected"),
    [
        pytest.param(True, {"calf": [27]}, True, id="twitch-day-27"),
        pytest.param(True, {"calf": [28]}, False, id="twitch-day-28"),
        pytest.param(True, {"all_over": [0]}, True, id="all-over-twitch"),
        pytest.param(True, {"eyelid": [0]}, False, id="eyelid-only"),
        pytest.param(True, {}, False, id="no-twitches"),
        pytest.param(True, {"calf": [-1]}, False, id="future-twitch-ignored"),
        pytest.param(False, {"calf": [0]}, False, id="no-family-history"),
    ],
)
def test_family_history(family_history, spec, expected):
    result = fired(history(spec, family_history=family_history))
    assert result == ({"FAMILY_HISTORY": "info"} if expected else {})


TWITCH_PATTERN = {"calf": [0, 1, 7, 14], "hand": [0, 1], "chest": [0, 1], "eyelid": [0, 7, 14]}
TWITCH_PATTERN_RULES = {"PERSISTENCE", "SPREADING", "EYELID", "FAMILY_HISTORY", "CHECKLIST"}


@pytest.mark.parametrize(
    ("reassured_ago", "silenced"),
    [
        pytest.param(0, True, id="reassured-today"),
        pytest.param(89, True, id="reassured-89-days-ago"),
        pytest.param(90, False, id="reassured-90-days-ago"),
        pytest.param(200, False, id="reassured-long-ago"),
        pytest.param(-1, False, id="reassured-tomorrow-ignored"),
        pytest.param(-5, False, id="future-reassurance-ignored"),
    ],
)
def test_reassurance_silences_twitch_pattern_rules_for_90_days(reassured_ago, silenced):
    result = fired(history(TWITCH_PATTERN, family_history=True, reassured_ago=reassured_ago))
    assert set(result) == (set() if silenced else TWITCH_PATTERN_RULES)


@pytest.mark.parametrize(
    ("reassured_ago", "expected"),
    [
        pytest.param(89, {}, id="reassured-89-days-ago"),
        pytest.param(90, {"MULTIPLE_AREAS": "info"}, id="reassured-90-days-ago"),
    ],
)
def test_reassurance_silences_multiple_areas(reassured_ago, expected):
    spec = {"calf": [0, 1], "hand": [0, 1]}
    assert fired(history(spec, reassured_ago=reassured_ago)) == expected


@pytest.mark.parametrize(
    ("records", "rule"),
    [
        pytest.param([("weakness", 0, "gradual")], "WEAKNESS", id="weakness"),
        pytest.param([("muscle_loss", 0, "gradual")], "MUSCLE_LOSS", id="muscle-loss"),
        pytest.param([("speech", 0, "gradual")], "BULBAR", id="bulbar"),
        pytest.param([("coordination", 0, "gradual")], "COORDINATION", id="coordination"),
        pytest.param(
            [("numbness_tingling", d, "gradual") for d in (14, 7, 0)], "SENSORY", id="sensory"
        ),
        pytest.param([("numbness_tingling", 0, "sudden")], "SUDDEN_ONSET", id="sudden-onset"),
        pytest.param([("swallowing", 3, "sudden")], "SUDDEN_ONSET", id="sudden-onset-prompt"),
        pytest.param([("breathing", 0, "gradual")], "BREATHING", id="breathing"),
    ],
)
def test_reassurance_never_silences_symptom_rules(records, rule):
    symptoms = [symptom(kind, d, onset=onset) for kind, d, onset in records]
    assert rule in fired(history(TWITCH_PATTERN, symptoms, True, reassured_ago=0))


@pytest.mark.parametrize(
    ("hist", "expected"),
    [
        pytest.param(history(symptoms=[symptom("weakness", 0)]), False, id="one-item"),
        pytest.param(
            history(symptoms=[symptom("weakness", 0), symptom("muscle_loss", 0)]),
            True,
            id="weakness-and-muscle-loss",
        ),
        pytest.param(
            history({"calf": [0, 7, 14], "hand": [0, 1], "chest": [0, 1]}),
            True,
            id="persistence-and-spreading",
        ),
        pytest.param(
            history({"calf": [0]}, [symptom("weakness", 0)], family_history=True),
            True,
            id="family-history-and-weakness",
        ),
        pytest.param(
            history(symptoms=[symptom("speech", 0), symptom("coordination", 0)]),
            False,
            id="speech-and-coordination-are-one-item",
        ),
        pytest.param(
            history(TWITCH_PATTERN, family_history=True, reassured_ago=10),
            False,
            id="reassured-with-only-silenced-items",
        ),
        pytest.param(
            history({"calf": [0, 7, 14]}, [symptom("weakness", 0)], reassured_ago=10),
            False,
            id="reassured-silenced-item-plus-one-symptom-item",
        ),
        pytest.param(
            history(
                TWITCH_PATTERN,
                [symptom("weakness", 0), symptom("swallowing", 0)],
                reassured_ago=10,
            ),
            True,
            id="reassured-with-two-symptom-items",
        ),
        pytest.param(
            history(
                TWITCH_PATTERN,
                [symptom("muscle_loss", 3), symptom("coordination", 1)],
                family_history=True,
                reassured_ago=0,
            ),
            True,
            id="reassured-muscle-loss-and-coordination",
        ),
        pytest.param(
            history(TWITCH_PATTERN, [symptom("muscle_loss", 3)], True, reassured_ago=89),
            False,
            id="reassured-89-days-ago-one-symptom-item",
        ),
        pytest.param(
            history(TWITCH_PATTERN, [symptom("muscle_loss", 3)], True, reassured_ago=90),
            True,
            id="reassured-90-days-ago-every-item-counts",
        ),
        pytest.param(
            history(TWITCH_PATTERN, [symptom("muscle_loss", 3)], True, reassured_ago=-1),
            True,
            id="future-reassurance-silences-nothing",
        ),
    ],
)
def test_checklist_rule_needs_two_counting_items(hist, expected):
    result = fired(hist)
    assert ("CHECKLIST" in result) is expected
    if expected:
        assert result["CHECKLIST"] == "soon"


def test_checklist_reports_every_item_honestly_and_marks_reassurance():
    hist = history(
        TWITCH_PATTERN, [symptom("muscle_loss", 3)], family_history=True, reassured_ago=10
    )
    result = checklist(hist, TODAY)
    assert result.reassured is True
    assert [(i.code, i.question, i.label) for i in result.items] == list(CHECKLIST_ITEMS)
    answers = {i.code: (i.holds, i.silenced, i.counts) for i in result.items}
    assert answers == {
        "C1": (True, True, False),
        "C2": (True, False, True),
        "C3": (False, False, False),
        "C4": (True, True, False),
        "C5": (False, False, False),
        "C6": (True, True, False),
    }
    assert (result.count, result.met) == (1, False)
    assert all(bool(i.evidence) == i.holds for i in result.items)


def test_checklist_flag_evidence_names_each_counting_item():
    hist = history(symptoms=[symptom("weakness", 1), symptom("speech", 0)])
    (flag,) = [f for f in evaluate(hist, TODAY) if f.rule == "CHECKLIST"]
    assert [e.text for e in flag.evidence] == [
        "Weakness: an everyday task has become harder",
        "Changes in speech, swallowing or coordination",
    ]
    assert all(len(e.symptom_ids) == 1 for e in flag.evidence)


@pytest.mark.parametrize(
    ("kind", "days_ago", "onset", "expected"),
    [
        pytest.param("weakness", 0, "sudden", "emergency", id="weakness-today"),
        pytest.param("weakness", 1, "sudden", "emergency", id="weakness-yesterday"),
        pytest.param("weakness", 2, "sudden", "prompt", id="weakness-two-days-ago"),
        pytest.param("weakness", 6, "sudden", "prompt", id="weakness-day-6"),
        pytest.param("weakness", 7, "sudden", None, id="weakness-day-7"),
        pytest.param("weakness", 0, "gradual", None, id="weakness-gradual"),
        pytest.param("weakness", -1, "sudden", None, id="weakness-future-dated"),
        pytest.param("speech", 0, "sudden", "emergency", id="speech-today"),
        pytest.param("speech", 2, "sudden", "prompt", id="speech-two-days-ago"),
        pytest.param("swallowing", 1, "sudden", "emergency", id="swallowing-yesterday"),
        pytest.param("swallowing", 6, "sudden", "prompt", id="swallowing-day-6"),
        pytest.param("coordination", 0, "sudden", "emergency", id="coordination-today"),
        pytest.param("coordination", 2, "sudden", "prompt", id="coordination-two-days-ago"),
        pytest.param("coordination", 7, "sudden", None, id="coordination-day-7"),
        pytest.param("numbness_tingling", 1, "sudden", "emergency", id="numbness-yesterday"),
        pytest.param("numbness_tingling", 6, "sudden", "prompt", id="numbness-day-6"),
        pytest.param("numbness_tingling", 0, "gradual", None, id="numbness-gradual"),
        pytest.param("muscle_loss", 0, "sudden", None, id="muscle-loss-is-not-included"),
        pytest.param("breathing", 0, "sudden", None, id="breathing-has-its-own-rule"),
        pytest.param("cramps", 0, "sudden", None, id="cramps-are-not-included"),
    ],
)
def test_sudden_onset(kind, days_ago, onset, expected):
    flags = evaluate(history(symptoms=[symptom(kind, days_ago, onset=onset)]), TODAY)
    result = {flag.rule: flag.level.value for flag in flags}
    assert result.get("SUDDEN_ONSET") == expected
    if expected == "emergency":
        assert (flags[0].rule, flags[0].level) == ("SUDDEN_ONSET", Level.EMERGENCY)


def test_sudden_weakness_two_days_ago_is_prompt_not_only_a_weeks_matter():
    flags = evaluate(history(symptoms=[symptom("weakness", 2, onset="sudden")]), TODAY)
    assert [(f.rule, f.level) for f in flags] == [
        ("SUDDEN_ONSET", Level.PROMPT),
        ("WEAKNESS", Level.SOON),
    ]
    assert highest_level(flags) is Level.PROMPT
    assert flags[0].title == "Sudden new symptoms in the last 7 days"


def test_one_sudden_symptom_today_makes_every_sudden_one_of_the_week_an_emergency_item():
    records = [symptom("coordination", 4, onset="sudden"), symptom("speech", 0, onset="sudden")]
    (flag,) = [f for f in evaluate(history(symptoms=records), TODAY) if f.rule == "SUDDEN_ONSET"]
    assert flag.level is Level.EMERGENCY
    assert "a change in your speech that came on suddenly, today or yesterday" in flag.message
    assert [e.days for e in flag.evidence] == [(ago(4),), (ago(0),)]


@pytest.mark.parametrize(
    ("entries", "expected"),
    [
        pytest.param([(0, "sudden")], "emergency", id="sudden-today"),
        pytest.param([(1, "sudden")], "emergency", id="sudden-yesterday"),
        pytest.param([(2, "sudden")], "prompt", id="sudden-two-days-ago"),
        pytest.param([(6, "sudden")], "prompt", id="sudden-day-6"),
        pytest.param([(0, "gradual")], "prompt", id="gradual-today"),
        pytest.param([(6, "gradual")], "prompt", id="gradual-day-6"),
        pytest.param([(7, "gradual")], None, id="gradual-day-7"),
        pytest.param([(7, "sudden")], None, id="sudden-day-7"),
        pytest.param([(-1, "sudden")], None, id="future-dated"),
        pytest.param([(3, "sudden"), (0, "gradual")], "prompt", id="sudden-earlier-gradual-today"),
        pytest.param([(5, "gradual"), (1, "sudden")], "emergency", id="sudden-yesterday-and-more"),
    ],
)
def test_breathing(entries, expected):
    records = [symptom("breathing", days_ago, onset=onset) for days_ago, onset in entries]
    result = fired(history(symptoms=records))
    assert result.get("BREATHING") == expected
    assert set(result) <= {"BREATHING"}


@pytest.mark.parametrize("kind", ["heaviness", "cramps"])
@pytest.mark.parametrize("onset", ["gradual", "sudden"])
@pytest.mark.parametrize("severity", [1, 3])
def test_heaviness_and_cramps_never_raise_a_flag(kind, onset, severity):
    records = [symptom(kind, d, severity, onset) for d in (40, 20, 7, 1, 0)]
    assert evaluate(history(symptoms=records), TODAY) == []


RICH_JOURNALS = [RICH_SPREADING, RICH_TWO_AREAS, RICH_PROMPT]
RICH_IDS = ["spreading", "two-areas", "prompt"]


def test_rich_journals_fire_every_rule():
    fired_anywhere = set().union(*(fired(hist) for hist in RICH_JOURNALS))
    assert fired_anywhere == {rule.id for rule in RULES}
    assert fired(RICH_PROMPT) == {
        "SUDDEN_ONSET": "prompt",
        "BREATHING": "prompt",
        "BULBAR": "prompt",
        # Speech and coordination answer the same checklist question: one item, no CHECKLIST.
        "COORDINATION": "soon",
        "EYELID": "routine",
    }


def user_facing_texts(hist: History) -> list[str]:
    """Every sentence the rules give a person for ``hist``, the level wording included."""
    texts = [NOT_A_DIAGNOSIS]
    texts += [t for lt in LEVEL_TEXT.values() for t in (lt.headline, lt.advice)]
    for flag in evaluate(hist, TODAY):
        texts += [flag.title, flag.message, *(e.text for e in flag.evidence)]
    for item in checklist(hist, TODAY).items:
        texts += [item.question, item.label, *(e.text for e in item.evidence)]
    return texts


DISEASE_WORDS = re.compile(
    r"\bALS\b|\bMND\b|motor neuron|sclerosis|amyotrophic|gehrig|dystroph|stroke|"
    r"neuropath|disease|cancer|tumou?r|parkinson|myasthenia|lyme|thyroid",
    re.IGNORECASE,
)


@pytest.mark.parametrize("hist", RICH_JOURNALS, ids=RICH_IDS)
def test_no_user_facing_text_names_a_disease(hist):
    texts = user_facing_texts(hist)
    texts += [flag.source for flag in evaluate(hist, TODAY)]
    assert [t for t in texts if DISEASE_WORDS.search(t)] == []


# Rule ids are upper case, so "weakness" in a sentence is not the WEAKNESS rule.
INTERNAL_CODES = re.compile(r"\bC[1-6]\b|" + "|".join(rf"\b{rule.id}\b" for rule in RULES))


@pytest.mark.parametrize("hist", RICH_JOURNALS, ids=RICH_IDS)
def test_no_user_facing_text_shows_a_rule_id_or_checklist_code(hist):
    assert [t for t in user_facing_texts(hist) if INTERNAL_CODES.search(t)] == []


# Words that tell a person when or where to act: the card's action says that once.
ACTION_WORDS = re.compile(
    r"\b(within|soon|now|straight away|at once|immediately|next few|neurologist|"
    r"emergency|appointment|visit|call)\b|\d-\d weeks|two to three weeks",
    re.IGNORECASE,
)


@pytest.mark.parametrize("hist", RICH_JOURNALS, ids=RICH_IDS)
def test_flag_explanations_say_what_and_why_never_when(hist):
    for flag in evaluate(hist, TODAY):
        assert all((flag.title, flag.message, flag.evidence))
        assert ACTION_WORDS.search(flag.title) is None, flag.title
        assert ACTION_WORDS.search(flag.message) is None, flag.message


@pytest.mark.parametrize(
    ("level", "says", "never"),
    [
        pytest.param(Level.INFO, ["Nothing to act on"], ["neurologist", "week", "now"], id="info"),
        pytest.param(
            Level.ROUTINE,
            ["ordinary doctor's visit"],
            ["neurologist", "week", "within", "now"],
            id="routine",
        ),
        pytest.param(
            Level.SOON, ["See a neurologist within 2-3 weeks"], ["days", "now"], id="soon"
        ),
        pytest.param(
            Level.PROMPT,
            ["Contact a doctor within days", "refer you to a neurologist"],
            ["week", "soon", "now"],
            id="prompt",
        ),
        pytest.param(
            Level.EMERGENCY,
            ["Call emergency services now", "112", "911", "999"],
            ["neurologist", "week", "within"],
            id="emergency",
        ),
    ],
)
def test_each_level_states_its_action_once_in_its_own_words(level, says, never):
    words = f"{level.text.headline} {level.text.advice}"
    for phrase in says:
        assert words.count(phrase) == 1, phrase
    for word in never:
        assert re.search(rf"\b{word}\b", words, re.IGNORECASE) is None, word


def test_persistence_and_its_checklist_question_say_two_weeks_or_more():
    hist = history({"calf": [14, 7, 0]})
    (flag,) = evaluate(hist, TODAY)
    assert flag.title == "Twitching for two weeks or more"
    c1 = checklist(hist, TODAY).items[0]
    assert "two weeks or more" in c1.question
    assert c1.holds
    texts = [t for journal in RICH_JOURNALS for t in user_facing_texts(journal)]
    assert [t for t in texts if "more than two weeks" in t] == []


def test_checklist_items_are_six_yes_no_questions():
    assert [code for code, _, _ in CHECKLIST_ITEMS] == ["C1", "C2", "C3", "C4", "C5", "C6"]
    for _, question, label in CHECKLIST_ITEMS:
        assert question.endswith("?")
        assert label
        assert not label.endswith("?")


def test_flags_are_sorted_highest_level_first_then_by_rule_table():
    flags = evaluate(RICH_SPREADING, TODAY)
    order = {rule.id: index for index, rule in enumerate(RULES)}
    keys = [(-flag.level.rank, order[flag.rule]) for flag in flags]
    assert keys == sorted(keys)
    assert flags[0].level is Level.EMERGENCY
    assert highest_level(flags) is Level.EMERGENCY


def test_same_input_in_any_order_gives_the_same_flags():
    first = evaluate(RICH_SPREADING, TODAY)
    assert evaluate(RICH_SPREADING, TODAY) == first
    for seed in range(5):
        rng = random.Random(seed)
        twitch_list = list(RICH_SPREADING.twitches)
        symptom_list = list(RICH_SPREADING.symptoms)
        rng.shuffle(twitch_list)
        rng.shuffle(symptom_list)
        shuffled = History(
            tuple(twitch_list), tuple(symptom_list), RICH_SPREADING.family_history, None
        )
        assert evaluate(shuffled, TODAY) == first
        assert checklist(shuffled, TODAY) == checklist(RICH_SPREADING, TODAY)


def test_levels_are_ordered_and_valued_by_lowercase_name():
    assert Level.INFO < Level.ROUTINE < Level.SOON < Level.PROMPT < Level.EMERGENCY
    assert max(Level) is Level.EMERGENCY
    assert [level.value for level in Level] == ["info", "routine", "soon", "prompt", "emergency"]
    assert set(LEVEL_TEXT) == set(Level)
    assert Level.SOON.text.headline == LEVEL_TEXT[Level.SOON].headline


def test_body_vocabulary_is_consistent():
    assert [code for code, _ in body.REGIONS] == ["head", "arm", "trunk", "leg"]
    assert body.LOCATIONS[0][0] == "tongue"
    assert body.TWITCH_LOCATIONS[:-1] == body.LOCATIONS
    assert body.TWITCH_LOCATIONS[-1][0] == body.ALL_OVER
    assert body.regions_for(body.EYELID) == ("head",)
    assert body.regions_for(body.ALL_OVER) == ("arm", "trunk", "leg")
    assert body.region_of(body.ALL_OVER) is None
    assert body.regions_for("nowhere") == ()
    assert body.location_label("thigh_back") == "Back of thigh"
    assert body.location_label("thumb_base") == "Base of thumb"
    assert body.location_label(body.ALL_OVER) == "All over / many places"
    assert set(body.SYMPTOM_HELP) == {code for code, _ in body.SYMPTOM_KINDS}
    assert "weakness" in body.SYMPTOM_HELP["heaviness"]
    positive = {"als_mnd", "muscular_dystrophy", "other_neuromuscular"}
    assert positive == body.FAMILY_HISTORY_POSITIVE
