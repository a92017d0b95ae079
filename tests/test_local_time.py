"""Each twitch keeps the local date, hour and offset it was logged with (RULES.md 2).

Every way a twitch is written places it in time in one model-level place
(``TwitchEntry.place_in_time``); a later change of the profile's time zone leaves
past entries where they were, and only new entries and edited times use the new zone.
"""

from datetime import UTC, date, datetime

import pytest
import time_machine
from django.urls import reverse

from journal import exports
from journal.models import TwitchEntry
from journal.services import repeat_last_twitch
from tests.journal_support import at, make_twitch, twitch_data
from tests.test_exports import csv_file, import_text, twitch_row

pytestmark = pytest.mark.django_db

# 04:30 UTC on 2 March 2025: 23:30 on 1 March in New York, 17:30 on 2 March in Auckland.
LATE_EVENING_IN_NEW_YORK = datetime(2025, 3, 2, 4, 30, tzinfo=UTC)


def move(person, zone_name):
    person.profile.time_zone = zone_name
    person.profile.save()


def placed(entry):
    entry.refresh_from_db()
    return entry.local_date, entry.local_hour, entry.utc_offset_minutes


@pytest.mark.parametrize(
    ("zone_name", "moment", "expected"),
    [
        # St John's is 3.5 hours behind UTC in winter.
        (
            "America/St_Johns",
            datetime(2025, 1, 15, 3, 15, tzinfo=UTC),
            (date(2025, 1, 14), 23, -210),
        ),
        ("Asia/Kolkata", datetime(2025, 1, 14, 18, 45, tzinfo=UTC), (date(2025, 1, 15), 0, 330)),
        ("Pacific/Auckland", datetime(2025, 1, 14, 11, 0, tzinfo=UTC), (date(2025, 1, 15), 0, 780)),
        # 05:30 UTC on 2 November 2025: 01:30 the second time, after New York's clocks
        # went back (EST, UTC-5).
        (
            "America/New_York",
            datetime(2025, 11, 2, 6, 30, tzinfo=UTC),
            (date(2025, 11, 2), 1, -300),
        ),
        (
            "America/New_York",
            datetime(2025, 11, 2, 5, 30, tzinfo=UTC),
            (date(2025, 11, 2), 1, -240),
        ),
    ],
)
def test_a_saved_twitch_keeps_the_local_date_hour_and_offset_of_its_persons_zone(
    make_user, zone_name, moment, expected
):
    person = make_user(time_zone=zone_name)

    assert placed(make_twitch(person, moment)) == expected


def test_changing_the_time_zone_moves_no_past_twitch_and_new_ones_use_the_new_zone(make_user):
    person = make_user(time_zone="America/New_York")
    before = make_twitch(person, LATE_EVENING_IN_NEW_YORK)

    move(person, "Pacific/Auckland")
    after = make_twitch(person, LATE_EVENING_IN_NEW_YORK)

    assert placed(before) == (date(2025, 3, 1), 23, -300)
    assert placed(after) == (date(2025, 3, 2), 17, 780)
    assert f"{before.local_time:%Y-%m-%d %H:%M}" == "2025-03-01 23:30"


def test_bulk_inserted_twitches_are_placed_too(make_user):
    person = make_user(time_zone="Asia/Kolkata")
    entry = TwitchEntry(
        user=person, occurred_at=datetime(2025, 1, 14, 18, 45, tzinfo=UTC), location="calf"
    )

    (created,) = TwitchEntry.objects.bulk_create([entry])

    assert placed(created) == (date(2025, 1, 15), 0, 330)


@time_machine.travel(datetime(2025, 3, 10, 12, 0, tzinfo=UTC), tick=False)
def test_again_places_the_new_twitch_in_the_zone_the_person_has_now(make_user):
    person = make_user(time_zone="America/New_York")
    make_twitch(person, LATE_EVENING_IN_NEW_YORK)
    move(person, "Pacific/Auckland")

    entry = repeat_last_twitch(person)

    # Noon UTC on 10 March is 01:00 on 11 March in Auckland (UTC+13).
    assert placed(entry) == (date(2025, 3, 11), 1, 780)


@time_machine.travel(datetime(2025, 3, 10, 12, 0, tzinfo=UTC), tick=False)
def test_editing_a_twitchs_time_places_it_again_and_editing_its_notes_does_not(make_user, client):
    person = make_user(time_zone="America/New_York")
    entry = make_twitch(person, datetime(2025, 3, 2, 4, 30, 17, tzinfo=UTC))
    move(person, "Pacific/Auckland")
    client.force_login(person)
    edit = reverse("twitch_edit", args=[entry.pk])

    # The form shows the time in Auckland, to the minute; sent back unchanged.
    client.post(edit, twitch_data(occurred_at="2025-03-02T17:30", notes="A note"))
    assert placed(entry) == (date(2025, 3, 1), 23, -300)
    assert entry.occurred_at == datetime(2025, 3, 2, 4, 30, 17, tzinfo=UTC)

    client.post(edit, twitch_data(occurred_at="2025-03-02T09:00"))
    assert placed(entry) == (date(2025, 3, 2), 9, 780)


def test_a_twitch_logged_on_the_page_is_placed_in_the_persons_zone(make_user, client):
    person = make_user(time_zone="America/St_Johns")
    client.force_login(person)

    with time_machine.travel(datetime(2025, 3, 10, 12, 0, tzinfo=UTC), tick=False):
        client.post(reverse("log"), twitch_data(occurred_at="2025-03-01T23:45"))

    assert placed(TwitchEntry.objects.get(user=person)) == (date(2025, 3, 1), 23, -210)


@time_machine.travel(datetime(2026, 3, 10, 15, 0, tzinfo=UTC), tick=False)
def test_an_import_keeps_the_date_its_files_time_and_offset_give(make_user):
    person = make_user(time_zone="Pacific/Auckland")

    result = import_text(person, csv_file(twitch_row(occurred_at="2026-03-01T23:30:00-05:00")))

    assert result.ok, result.errors
    entry = TwitchEntry.objects.get(user=person)
    assert placed(entry) == (date(2026, 3, 1), 23, -300)
    assert entry.occurred_at == at("America/New_York", 2026, 3, 1, 23, 30)


@time_machine.travel(datetime(2026, 3, 10, 15, 0, tzinfo=UTC), tick=False)
def test_an_export_writes_each_time_on_the_clock_it_was_logged_on(make_user):
    person = make_user(time_zone="America/New_York")
    make_twitch(person, datetime(2026, 3, 2, 4, 30, tzinfo=UTC))
    move(person, "Pacific/Auckland")

    text = "".join(exports.export_csv(person))

    assert "2026-03-01T23:30:00-05:00" in text
