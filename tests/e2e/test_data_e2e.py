"""A person downloads their journal, imports a file, and deletes their account."""

import csv
import io
import json
from datetime import UTC, date, datetime

import pytest
from playwright.sync_api import expect

from journal import exports
from journal.models import DailyCheckIn, TwitchEntry
from tests.e2e.conftest import open_menu
from tests.support import PASSWORD

pytestmark = pytest.mark.django_db(transaction=True)


def test_download_the_journal_as_csv_from_the_export_page(signed_in_page, user):
    entry = TwitchEntry.objects.create(
        user=user,
        occurred_at=datetime(2026, 3, 1, 9, 15, tzinfo=UTC),
        location="calf",
        side="left",
        intensity=3,
        notes="After a run",
    )
    entry.set_triggers(["exercise"])
    DailyCheckIn.objects.create(user=user, day=date(2026, 3, 1), stress=4)
    page = signed_in_page

    open_menu(page)
    page.get_by_role("link", name="Export").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your data")
    expect(page.locator("main")).to_contain_text(
        "Your journal holds 1 twitch, 0 symptoms and 1 check-in."
    )
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download CSV").click()
    download = download_info.value

    assert download.suggested_filename.startswith("twitchlog-")
    assert download.suggested_filename.endswith(".csv")
    with open(download.path(), encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert [row["type"] for row in rows] == ["twitch", "checkin"]
    assert rows[0]["occurred_at"] == "2026-03-01T09:15:00+00:00"
    assert (rows[0]["location"], rows[0]["side"], rows[0]["intensity"]) == ("calf", "left", "3")
    assert rows[0]["triggers"] == "exercise"
    assert rows[0]["notes"] == "After a run"
    assert (rows[1]["date"], rows[1]["stress"]) == ("2026-03-01", "4")


def test_import_lists_problems_then_adds_the_fixed_file(signed_in_page, user):
    def csv_bytes(location):
        out = io.StringIO()
        writer = csv.DictWriter(out, fieldnames=exports.CSV_COLUMNS)
        writer.writeheader()
        writer.writerow(
            {
                "type": "twitch",
                "occurred_at": "2026-02-01T08:00:00+00:00",
                "location": location,
                "intensity": "2",
            }
        )
        return out.getvalue().encode()

    page = signed_in_page
    page.goto("/export/")
    file_input = page.get_by_label("File to import")

    file_input.set_input_files(
        {"name": "journal.csv", "mimeType": "text/csv", "buffer": csv_bytes("elbw")}
    )
    page.get_by_role("button", name="Import file").click()
    problems = page.get_by_role("alert")
    expect(problems).to_contain_text("Nothing was imported.")
    expect(problems).to_contain_text("Line 2: unknown location 'elbw'")
    assert TwitchEntry.objects.count() == 0

    page.get_by_label("File to import").set_input_files(
        {"name": "journal.csv", "mimeType": "text/csv", "buffer": csv_bytes("elbow")}
    )
    page.get_by_role("button", name="Import file").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Check before importing")
    expect(page.locator("main")).to_contain_text(
        "It adds 1 twitch, 0 symptoms and 0 check-ins to your journal."
    )
    assert not TwitchEntry.objects.exists()
    page.get_by_role("button", name="Import", exact=True).click()
    expect(page.get_by_role("status")).to_contain_text(
        "Imported 1 twitch, 0 symptoms and 0 check-ins."
    )
    expect(page.locator("main")).to_contain_text("Your journal holds 1 twitch")
    assert TwitchEntry.objects.get(user=user).location == "elbow"


def json_backup(**profile) -> bytes:
    return json.dumps(
        {
            "format": "twitchlog",
            "version": 2,
            "profile": profile,
            "twitches": [
                {"occurred_at": "2026-02-01T08:00:00-05:00", "location": "calf", "intensity": 2}
            ],
            "checkins": [{"date": "2026-02-01", "coffee_cups": 2, "tea_cups": 1}],
        }
    ).encode()


def choose_file(page, content: bytes):
    page.goto("/export/")
    page.get_by_label("File to import").set_input_files(
        {"name": "backup.json", "mimeType": "application/json", "buffer": content}
    )
    page.get_by_role("button", name="Import file").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Check before importing")


def test_a_json_import_asks_before_replacing_the_profile_and_cancel_writes_nothing(
    signed_in_page, user
):
    profile = user.profile
    profile.display_name = "Sam"
    profile.time_zone = "Europe/London"
    profile.save()
    page = signed_in_page
    backup = json_backup(display_name="Sam B.", time_zone="America/New_York")

    choose_file(page, backup)
    changes = page.locator(".import-changes")
    expect(changes).to_contain_text("Your name")
    expect(changes).to_contain_text("Sam → Sam B.")
    expect(changes).to_contain_text("Europe/London → America/New York")
    expect(page.get_by_label("Also replace my profile details with the file's")).not_to_be_checked()
    page.get_by_role("button", name="Cancel").click()
    expect(page.get_by_role("status")).to_contain_text("Import cancelled. Nothing was imported.")
    expect(page.get_by_role("heading", level=1)).to_have_text("Your data")
    assert not TwitchEntry.objects.exists()
    assert not DailyCheckIn.objects.exists()

    # Confirmed without the tick: entries in, profile as it was.
    choose_file(page, backup)
    page.get_by_role("button", name="Import", exact=True).click()
    expect(page.get_by_role("status")).to_contain_text(
        "Imported 1 twitch, 0 symptoms and 1 check-in."
    )
    profile.refresh_from_db()
    assert (profile.display_name, profile.time_zone) == ("Sam", "Europe/London")
    assert DailyCheckIn.objects.get(user=user).caffeine_mg == 237

    # Ticked: the file's details replace the person's.
    choose_file(page, backup)
    expect(page.locator("main")).to_contain_text(
        "It adds no entries: every entry in the file is already in your journal."
    )
    page.get_by_label("Also replace my profile details with the file's").check()
    page.get_by_role("button", name="Import", exact=True).click()
    expect(page.get_by_role("status")).to_contain_text(
        "Your profile details were replaced with the file's."
    )
    profile.refresh_from_db()
    assert (profile.display_name, profile.time_zone) == ("Sam B.", "America/New_York")
    assert TwitchEntry.objects.count() == 1


def test_delete_the_account_and_sign_in_fails_afterwards(signed_in_page, user, live_server):
    TwitchEntry.objects.create(
        user=user, occurred_at=datetime(2026, 3, 1, 9, tzinfo=UTC), location="calf"
    )
    page = signed_in_page
    page.goto("/settings/")
    page.get_by_role("link", name="Delete my account").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Delete your account")

    page.get_by_label("Your password").fill("not-the-password")
    page.get_by_role("button", name="Delete my account and all my data").click()
    expect(page.locator("main")).to_contain_text("That is not your password.")

    page.get_by_label("Your password").fill(PASSWORD)
    page.get_by_role("button", name="Delete my account and all my data").click()
    page.wait_for_url(live_server.url + "/")
    expect(page.get_by_role("status")).to_contain_text(
        "Your account and everything in your journal have been deleted."
    )
    expect(page.get_by_role("link", name="Create your journal")).to_be_visible()
    assert TwitchEntry.objects.count() == 0

    page.goto("/accounts/login/")
    page.get_by_label("Email").fill(user.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.locator("main")).to_contain_text(
        "That email address and password do not match an account."
    )
    expect(page).to_have_url(live_server.url + "/accounts/login/")
    page.goto("/export/")
    expect(page).to_have_url(live_server.url + "/accounts/login/?next=/export/")
