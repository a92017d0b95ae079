"""Moving from New York to Auckland moves no past entry to another date (RULES.md 2).

A journal of three twitch-days, 7 to 20 March 2025, logged in New York: 13 days apart,
one short of PERSISTENCE. In Auckland, 17 hours ahead, the last of them (23:00 on the
20th) is already the 21st: read in the new zone it would stretch the episode to 14 days
and fire the flag. Every page, the PDF's data, the exports, the API and the flags keep
the dates the entries were logged on; an entry logged after the move uses the new zone.
Runs on SQLite and, with DATABASE_URL, on PostgreSQL.
"""

from datetime import UTC, date, datetime

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from api.models import ApiToken
from api.tokens import create_token
from journal import exports, rules
from journal.flagging import flag_summary
from journal.history import build_history
from journal.report_data import build_report_data
from tests.api.conftest import ApiClient
from tests.journal_support import at, day_section, journal_days, make_twitch, twitch_data

pytestmark = pytest.mark.django_db

# Noon UTC on 22 March: 08:00 that day in New York, 01:00 on the 23rd in Auckland.
NOW = datetime(2025, 3, 22, 12, 0, tzinfo=UTC)
LOGGED_ON = [date(2025, 3, 7), date(2025, 3, 14), date(2025, 3, 20)]


@pytest.fixture(autouse=True)
def _frozen_clock():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def moved(make_user, client):
    """The person, their journal logged in New York, now living in Auckland."""
    person = make_user(email="ny@example.com", time_zone="America/New_York")
    make_twitch(person, at("America/New_York", 2025, 3, 7, 3, 0), "calf", triggers=["stress"])
    make_twitch(person, at("America/New_York", 2025, 3, 14, 3, 0), "hand")
    make_twitch(person, at("America/New_York", 2025, 3, 20, 23, 0), "thigh_front")
    person.profile.time_zone = "Pacific/Auckland"
    person.profile.save()
    client.force_login(person)
    return person


def test_the_journal_page_keeps_each_twitch_on_the_day_it_was_logged(moved, client):
    page = client.get(reverse("journal")).content.decode()

    assert journal_days(page) == ["2025-03-20", "2025-03-14", "2025-03-07"]
    # Shown at the time it was logged, on that clock.
    assert "23:00" in day_section(page, "2025-03-20")


def test_the_flags_do_not_stretch_the_episode_into_persistence(moved, client):
    history = build_history(moved)

    assert sorted({record.day for record in history.twitches}) == LOGGED_ON
    assert "PERSISTENCE" not in {flag.rule for flag in flag_summary(moved).flags}
    assert "PERSISTENCE" not in {flag.rule for flag in rules.evaluate(history, date(2025, 3, 23))}
    assert 'data-level="persistence"' not in client.get(reverse("flags")).content.decode()


def test_the_trends_page_counts_each_twitch_on_its_logged_day_and_hour(moved, client):
    data = client.get(reverse("trends"), {"range": "all"}).context["data"]

    daily = {str(item.date): item.count for item in data.daily if item.count}
    assert daily == {"2025-03-07": 1, "2025-03-14": 1, "2025-03-20": 1}
    assert data.hourly[3] == 2
    assert data.hourly[23] == 1
    thursday = data.weekday_hours[3]
    assert thursday.label == "Thursday"
    assert thursday.hours[23] == 1
    assert data.summary.twitch_days == 3
    assert [item.trigger for item in data.triggers.triggers] == ["stress"]


def test_the_pdf_shows_the_logged_dates_and_times(moved):
    report = build_report_data(moved, date(2025, 3, 1), date(2025, 3, 23), every_entry=True)

    assert [f"{row.when:%Y-%m-%d %H:%M}" for row in report.log] == [
        "2025-03-07 03:00",
        "2025-03-14 03:00",
        "2025-03-20 23:00",
    ]
    assert [item.date for item in report.daily if item.count] == LOGGED_ON
    assert (report.figures.first, report.figures.last) == (LOGGED_ON[0], LOGGED_ON[-1])
    assert "PERSISTENCE" not in {flag.rule for flag in report.flags}


def test_the_exports_write_the_logged_times_so_a_round_trip_keeps_the_dates(moved, make_user):
    text = "".join(exports.export_csv(moved))
    assert "2025-03-20T23:00:00-04:00" in text

    copy = make_user(email="copy@example.com", time_zone="Asia/Tokyo")
    result = exports.import_journal(copy, SimpleUploadedFile("journal.csv", text.encode()))

    assert result.ok, result.errors
    assert sorted(copy.twitches.values_list("local_date", flat=True)) == LOGGED_ON


def test_the_api_gives_each_twitch_its_logged_date(moved, client):
    api = ApiClient(client, create_token(moved, "Phone", ApiToken.Scope.READ)[1])

    items = api.get(reverse("api:twitch-list")).json()["results"]

    assert sorted(item["local_date"] for item in items) == [d.isoformat() for d in LOGGED_ON]
    assert "2025-03-20T23:00:00-04:00" in {item["occurred_at"] for item in items}


def test_a_twitch_logged_after_the_move_uses_the_new_zone(moved, client):
    # 08:00 on 22 March in New York is 01:00 on the 23rd in Auckland.
    client.post(reverse("log"), twitch_data(occurred_at="2025-03-23T00:30"))

    newest = moved.twitches.order_by("-occurred_at").first()
    assert (newest.local_date, newest.local_hour) == (date(2025, 3, 23), 0)
    assert journal_days(client.get(reverse("journal")).content.decode())[0] == "2025-03-23"
