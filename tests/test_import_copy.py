"""The import's writes by COPY (PostgreSQL): the journal they leave is the one INSERT
statements leave, field for field, and a failure part way still writes nothing."""

import csv
import io
from datetime import UTC, date, datetime

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext

from journal import exports
from journal.exports import importing
from journal.models import DailyCheckIn, SymptomEntry, TwitchEntry, TwitchTrigger

NOW = datetime(2026, 3, 10, 15, 0, tzinfo=UTC)

# Text COPY's format must escape, or could mistake for something else: a backslash, the
# two characters \N (its NULL), line breaks, a tab (its column separator), quotes,
# commas, letters beyond ASCII, and the line breaks COPY takes as they are.
AWKWARD_NOTES = [
    "",
    "C:\\temp\\new",
    "\\N",
    "\\",
    "first line\nsecond line",
    "carriage\r\nreturn",
    "a\ttab",
    'quoted "word", then a comma',
    "café, naïve, 日本, 😀",
    " leading and trailing spaces ",
    "other breaks: \x0b\x0c\x1c\x85\u2028 end",
]


@pytest.fixture(autouse=True)
def frozen_time():
    # One time for both imports, so the fields set on adding can be compared too.
    with time_machine.travel(NOW, tick=False):
        yield


def csv_file(*rows: dict) -> bytes:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=exports.CSV_COLUMNS)
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue().encode()


def twitch(occurred_at: str, **values) -> dict:
    return {"type": "twitch", "occurred_at": occurred_at, "location": "calf", **values}


def awkward_journal() -> bytes:
    """Every kind of entry, with every field's awkward values: times on both sides of a
    local midnight, in zones half and three quarters of an hour off, without an offset
    (read in the person's zone, once in the hour a clock goes back), with a fraction of
    a second; empty numbers and empty text; the same twitch twice; the text above."""
    times = [
        "2026-03-01T08:30:00+00:00",
        "2026-03-01T23:45:00-05:00",
        "2026-03-02T00:15:00+05:45",
        "2026-03-02T06:00:00-03:30",
        "2026-03-02T01:00:00+14:00",
        "2026-03-03T12:00:00.250000+01:00",
        "2026-03-04 07:10",
        "2025-11-02 01:30",
        "2025-03-09T03:30:00-04:00",
    ]
    triggers = ["", "caffeine", "caffeine;stress;cold", "exercise;poor_sleep"]
    rows = [
        twitch(
            moment,
            location=["calf", "eyelid", "thigh_front"][n % 3],
            side=["", "left", "right", "both"][n % 4],
            duration_seconds=["", "0", "45", "86400"][n % 4],
            intensity=["", "1", "3"][n % 3],
            triggers=triggers[n % len(triggers)],
            notes=AWKWARD_NOTES[n % len(AWKWARD_NOTES)],
        )
        for n, moment in enumerate(times)
    ]
    rows.append(dict(rows[1]))
    rows += [
        {
            "type": "symptom",
            "date": f"2026-03-0{n % 9 + 1}",
            "kind": ["cramps", "weakness"][n % 2],
            "severity": str(n % 3 + 1),
            "onset": ["gradual", "sudden"][n % 2],
            "location": ["", "calf"][n % 2],
            "side": ["", "left"][n % 2],
            "notes": notes,
        }
        for n, notes in enumerate(AWKWARD_NOTES)
    ]
    rows += [
        {"type": "checkin", "date": "2026-03-01", "coffee_cups": "1.5", "tea_cups": "0"},
        {"type": "checkin", "date": "2026-03-02", "energy_drinks": "2", "other_caffeine_mg": "30"},
        # A total alone, as a version 1 file gives it: it becomes the other mg.
        {"type": "checkin", "date": "2026-03-03", "caffeine_mg": "120", "stress": "4"},
        {
            "type": "checkin",
            "date": "2026-03-04",
            "sleep_hours": "7.5",
            "alcohol_units": "0.5",
            "water_litres": "2",
            "exercise": "moderate",
            "notes": "slept\tbadly\\N",
        },
        {"type": "checkin", "date": "2026-03-05"},
    ]
    return csv_file(*rows)


def confirmed(person, content: bytes) -> exports.ImportResult:
    """``content`` imported as the /export/ page does it: checked, kept, confirmed."""
    checked = exports.check_file(person, SimpleUploadedFile("journal.csv", content))
    assert checked.ok, checked.result.errors
    return exports.confirm(person, exports.keep(person, checked), replace_profile=False)


def stored(person) -> dict[str, list[str]]:
    """Every field of every row the person's import wrote, read back through the models,
    in the order written: ids and the person aside, each entry's triggers by its place."""
    journal = {}
    places = {}
    for model in (TwitchEntry, SymptomEntry, DailyCheckIn):
        names = [
            f.attname for f in model._meta.concrete_fields if f.attname not in ("id", "user_id")
        ]
        rows = model.objects.filter(user=person).order_by("id").values_list("id", *names)
        # repr: a Decimal('2') and a Decimal('2.0'), equal, would still tell apart.
        journal[model.__name__] = [repr(row[1:]) for row in rows]
        if model is TwitchEntry:
            places = {row[0]: place for place, row in enumerate(rows)}
    triggers = TwitchTrigger.objects.filter(entry__user=person).values_list("entry_id", "code")
    journal["TwitchTrigger"] = sorted(repr((places[pk], code)) for pk, code in triggers)
    return journal


@pytest.mark.skipif(connection.vendor != "postgresql", reason="COPY is PostgreSQL's")
def test_an_import_written_by_copy_reads_back_as_one_written_by_insert_statements(
    make_user, monkeypatch
):
    by_copy = make_user(email="copy@example.com", time_zone="America/New_York")
    by_insert = make_user(email="insert@example.com", time_zone="America/New_York")
    content = awkward_journal()

    with CaptureQueriesContext(connection) as copy_queries:
        copy_result = confirmed(by_copy, content)
    with monkeypatch.context() as patch:
        patch.setattr(importing, "_copies", lambda: False)
        with CaptureQueriesContext(connection) as insert_queries:
            insert_result = confirmed(by_insert, content)

    copies = [q["sql"] for q in copy_queries.captured_queries if q["sql"].startswith("COPY ")]
    assert [sql.split(" (")[0] for sql in copies] == [
        'COPY "journal_twitchentry"',
        'COPY "journal_twitchtrigger"',
        'COPY "journal_symptomentry"',
        'COPY "journal_dailycheckin"',
    ]
    assert not any(q["sql"].startswith("COPY ") for q in insert_queries.captured_queries)
    assert copy_result.added == insert_result.added == {"twitch": 10, "symptom": 11, "checkin": 5}
    written = stored(by_copy)
    assert [len(rows) for rows in written.values()] == [10, 11, 5, 13]
    assert written == stored(by_insert)
    # The fields set on adding hold the time of the import, as Django's own save sets it.
    assert set(
        TwitchEntry.objects.filter(user=by_copy).values_list("created_at", "updated_at")
    ) == {(NOW, NOW)}


def test_a_write_that_fails_part_way_leaves_the_journal_as_it_was(user, monkeypatch):
    # A check-in the journal already holds for one of the file's days, written anyway,
    # as when another tab saves it while the file is written: the twitches and symptoms
    # before it were already written (by COPY on PostgreSQL) in the same transaction.
    DailyCheckIn.objects.create(user=user, day=date(2026, 3, 2), stress=2)
    TwitchEntry.objects.create(
        user=user, occurred_at=datetime(2026, 2, 1, 9, tzinfo=UTC), location="calf"
    )
    monkeypatch.setattr(importing, "_new_checkins", lambda person, rows: rows)
    content = csv_file(
        twitch("2026-03-01T08:30:00+00:00", triggers="caffeine"),
        {
            "type": "symptom",
            "date": "2026-03-01",
            "kind": "cramps",
            "severity": "1",
            "onset": "sudden",
        },
        {"type": "checkin", "date": "2026-03-02", "stress": "4"},
    )

    result = exports.import_journal(user, SimpleUploadedFile("journal.csv", content))

    assert result.errors == [
        "Line 1: your journal changed while the file was being imported; please import it again"
    ]
    assert TwitchEntry.objects.filter(user=user).count() == 1
    assert not TwitchTrigger.objects.exists()
    assert not SymptomEntry.objects.exists()
    assert list(DailyCheckIn.objects.values_list("day", "stress")) == [(date(2026, 3, 2), 2)]
