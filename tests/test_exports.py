"""journal/exports/ and the /export/ page: CSV and JSON downloads, import, round trips."""

import csv
import io
import json
import re
import tracemalloc
import zoneinfo
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile, UploadedFile
from django.db import connection
from django.http import StreamingHttpResponse
from django.urls import reverse

from journal import body, exports
from journal.exports import reading
from journal.models import (
    DailyCheckIn,
    PendingImport,
    Profile,
    SymptomEntry,
    TwitchEntry,
    TwitchTrigger,
)
from tests.journal_support import messages_of, text_of

pytestmark = pytest.mark.django_db

NEW_YORK = zoneinfo.ZoneInfo("America/New_York")
NOW = datetime(2026, 3, 10, 15, 0, tzinfo=UTC)
HEADER = ",".join(exports.CSV_COLUMNS)


@pytest.fixture(autouse=True)
def frozen_time():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def ada(make_user):
    return make_user(
        email="ada@example.com",
        time_zone="America/New_York",
        display_name="Ada",
        family_history="muscular_dystrophy",
        reassured_on=date(2025, 11, 4),
        date_of_birth=date(1988, 6, 1),
        habits_changed_on=date(2026, 2, 20),
    )


@pytest.fixture
def newcomer(make_user):
    """A brand-new account in another time zone, to import into."""
    return make_user(email="nia@example.com", time_zone="Asia/Tokyo")


def add_twitch(user, when, location="calf", triggers=(), **fields):
    entry = TwitchEntry.objects.create(user=user, occurred_at=when, location=location, **fields)
    entry.set_triggers(triggers)
    return entry


def add_symptom(user, day, kind="weakness", **fields):
    return SymptomEntry.objects.create(user=user, noted_on=day, kind=kind, **fields)


def add_checkin(user, day, **fields):
    return DailyCheckIn.objects.create(user=user, day=day, **fields)


def build_small_journal(user):
    """Two twitches, one symptom and one check-in, with known values."""
    # 04:30 UTC on 2 March is 23:30 on 1 March in New York (UTC-5 in winter).
    add_twitch(
        user,
        datetime(2026, 3, 2, 4, 30, tzinfo=UTC),
        side="left",
        duration_seconds=30,
        intensity=2,
        triggers=("stress", "caffeine"),
        notes="After two coffees",
    )
    add_twitch(
        user,
        datetime(2026, 3, 5, 13, 0, tzinfo=UTC),
        location="eyelid",
        intensity=1,
        notes='=HYPERLINK("http://x")',
    )
    add_symptom(
        user,
        date(2026, 3, 3),
        severity=2,
        onset="gradual",
        location="hand",
        side="right",
        notes="Buttons harder",
    )
    add_checkin(
        user,
        date(2026, 3, 4),
        coffee_cups=Decimal("2"),
        other_caffeine_mg=10,
        sleep_hours=Decimal("6.5"),
        stress=3,
        exercise="light",
        alcohol_units=Decimal("0"),
        water_litres=Decimal("1.5"),
    )


def build_rich_journal(user):
    """A journal that uses every field, edge values, and text that is hard to carry."""
    tricky_notes = [
        "Σπασμός στη γάμπα, μετά το τρέξιμο",
        "Подёргивание в икре",
        'He said "it\'s fine", then left; ok',
        "first line\nsecond line\r\nthird line",
        "-5 degrees outside",
        "+1 coffee",
        "@home after work",
        "=1+1",
        "'=already quoted",
        "'tis the season",
        "\tindented with a tab",
        "  spaces kept  ",
        "",
    ]
    start = datetime(2025, 10, 1, 6, 15, 42, 123456, tzinfo=UTC)
    trigger_codes = [code for code, _ in body.TRIGGERS]
    for index, notes in enumerate(tricky_notes):
        add_twitch(
            user,
            start + timedelta(days=index * 7, minutes=index * 13),
            location=body.TWITCH_LOCATIONS[index * 2][0],
            side=["", "left", "right", "both", "centre"][index % 5],
            duration_seconds=[None, 0, 5, 86400][index % 4],
            intensity=index % 3 + 1,
            triggers=trigger_codes[index % 12 : index % 12 + index % 4],
            notes=notes,
        )
    # 01:30 on the night the clocks go back in New York happens twice; this is the second.
    add_twitch(user, datetime(2025, 11, 2, 6, 30, tzinfo=UTC), location="all_over", notes="Fold")
    # The same twitch logged twice by a double tap: both must survive a round trip.
    for _ in range(2):
        add_twitch(user, datetime(2026, 1, 9, 20, 0, tzinfo=UTC), location="thumb_base")
    twitch_with_every_trigger = add_twitch(user, datetime(2026, 3, 9, 22, 0, tzinfo=UTC))
    twitch_with_every_trigger.set_triggers(trigger_codes)

    for index, (kind, _) in enumerate(body.SYMPTOM_KINDS):
        add_symptom(
            user,
            date(2025, 12, 1) + timedelta(days=index),
            kind=kind,
            severity=index % 3 + 1,
            onset=["gradual", "sudden"][index % 2],
            location="" if index % 3 == 0 else body.LOCATIONS[index][0],
            side="" if index % 2 else "left",
            notes=tricky_notes[index],
        )
    add_checkin(user, date(2026, 1, 1))
    add_checkin(
        user,
        date(2026, 1, 2),
        coffee_cups=Decimal("20.0"),
        other_caffeine_mg=100,
        sleep_hours=Decimal("24.0"),
        stress=5,
        exercise="hard",
        alcohol_units=Decimal("100.0"),
        water_litres=Decimal("20.0"),
        notes="=maximums",
    )
    add_checkin(
        user,
        date(2026, 1, 3),
        coffee_cups=Decimal("1.5"),
        tea_cups=Decimal("0"),
        energy_drinks=Decimal("0.5"),
        other_caffeine_mg=0,
        sleep_hours=Decimal("0.5"),
        stress=1,
        exercise="none",
        alcohol_units=Decimal("2.5"),
        water_litres=Decimal("0.3"),
        notes="Слабый чай",
    )


def snapshot(user):
    """Every stored field of a person's journal, comparable across accounts."""
    twitches = sorted(
        (
            entry.occurred_at,
            entry.location,
            entry.side,
            entry.duration_seconds,
            entry.intensity,
            tuple(entry.trigger_codes),
            entry.notes,
        )
        for entry in TwitchEntry.objects.filter(user=user).prefetch_related("trigger_rows")
    )
    symptoms = sorted(
        SymptomEntry.objects.filter(user=user).values_list(
            "noted_on", "kind", "severity", "onset", "location", "side", "notes"
        )
    )
    checkins = sorted(
        DailyCheckIn.objects.filter(user=user).values_list(
            "day",
            "coffee_cups",
            "tea_cups",
            "energy_drinks",
            "other_caffeine_mg",
            "caffeine_mg",
            "sleep_hours",
            "stress",
            "exercise",
            "alcohol_units",
            "water_litres",
            "notes",
        )
    )
    return {"twitches": twitches, "symptoms": symptoms, "checkins": checkins}


def profile_fields(user):
    profile = Profile.objects.get(user=user)
    return {name: getattr(profile, name) for name in exports.PROFILE_FIELDS}


def download(client, name):
    response = client.get(reverse(name))
    assert response.status_code == 200
    return b"".join(response.streaming_content)


def upload(client, content, name="journal.csv"):
    """Send a file to the import: its preview, its problems, or why there is nothing to do."""
    data = content.encode() if isinstance(content, str) else content
    return client.post(reverse("import"), {"file": SimpleUploadedFile(name, data)}, follow=True)


def token_of(preview) -> str:
    """The token the preview's confirm form carries."""
    match = re.search(r'name="token" value="([^"]+)"', preview.content.decode())
    assert match, "no confirm form on this page"
    return match.group(1)


def confirm(client, preview, *, replace_profile=False):
    """Press Import on a preview, with the profile box ticked or not."""
    data = {"token": token_of(preview)}
    if replace_profile:
        data["replace_profile"] = "on"
    return client.post(reverse("import_confirm"), data, follow=True)


def upload_and_confirm(client, content, name="journal.csv", *, replace_profile=False):
    return confirm(client, upload(client, content, name), replace_profile=replace_profile)


def import_text(user, content, name="journal.csv"):
    data = content.encode() if isinstance(content, str) else content
    return exports.import_journal(user, SimpleUploadedFile(name, data))


def csv_file(*rows):
    """A CSV with the export's header and rows given as {column: value} dicts."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=exports.CSV_COLUMNS)
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()


def twitch_row(**values):
    return {
        "type": "twitch",
        "occurred_at": "2026-03-01T08:30:00-05:00",
        "location": "calf",
        "intensity": "2",
        **values,
    }


def symptom_row(**values):
    return {
        "type": "symptom",
        "date": "2026-03-01",
        "kind": "cramps",
        "severity": "1",
        "onset": "gradual",
        **values,
    }


def checkin_row(**values):
    return {"type": "checkin", "date": "2026-03-01", **values}


# ---------------------------------------------------------------------------
# Export


def test_csv_export_has_one_row_per_entry_with_codes_and_local_offsets(ada, client):
    build_small_journal(ada)
    client.force_login(ada)

    text = download(client, "export_csv").decode()

    assert text.splitlines() == [
        HEADER,
        "twitch,2026-03-01T23:30:00-05:00,,calf,left,30,2,caffeine;stress,,,,,,,,,,,,,,"
        "After two coffees",
        'twitch,2026-03-05T08:00:00-05:00,,eyelid,,,1,,,,,,,,,,,,,,,"\'=HYPERLINK(""http://x"")"',
        "symptom,,2026-03-03,hand,right,,,,weakness,2,gradual,,,,,,,,,,,Buttons harder",
        "checkin,,2026-03-04,,,,,,,,,2.0,,,10,200,6.5,3,light,0.0,1.5,",
    ]


def test_csv_download_is_streamed_as_a_dated_attachment_that_is_never_cached(ada, client):
    client.force_login(ada)

    response = client.get(reverse("export_csv"))

    assert isinstance(response, StreamingHttpResponse)
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    # 15:00 UTC on 10 March is still 10 March in New York.
    assert response["Content-Disposition"] == 'attachment; filename="twitchlog-2026-03-10.csv"'
    assert "no-store" in response["Cache-Control"]
    assert b"".join(response.streaming_content).decode().strip() == HEADER


def test_csv_export_reads_the_journal_in_a_fixed_number_of_queries(
    ada, client, django_assert_num_queries
):
    build_small_journal(ada)
    client.force_login(ada)
    # session, user, profile (time zone middleware); the download noted in the account
    # activity; then twitches joined with their triggers (one query however many chunks
    # it is read in), symptoms, check-ins.
    with django_assert_num_queries(7):
        text = download(client, "export_csv").decode()
    assert len(text.splitlines()) == 5


def test_json_export_holds_profile_and_every_entry(ada, client):
    build_small_journal(ada)
    client.force_login(ada)

    response = client.get(reverse("export_json"))
    raw = b"".join(response.streaming_content).decode()
    data = json.loads(raw)

    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="twitchlog-2026-03-10.json"'
    assert data["format"] == "twitchlog"
    assert data["version"] == 2
    assert data["exported_at"] == "2026-03-10T11:00:00-04:00"
    assert data["profile"] == {
        "display_name": "Ada",
        "time_zone": "America/New_York",
        "family_history": "muscular_dystrophy",
        "reassured_on": "2025-11-04",
        "date_of_birth": "1988-06-01",
        "habits_changed_on": "2026-02-20",
    }
    assert data["twitches"] == [
        {
            "occurred_at": "2026-03-01T23:30:00-05:00",
            "location": "calf",
            "side": "left",
            "duration_seconds": 30,
            "intensity": 2,
            "triggers": ["caffeine", "stress"],
            "notes": "After two coffees",
        },
        {
            "occurred_at": "2026-03-05T08:00:00-05:00",
            "location": "eyelid",
            "side": "",
            "duration_seconds": None,
            "intensity": 1,
            "triggers": [],
            "notes": '=HYPERLINK("http://x")',
        },
    ]
    assert data["symptoms"] == [
        {
            "date": "2026-03-03",
            "kind": "weakness",
            "severity": 2,
            "onset": "gradual",
            "location": "hand",
            "side": "right",
            "notes": "Buttons harder",
        }
    ]
    assert data["checkins"] == [
        {
            "date": "2026-03-04",
            "coffee_cups": 2.0,
            "tea_cups": None,
            "energy_drinks": None,
            "other_caffeine_mg": 10,
            "caffeine_mg": 200,
            "sleep_hours": 6.5,
            "stress": 3,
            "exercise": "light",
            "alcohol_units": 0.0,
            "water_litres": 1.5,
            "notes": "",
        }
    ]
    # One entry per line, so an import can name the line of a bad entry.
    assert raw.splitlines()[3].startswith('{"occurred_at": "2026-03-01T23:30:00-05:00"')


def test_json_export_reads_the_journal_in_a_fixed_number_of_queries(
    ada, client, django_assert_num_queries
):
    build_small_journal(ada)
    client.force_login(ada)
    # session, user, profile; the download noted in the account activity; then twitches
    # joined with their triggers, symptoms, check-ins.
    with django_assert_num_queries(7):
        data = json.loads(download(client, "export_json"))
    assert len(data["twitches"]) == 2


def test_large_export_arrives_in_pieces_not_one_block(ada, client):
    TwitchEntry.objects.bulk_create(
        TwitchEntry(
            user=ada,
            occurred_at=datetime(2026, 1, 1, tzinfo=UTC) + timedelta(minutes=i),
            location="calf",
            notes="n" * 100,
        )
        for i in range(3000)
    )
    client.force_login(ada)

    response = client.get(reverse("export_csv"))
    pieces = list(response.streaming_content)

    assert len(pieces) > 3
    assert max(len(piece) for piece in pieces) < 2 * exports.STREAM_PIECE_CHARS
    assert b"".join(pieces).count(b"\r\ntwitch,") == 3000


def test_exports_never_include_another_persons_entries(ada, other_user, client):
    build_small_journal(ada)
    add_twitch(other_user, datetime(2026, 3, 1, 12, tzinfo=UTC), notes="Bob's private note")
    add_symptom(other_user, date(2026, 3, 1), notes="Bob's symptom")
    add_checkin(other_user, date(2026, 3, 1), notes="Bob's check-in")
    client.force_login(ada)

    csv_text = download(client, "export_csv").decode()
    json_data = json.loads(download(client, "export_json"))

    assert "Bob" not in csv_text
    assert len(csv_text.splitlines()) == 5
    assert "Bob" not in json.dumps(json_data)
    assert (len(json_data["twitches"]), len(json_data["symptoms"])) == (2, 1)
    assert json_data["checkins"][0]["date"] == "2026-03-04"


@pytest.mark.parametrize("name", ["export", "export_csv", "export_json"])
def test_export_pages_ask_visitors_to_log_in(client, name):
    response = client.get(reverse(name))
    assert response.status_code == 302
    assert response["Location"] == f"/accounts/login/?next={reverse(name)}"


@pytest.mark.parametrize(
    ("text", "written"),
    [
        ("=SUM(A1:A9)", "'=SUM(A1:A9)"),
        ("+44 call", "'+44 call"),
        ("-3 degrees", "'-3 degrees"),
        ("@mention", "'@mention"),
        ("\tTab", "'\tTab"),
        ("'=quoted", "''=quoted"),
        ("'tis", "'tis"),
        ("plain", "plain"),
        ("", ""),
    ],
)
def test_notes_that_a_spreadsheet_would_run_are_escaped_and_restored(text, written):
    assert exports.escape_cell(text) == written
    assert exports.unescape_cell(written) == text


# ---------------------------------------------------------------------------
# The page


def test_export_page_counts_entries_and_offers_both_downloads(
    ada, client, django_assert_num_queries
):
    build_small_journal(ada)
    client.force_login(ada)
    # session, user, profile; the three entry counts.
    with django_assert_num_queries(6):
        response = client.get(reverse("export"))
    page = response.content.decode()
    assert "Your journal holds 2 twitches, 1 symptom and 1 check-in." in page
    assert f'href="{reverse("export_csv")}"' in page
    assert f'href="{reverse("export_json")}"' in page
    assert f'action="{reverse("import")}"' in page
    assert 'enctype="multipart/form-data"' in page
    assert f'href="{reverse("account_delete")}"' in page
    assert 'aria-current="page" href="/export/">Export</a>' in page


def test_export_page_for_an_empty_journal_points_to_the_log(user, signed_in):
    page = signed_in.get(reverse("export")).content.decode()
    assert "Your journal has no entries yet" in page
    assert 'href="/log/">Log your first twitch</a>' in page


# ---------------------------------------------------------------------------
# Round trips


def test_csv_round_trip_into_a_new_account_keeps_every_field(ada, newcomer, client):
    build_rich_journal(ada)
    client.force_login(ada)
    exported = download(client, "export_csv")

    client.force_login(newcomer)
    preview = upload(client, exported, "twitchlog-2026-03-10.csv")
    assert "It adds 17 twitches, 9 symptoms and 3 check-ins to your journal." in text_of(
        preview.content.decode()
    )
    response = confirm(client, preview)

    assert "Imported 17 twitches, 9 symptoms and 3 check-ins." in response.content.decode()
    assert snapshot(newcomer) == snapshot(ada)
    # A CSV carries entries only: the new account's profile is untouched.
    assert profile_fields(newcomer)["time_zone"] == "Asia/Tokyo"


def test_json_round_trip_into_a_new_account_keeps_every_field_and_the_profile(
    ada, newcomer, client
):
    build_rich_journal(ada)
    client.force_login(ada)
    exported = download(client, "export_json")

    client.force_login(newcomer)
    response = upload_and_confirm(
        client, exported, "twitchlog-2026-03-10.json", replace_profile=True
    )

    page = response.content.decode()
    assert "Imported 17 twitches, 9 symptoms and 3 check-ins." in page
    assert "Your profile details were replaced with the file&#x27;s." in page
    assert snapshot(newcomer) == snapshot(ada)
    assert profile_fields(newcomer) == profile_fields(ada)


def test_json_import_reads_entries_split_across_tiny_chunks(ada, newcomer, client, monkeypatch):
    build_rich_journal(ada)
    client.force_login(ada)
    exported = download(client, "export_json")
    # Seven bytes at a time splits numbers, strings and multi-byte letters mid-way.
    monkeypatch.setattr(reading, "READ_CHUNK_BYTES", 7)

    result = import_text(newcomer, exported, "backup.json")

    assert result.ok, result.errors
    assert snapshot(newcomer) == snapshot(ada)


@pytest.mark.parametrize("name", ["export_csv", "export_json"])
def test_importing_the_same_file_twice_adds_nothing_the_second_time(ada, client, name):
    build_rich_journal(ada)
    client.force_login(ada)
    before = snapshot(ada)
    exported = download(client, name)

    response = upload(client, exported, f"journal.{name[-4:].lstrip('_')}")

    assert response.redirect_chain == [(reverse("export"), 302)]
    assert messages_of(response) == [
        "Nothing was imported: the file's 29 entries are already in your journal."
    ]
    assert snapshot(ada) == before
    assert not PendingImport.objects.exists()


def test_import_adds_only_what_differs_from_the_journal(ada, client):
    build_small_journal(ada)
    client.force_login(ada)
    exported = download(client, "export_csv").decode()
    changed = exported.replace("After two coffees", "After three coffees")

    result = import_text(ada, changed)

    assert result.added == {"twitch": 1, "symptom": 0, "checkin": 0}
    assert result.skipped == {"twitch": 1, "symptom": 1, "checkin": 1}
    notes = sorted(
        TwitchEntry.objects.filter(user=ada, location="calf").values_list("notes", flat=True)
    )
    assert notes == ["After three coffees", "After two coffees"]


def test_a_check_in_for_a_day_already_in_the_journal_is_kept_as_it_is(user):
    add_checkin(user, date(2026, 3, 1), stress=2, notes="mine")

    result = import_text(
        user,
        csv_file(
            checkin_row(stress="5", notes="from the file"),
            checkin_row(date="2026-03-02", stress="4"),
        ),
    )

    assert result.added["checkin"] == 1
    assert result.skipped["checkin"] == 1
    assert list(DailyCheckIn.objects.filter(user=user).values_list("day", "stress", "notes")) == [
        (date(2026, 3, 2), 4, ""),
        (date(2026, 3, 1), 2, "mine"),
    ]


def test_another_persons_identical_entry_does_not_stop_an_import(user, other_user):
    add_twitch(other_user, datetime(2026, 3, 1, 13, 30, tzinfo=UTC), intensity=2)

    result = import_text(user, csv_file(twitch_row()))

    assert result.added["twitch"] == 1
    assert TwitchEntry.objects.filter(user=user).count() == 1
    assert TwitchEntry.objects.filter(user=other_user).count() == 1


def test_a_time_without_an_offset_is_read_in_the_persons_time_zone(make_user):
    person = make_user(email="kai@example.com", time_zone="America/New_York")

    result = import_text(person, csv_file(twitch_row(occurred_at="2026-03-01 08:30")))

    assert result.ok, result.errors
    entry = TwitchEntry.objects.get(user=person)
    assert entry.occurred_at == datetime(2026, 3, 1, 13, 30, tzinfo=UTC)


def test_a_hand_made_csv_with_fewer_columns_imports(user):
    content = "type,occurred_at,location,triggers\r\ntwitch,2026-03-01T09:00:00+00:00,calf,cold\r\n"

    result = import_text(user, content)

    # No intensity column: the strength was not noted, which a twitch may be.
    assert result.ok, result.errors
    entry = TwitchEntry.objects.get(user=user)
    assert (entry.intensity, entry.trigger_codes) == (None, ["cold"])


def ids_reserved_first() -> int:
    """The query that takes new twitches' ids before they are written, on PostgreSQL."""
    return int(connection.vendor == "postgresql")


def test_import_writes_in_a_fixed_number_of_queries(user, django_assert_num_queries):
    content = csv_file(
        twitch_row(triggers="caffeine;cold"),
        twitch_row(occurred_at="2026-03-02T08:30:00-05:00"),
        symptom_row(),
        checkin_row(stress="2"),
    )
    # savepoint; the person's imports locked; savepoint; existing twitches and their
    # triggers; insert twitches, insert triggers; existing symptoms, insert symptoms;
    # existing check-in days, insert check-ins; the flags evaluated once for what came
    # in (recent episodes, symptoms, earlier places; the person's flag state kept);
    # release; release. PostgreSQL writes by COPY, the twitches' ids taken first.
    with django_assert_num_queries(17 + ids_reserved_first()):
        result = import_text(user, content)
    assert result.added == {"twitch": 2, "symptom": 1, "checkin": 1}
    assert TwitchTrigger.objects.filter(entry__user=user).count() == 2


# ---------------------------------------------------------------------------
# The preview: nothing written until the person confirms


def preview_cells(response) -> dict[str, tuple[str, str]]:
    """The preview's table: each kind with its new and skipped counts, as shown."""
    rows = re.findall(
        r'<th scope="row">([^<]+)</th>\s*<td class="text-end">(\d+)</td>\s*'
        r'<td class="text-end">(\d+)</td>',
        response.content.decode(),
    )
    return {label: (new, skipped) for label, new, skipped in rows}


def profile_changes_shown(response) -> list[str]:
    """Each profile change the preview lists, as its label and its text."""
    block = re.search(r'<dl class="import-changes">(.*?)</dl>', response.content.decode(), re.S)
    if block is None:
        return []
    pairs = re.findall(r"<dt>(.*?)</dt>\s*<dd>(.*?)</dd>", block.group(1), re.S)
    return [f"{text_of(label)}: {text_of(value)}" for label, value in pairs]


def small_json_backup(ada, client) -> bytes:
    """Ada's small journal and her profile, as she would download them."""
    build_small_journal(ada)
    client.force_login(ada)
    return download(client, "export_json")


def test_an_import_shows_what_it_will_do_and_writes_nothing_until_confirmed(ada, client):
    build_small_journal(ada)
    client.force_login(ada)
    exported = download(client, "export_csv").decode()
    # One twitch changed (so new), one symptom and one twitch as they are (skipped), and
    # a check-in for a day that has one (skipped: the journal's own is kept).
    changed = exported.replace("After two coffees", "After three coffees")
    before = snapshot(ada)

    preview = upload(client, changed)

    assert preview.status_code == 200
    page = text_of(preview.content.decode())
    assert "Check before importing" in page
    assert "Nothing is saved yet. This is what importing journal.csv will do." in page
    assert "It adds 1 twitch, 0 symptoms and 0 check-ins to your journal." in page
    assert preview_cells(preview) == {
        "Twitches": ("1", "1"),
        "Symptoms": ("0", "1"),
        "Check-ins": ("0", "1"),
    }
    assert "A check-in is skipped when your journal already has one for that day" in page
    # A CSV holds no profile: nothing to tick.
    assert profile_changes_shown(preview) == []
    assert 'name="replace_profile"' not in preview.content.decode()
    assert snapshot(ada) == before

    response = confirm(client, preview)

    assert response.redirect_chain == [(reverse("export"), 302)]
    assert messages_of(response) == [
        "Imported 1 twitch, 0 symptoms and 0 check-ins. "
        "Skipped 3 entries that were already in your journal."
    ]
    assert TwitchEntry.objects.filter(user=ada, notes="After three coffees").count() == 1
    assert not PendingImport.objects.exists()


def test_a_json_preview_names_each_profile_detail_that_differs_in_words(ada, newcomer, client):
    exported = small_json_backup(ada, client)
    client.force_login(newcomer)

    preview = upload(client, exported, "backup.json")

    assert profile_changes_shown(preview) == [
        "Your name: not set → Ada",
        "Time zone: Asia/Tokyo → America/New York",
        "Family history of a nerve or muscle condition: Not sure → Yes: muscular dystrophy",
        "Day a doctor examined you and found nothing serious: not set → 4 November 2025",
        "Date of birth: not set → 1 June 1988",
        "Day you started changing your habits: not set → 20 February 2026",
    ]
    page = preview.content.decode()
    assert "Also replace my profile details with the file&#x27;s" in page
    # Unticked to begin with: replacing the profile is the person's choice to make.
    assert re.search(r'<input type="checkbox" name="replace_profile"(?![^>]*checked)', page)


def test_the_profile_is_kept_unless_the_person_ticks_to_replace_it(ada, newcomer, client):
    exported = small_json_backup(ada, client)
    client.force_login(newcomer)
    own_profile = profile_fields(newcomer)

    response = upload_and_confirm(client, exported, "backup.json")

    assert messages_of(response) == ["Imported 2 twitches, 1 symptom and 1 check-in."]
    assert profile_fields(newcomer) == own_profile
    assert TwitchEntry.objects.filter(user=newcomer).count() == 2


def test_a_profile_only_the_same_as_the_persons_is_not_offered(ada, client):
    client.force_login(ada)
    exported = download(client, "export_json")

    response = upload(client, exported, "backup.json")

    # Nothing in the file differs: there is nothing to confirm.
    assert messages_of(response) == ["The file holds no entries, so there was nothing to import."]
    assert not PendingImport.objects.exists()


def test_cancelling_writes_nothing_and_the_preview_cannot_be_confirmed_after(ada, newcomer, client):
    exported = small_json_backup(ada, client)
    client.force_login(newcomer)
    own_profile = profile_fields(newcomer)
    preview = upload(client, exported, "backup.json")

    response = client.post(
        reverse("import_cancel"),
        {"token": token_of(preview), "replace_profile": "on"},
        follow=True,
    )

    assert messages_of(response) == ["Import cancelled. Nothing was imported."]
    assert not PendingImport.objects.exists()
    late = confirm(client, preview, replace_profile=True)
    assert messages_of(late) == [
        "Nothing was imported: that preview is no longer waiting (it was used, cancelled, "
        "or left for over 30 minutes). Choose the file again."
    ]
    assert snapshot(newcomer) == {"twitches": [], "symptoms": [], "checkins": []}
    assert profile_fields(newcomer) == own_profile


def test_confirming_writes_what_was_checked_never_a_file_sent_along(user, signed_in):
    preview = upload(signed_in, csv_file(twitch_row(notes="checked")))
    swapped = csv_file(twitch_row(notes="swapped"), twitch_row(location="jaw"))

    signed_in.post(
        reverse("import_confirm"),
        {"token": token_of(preview), "file": SimpleUploadedFile("journal.csv", swapped.encode())},
    )

    assert list(TwitchEntry.objects.filter(user=user).values_list("location", "notes")) == [
        ("calf", "checked")
    ]


def test_a_preview_is_confirmed_only_by_its_owner(user, other_user, client):
    client.force_login(user)
    preview = upload(client, csv_file(twitch_row()))

    client.force_login(other_user)
    stolen = confirm(client, preview)

    assert "that preview is no longer waiting" in messages_of(stolen)[0]
    assert not TwitchEntry.objects.exists()
    client.force_login(user)
    assert messages_of(confirm(client, preview)) == [
        "Imported 1 twitch, 0 symptoms and 0 check-ins."
    ]
    assert TwitchEntry.objects.get().user == user


def test_a_preview_is_written_once_however_often_it_is_confirmed(user, signed_in):
    preview = upload(signed_in, csv_file(twitch_row(), symptom_row()))

    confirm(signed_in, preview)
    again = confirm(signed_in, preview)

    assert "that preview is no longer waiting" in messages_of(again)[0]
    assert TwitchEntry.objects.count() == 1
    assert SymptomEntry.objects.count() == 1


def test_a_newer_file_replaces_the_earlier_preview(user, signed_in):
    first = upload(signed_in, csv_file(twitch_row(notes="first")))
    second = upload(signed_in, csv_file(twitch_row(notes="second")))

    assert "that preview is no longer waiting" in messages_of(confirm(signed_in, first))[0]
    confirm(signed_in, second)

    assert list(TwitchEntry.objects.values_list("notes", flat=True)) == ["second"]
    assert PendingImport.objects.count() == 0


def test_a_preview_expires_after_thirty_minutes_and_is_then_deleted(user, other_user, client):
    client.force_login(user)
    preview = upload(client, csv_file(twitch_row()))
    assert exports.PENDING_MINUTES == 30

    with time_machine.travel(NOW + timedelta(minutes=31), tick=False):
        late = confirm(client, preview)
        assert "that preview is no longer waiting" in messages_of(late)[0]
        assert not TwitchEntry.objects.exists()
        # Anyone's next check clears expired previews away.
        client.force_login(other_user)
        upload(client, csv_file(symptom_row()))
    assert list(PendingImport.objects.values_list("user", flat=True)) == [other_user.pk]


def test_entries_added_after_the_preview_are_not_written_twice(user, signed_in):
    preview = upload(signed_in, csv_file(twitch_row()))
    assert preview_cells(preview)["Twitches"] == ("1", "0")
    # The same twitch, logged in another tab before the person confirms.
    add_twitch(user, datetime(2026, 3, 1, 13, 30, tzinfo=UTC), intensity=2)

    response = confirm(signed_in, preview)

    assert messages_of(response) == [
        "Imported 0 twitches, 0 symptoms and 0 check-ins. "
        "Skipped 1 entry that was already in your journal."
    ]
    assert TwitchEntry.objects.count() == 1


def test_the_preview_checks_and_keeps_a_file_in_a_fixed_number_of_queries(
    user, signed_in, django_assert_num_queries
):
    content = csv_file(twitch_row(triggers="caffeine"), symptom_row(), checkin_row(stress="2"))
    # session, user, profile; existing twitches and their triggers, existing symptoms,
    # existing check-in days; expired previews deleted; the person's preview written in
    # place of any earlier one.
    with django_assert_num_queries(9):
        preview = upload(signed_in, content)
    assert preview_cells(preview)["Check-ins"] == ("1", "0")


def test_confirming_writes_in_a_fixed_number_of_queries(user, signed_in, django_assert_num_queries):
    preview = upload(signed_in, csv_file(twitch_row(triggers="caffeine"), checkin_row()))
    token = token_of(preview)
    # session, user, profile (the person's time zone); savepoint, the person's imports
    # locked, the preview read, deleted; savepoint, existing twitches and their triggers,
    # insert twitches, insert triggers, existing check-in days, insert check-ins, the
    # flags evaluated once (three reads, the flag state kept), release; release; the
    # import noted in the account activity; the message kept in the session (savepoint,
    # update, release). PostgreSQL writes by COPY, the twitches' ids taken first.
    with django_assert_num_queries(24 + ids_reserved_first()):
        signed_in.post(reverse("import_confirm"), {"token": token})
    assert (TwitchEntry.objects.count(), DailyCheckIn.objects.count()) == (1, 1)


def test_the_confirm_forms_token_is_checked_before_use(user, signed_in):
    upload(signed_in, csv_file(twitch_row()))

    for token in ("", "x" * 65, "not-the-token", "é"):
        response = signed_in.post(reverse("import_confirm"), {"token": token}, follow=True)
        assert response.status_code == 200
        assert "that preview is no longer waiting" in messages_of(response)[0]
    assert not TwitchEntry.objects.exists()
    assert PendingImport.objects.filter(user=user).exists()


@pytest.mark.parametrize("name", ["import_confirm", "import_cancel"])
def test_confirm_and_cancel_take_only_a_signed_in_post(client, user, name):
    assert client.post(reverse(name))["Location"].startswith(reverse("login"))
    client.force_login(user)
    assert client.get(reverse(name)).status_code == 405


# ---------------------------------------------------------------------------
# Check-in caffeine as entered


def test_a_version_1_file_with_only_a_caffeine_total_imports_it_as_other_mg(user):
    document = {
        "format": "twitchlog",
        "version": 1,
        "checkins": [{"date": "2026-03-01", "caffeine_mg": 332, "sleep_hours": 7.5}],
    }

    result = import_text(user, json.dumps(document), "old-backup.json")

    assert result.ok, result.errors
    checkin = DailyCheckIn.objects.get(user=user)
    assert (checkin.coffee_cups, checkin.tea_cups, checkin.energy_drinks) == (None, None, None)
    assert (checkin.other_caffeine_mg, checkin.caffeine_mg) == (332, 332)


def test_an_old_csv_without_the_servings_columns_still_imports(user):
    content = (
        "type,occurred_at,date,location,side,duration_seconds,intensity,triggers,kind,"
        "severity,onset,caffeine_mg,sleep_hours,stress,exercise,alcohol_units,water_litres,"
        "notes\r\ncheckin,,2026-03-01,,,,,,,,,190,6.5,3,light,0.0,1.5,\r\n"
    )

    result = import_text(user, content)

    assert result.ok, result.errors
    checkin = DailyCheckIn.objects.get(user=user)
    assert (checkin.other_caffeine_mg, checkin.caffeine_mg, checkin.stress) == (190, 190, 3)


def test_servings_come_back_as_entered_and_the_total_is_worked_out(user):
    result = import_text(
        user,
        csv_file(checkin_row(coffee_cups="3", tea_cups="1", energy_drinks="0.5")),
    )

    assert result.ok, result.errors
    checkin = DailyCheckIn.objects.get(user=user)
    assert (checkin.coffee_cups, checkin.tea_cups, checkin.energy_drinks) == (
        Decimal("3.0"),
        Decimal("1.0"),
        Decimal("0.5"),
    )
    assert checkin.other_caffeine_mg is None
    assert checkin.caffeine_mg == 372  # 285 + 47 + 40


@pytest.mark.parametrize(
    ("values", "message"),
    [
        (
            {"coffee_cups": "3", "caffeine_mg": "300"},
            "caffeine_mg is 300, but the servings and other mg add up to 285; "
            "correct it or leave it empty",
        ),
        (
            {"coffee_cups": "20", "tea_cups": "5"},
            "the caffeine adds up to 2,135 mg, more than the 2,000 mg a day a check-in holds",
        ),
        ({"tea_cups": "21"}, "tea_cups must be a number from 0 to 20"),
        ({"energy_drinks": "1.25"}, "energy_drinks must be a number from 0 to 20"),
        ({"other_caffeine_mg": "2001"}, "other_caffeine_mg must be a whole number from 0 to 2000"),
    ],
)
def test_caffeine_that_does_not_add_up_is_refused(user, values, message):
    result = import_text(user, csv_file(checkin_row(**values)))

    assert not result.ok
    assert result.errors[0].startswith(f"Line 2: {message}")
    assert not DailyCheckIn.objects.exists()


def test_a_matching_caffeine_total_beside_the_servings_is_accepted(user):
    result = import_text(user, csv_file(checkin_row(coffee_cups="1.5", caffeine_mg="143")))

    assert result.ok, result.errors
    assert DailyCheckIn.objects.get(user=user).caffeine_mg == 143


# ---------------------------------------------------------------------------
# Bad files: nothing written, every problem named


def test_one_bad_row_among_a_hundred_writes_nothing_and_names_its_line(user, signed_in):
    rows = [
        twitch_row(occurred_at=f"2026-02-{day % 28 + 1:02d}T{day % 24:02d}:00:00+00:00")
        for day in range(100)
    ]
    rows[56]["location"] = "elbw"  # the 57th row is line 58, after the header
    content = csv_file(*rows)

    response = upload(signed_in, content)

    page = response.content.decode()
    assert "Nothing was imported. Please fix this problem in the file:" in page
    assert "<li>Line 58: unknown location &#x27;elbw&#x27;</li>" in page
    assert "Nothing was imported: 1 problem needs fixing in this file, listed above." in page
    assert TwitchEntry.objects.count() == 0
    assert TwitchTrigger.objects.count() == 0


@pytest.mark.parametrize(
    ("row", "message"),
    [
        (twitch_row(location="elbw"), "unknown location 'elbw'"),
        (twitch_row(location=""), "location is missing"),
        (twitch_row(side="up"), "unknown side 'up' (use left, right, both or centre)"),
        (twitch_row(intensity="4"), "intensity must be 1, 2 or 3, not '4'"),
        (twitch_row(intensity="0"), "intensity must be 1, 2 or 3, not '0'"),
        (
            twitch_row(duration_seconds="86401"),
            "duration_seconds must be a whole number from 0 to 86400, not '86401'",
        ),
        (
            twitch_row(duration_seconds="1.5"),
            "duration_seconds must be a whole number from 0 to 86400, not '1.5'",
        ),
        (twitch_row(triggers="caffeine;coffee"), "unknown trigger 'coffee'"),
        (
            twitch_row(occurred_at="2026-03-10T15:06:00+00:00"),
            "occurred_at is in the future: '2026-03-10T15:06:00+00:00'",
        ),
        (
            twitch_row(occurred_at="yesterday"),
            "occurred_at is not a time like 2026-03-01T08:30:00+00:00: 'yesterday'",
        ),
        (twitch_row(occurred_at="1899-12-31T10:00:00"), "occurred_at is before 1900"),
        (
            twitch_row(occurred_at="9999-12-31T23:59:00+13:00"),
            "occurred_at is in the future: '9999-12-31T23:59:00+13:00'",
        ),
        (twitch_row(notes="x" * 2001), "notes are longer than 2,000 characters (2,001)"),
        (twitch_row(kind="cramps"), "kind does not apply to a twitch; leave it empty"),
        (symptom_row(kind="sneezing"), "unknown kind 'sneezing'"),
        (symptom_row(onset="slow"), "unknown onset 'slow' (use gradual or sudden)"),
        (symptom_row(location="all_over"), "a symptom needs one place, not 'all_over'"),
        (symptom_row(date="2026-03-11"), "date is in the future: 2026-03-11"),
        (symptom_row(date="01/03/2026"), "date is not a date like 2026-03-01: '01/03/2026'"),
        (symptom_row(severity="0"), "severity must be 1, 2 or 3, not '0'"),
        (
            checkin_row(caffeine_mg="2500"),
            "caffeine_mg must be a whole number from 0 to 2000, not '2500'",
        ),
        (
            checkin_row(sleep_hours="7.25"),
            "sleep_hours must be a number from 0 to 24 with at most 1 decimal place, not '7.25'",
        ),
        (
            checkin_row(water_litres="-1"),
            "water_litres must be a number from 0 to 20 with at most 1 decimal place, not '-1'",
        ),
        (checkin_row(stress="6"), "stress must be a whole number from 1 to 5, not '6'"),
        (
            checkin_row(exercise="lots"),
            "unknown exercise 'lots' (use none, light, moderate or hard)",
        ),
        (checkin_row(date=""), "date is missing (a date like 2026-03-01)"),
        (
            {"type": "nap", "date": "2026-03-01"},
            "unknown type 'nap' (use twitch, symptom or checkin)",
        ),
    ],
)
def test_each_bad_value_is_reported_with_its_line_and_reason(user, row, message):
    content = csv_file(checkin_row(date="2026-02-01"), row)

    result = import_text(user, content)

    assert not result.ok
    assert any(error.startswith(f"Line 3: {message}") for error in result.errors), result.errors
    assert DailyCheckIn.objects.count() == 0


def test_a_second_check_in_for_the_same_day_in_a_file_is_reported(user):
    content = csv_file(checkin_row(stress="2"), symptom_row(), checkin_row(stress="3"))

    result = import_text(user, content)

    assert result.errors == [
        "Line 4: a second check-in for 2026-03-01 (the first is on line 2); keep one per day"
    ]


def test_a_note_running_over_several_lines_is_reported_by_the_line_it_starts_on(user):
    content = csv_file(
        twitch_row(notes="one\ntwo\nthree"),
        twitch_row(location="nose"),
    )

    result = import_text(user, content)

    assert result.errors == ["Line 5: unknown location 'nose'"]


def test_unknown_columns_are_refused_before_any_row(user):
    content = "type,occurred_at,location,mood\r\ntwitch,2026-03-01T09:00:00+00:00,calf,sad\r\n"

    result = import_text(user, content)

    assert len(result.errors) == 1
    assert result.errors[0].startswith("Line 1: unknown columns 'mood'; the first line must name")


def test_only_the_first_hundred_problems_are_listed_and_the_rest_counted(user, signed_in):
    content = csv_file(*(twitch_row(location="nose") for _ in range(130)))

    response = upload(signed_in, content)

    page = response.content.decode()
    assert page.count("unknown location &#x27;nose&#x27;") == 100
    assert "…and 30 more." in page
    assert "Nothing was imported: 130 problems need fixing in this file" in page


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (
            '{"format": "twitchlog", "version": 1,\n"twitches": [\n{"location": "calf"},\n'
            '{"occurred_at": "2026-03-01T08:00:00+00:00", "location": "calf", "intensity": 2}\n'
            "oops]}",
            "Line 5: the file is not valid JSON here",
        ),
        (
            '{"format": "twitchlog", "version": 1, "twitches": [{"location": "calf",}]}',
            "Line 1: the file is not valid JSON here",
        ),
        ('{"format": "other", "version": 1}', "Line 1: this is not a TwitchLog export"),
        ('{"format": "twitchlog", "version": 3}', "Line 1: this export's version 3 is not one"),
        ('{"format": "twitchlog", "version": true}', "Line 1: this export's version True is not"),
        ('{"format": "twitchlog", "version": 1, "moods": []}', "Line 1: unknown section 'moods'"),
        (
            '{"format": "twitchlog", "version": 1,\n"profile": {"time_zone": "Mars/Olympus"}}',
            "Line 2: profile time_zone: Select a valid choice. Mars/Olympus is not one of the "
            "available choices.",
        ),
        (
            '{"format": "twitchlog", "version": 1, "checkins": [\n{"date": "2026-03-01", '
            '"stress": 2.5}]}',
            "Line 2: stress must be a whole number from 1 to 5, not 2.5",
        ),
        ('{"format": "twitchlog", "version": 1}\n{}', "Line 2: the file is not valid JSON here"),
        ("[1, 2]", "Line 1: the file is not valid JSON here (expected a JSON object"),
    ],
)
def test_bad_json_files_write_nothing_and_say_where(user, content, message):
    add_checkin(user, date(2026, 1, 1))

    result = import_text(user, content, "backup.json")

    assert any(error.startswith(message) for error in result.errors), result.errors
    assert list(DailyCheckIn.objects.filter(user=user).values_list("day", flat=True)) == [
        date(2026, 1, 1)
    ]
    assert profile_fields(user)["time_zone"] == "UTC"


def test_a_file_that_is_not_utf8_text_is_refused(user):
    content = csv_file(twitch_row(notes="café")).encode("latin-1")

    result = import_text(user, content)

    assert result.errors == [
        "Line 1: the file is not UTF-8 text; save it again as UTF-8 (CSV UTF-8)"
    ]


def test_a_file_of_another_kind_gets_an_error_beside_the_field(user, signed_in):
    response = upload(signed_in, "Dear diary, today my calf twitched.", "diary.txt")

    page = response.content.decode()
    assert "This does not look like a CSV or JSON file." in page
    assert 'class="invalid-feedback"' in page
    assert TwitchEntry.objects.count() == 0


def test_a_json_file_without_the_json_ending_is_recognised(user):
    result = import_text(user, '  {"format": "twitchlog", "version": 1, "twitches": []}', "backup")
    assert result.ok
    assert exports.detect_format(SimpleUploadedFile("notes.txt", b"\xef\xbb\xbf{}")) == "json"
    assert exports.detect_format(SimpleUploadedFile("x", b"type,date\r\n")) == "csv"


def test_a_file_over_the_size_limit_is_refused_before_reading(user, signed_in, monkeypatch):
    monkeypatch.setattr(exports, "MAX_IMPORT_BYTES", 1024 * 1024)
    content = csv_file(*(twitch_row(notes="x" * 1900) for _ in range(600)))

    response = upload(signed_in, content)

    assert "This file is larger than 1 MB." in response.content.decode()
    assert TwitchEntry.objects.count() == 0


def test_import_refuses_get_and_visitors(client, user):
    assert client.get(reverse("import")).status_code == 302
    client.force_login(user)
    assert client.get(reverse("import")).status_code == 405


def test_spreadsheet_bom_and_blank_lines_are_tolerated(user):
    content = "\ufeff" + csv_file(twitch_row()) + ",,,,\r\n\r\n"

    result = import_text(user, content.encode("utf-8"))

    assert result.ok, result.errors
    assert result.added["twitch"] == 1


# ---------------------------------------------------------------------------
# A large file


def test_a_ten_megabyte_file_imports_without_being_held_in_memory_twice(user, tmp_path):
    path = tmp_path / "big.csv"
    # Long notes, as a diligent journal has: most of the file's bytes are text to keep.
    notes = "Twitching in the left calf after a long walk; coffee in the morning. " * 22
    with path.open("w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out)
        writer.writerow(exports.CSV_COLUMNS)
        start = datetime(2024, 1, 1, tzinfo=UTC)
        rows = 0
        while out.tell() < 10 * 1024 * 1024:
            when = (start + timedelta(minutes=37 * rows)).isoformat()
            writer.writerow(
                [
                    "twitch",
                    when,
                    "",
                    "calf",
                    "left",
                    "20",
                    "2",
                    "caffeine;stress",
                    *[""] * 13,
                    notes,
                ]
            )
            rows += 1
    size = path.stat().st_size

    tracemalloc.start()
    try:
        with path.open("rb") as handle:
            result = exports.import_journal(user, UploadedFile(handle, "big.csv", size=size))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()

    assert result.ok, result.errors[:3]
    assert result.added["twitch"] == rows
    assert TwitchEntry.objects.filter(user=user).count() == rows
    assert TwitchTrigger.objects.filter(entry__user=user).count() == 2 * rows
    # The checked rows are held once until the one transaction writes them; the file's
    # text is never held whole beside them, which would take at least twice its size.
    assert peak < 2 * size, f"peak {peak:,} bytes for a {size:,}-byte file"


def test_a_ten_megabyte_json_file_imports_without_being_held_in_memory_twice(user, tmp_path):
    path = tmp_path / "big.json"
    notes = "Twitching in the left calf after a long walk; coffee in the morning. " * 22
    start = datetime(2024, 1, 1, tzinfo=UTC)
    with path.open("w", encoding="utf-8") as out:
        out.write('{"format": "twitchlog", "version": 1, "twitches": [\n')
        rows = 0
        while out.tell() < 10 * 1024 * 1024:
            item = {
                "occurred_at": (start + timedelta(minutes=37 * rows)).isoformat(),
                "location": "calf",
                "side": "left",
                "duration_seconds": 20,
                "intensity": 2,
                "triggers": ["caffeine", "stress"],
                "notes": notes,
            }
            out.write(("" if rows == 0 else ",\n") + json.dumps(item))
            rows += 1
        out.write("\n]}\n")
    size = path.stat().st_size

    tracemalloc.start()
    try:
        with path.open("rb") as handle:
            result = exports.import_journal(user, UploadedFile(handle, "big.json", size=size))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()

    assert result.ok, result.errors[:3]
    assert TwitchEntry.objects.filter(user=user).count() == rows
    assert peak < 2 * size, f"peak {peak:,} bytes for a {size:,}-byte file"


def test_a_json_entry_over_several_lines_is_reported_on_the_line_it_starts(user):
    content = (
        '{"format": "twitchlog", "version": 1, "twitches": [\n'
        "{\n"
        '  "occurred_at": "2026-03-01T08:00:00+00:00",\n'
        '  "location": "nose",\n'
        '  "intensity": 2\n'
        "}\n"
        "]}"
    )

    result = import_text(user, content, "backup.json")

    assert result.errors == ["Line 2: unknown location 'nose'"]


def test_a_json_item_far_longer_than_any_entry_is_refused_without_being_built(user):
    huge = json.dumps({"location": "calf", "notes": "x\\n" * 200_000})
    content = f'{{"format": "twitchlog", "version": 1, "twitches": [\n{huge}\n]}}'

    result = import_text(user, content, "backup.json")

    assert result.errors == [
        "Line 2: the file is not valid JSON here (an item here is longer than any TwitchLog writes)"
    ]
    assert TwitchEntry.objects.count() == 0


def test_an_unknown_section_is_named_and_its_contents_are_not_read(user):
    items = ",\n".join('{"mood": "fine"}' for _ in range(1000))
    content = f'{{"format": "twitchlog", "version": 1,\n"moods": [\n{items}\n]}}'

    result = import_text(user, content, "backup.json")

    assert result.errors == ["Line 2: unknown section 'moods'"]


def test_the_csv_header_is_the_formats_own_and_names_every_field_once():
    assert exports.CSV_COLUMNS == (
        "type",
        "occurred_at",
        "date",
        "location",
        "side",
        "duration_seconds",
        "intensity",
        "triggers",
        "kind",
        "severity",
        "onset",
        "coffee_cups",
        "tea_cups",
        "energy_drinks",
        "other_caffeine_mg",
        "caffeine_mg",
        "sleep_hours",
        "stress",
        "exercise",
        "alcohol_units",
        "water_litres",
        "notes",
    )
    for kind in exports.KINDS.values():
        assert {field.name for field in kind.fields} <= set(exports.CSV_COLUMNS)
