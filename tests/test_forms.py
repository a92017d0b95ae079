"""The rules of input: each bad entry re-renders the form with one clear error beside the
field, everything the person typed still in place, and nothing saved."""

import datetime
import re

import pytest
from django.urls import reverse

from journal.models import DailyCheckIn, SymptomEntry, TwitchEntry, TwitchTrigger
from tests.journal_support import UTC, error_beside, make_checkin, twitch_data

pytestmark = pytest.mark.django_db

NOW = datetime.datetime(2025, 3, 1, 15, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def _frozen_clock(time_machine):
    time_machine.move_to(NOW, tick=False)


def is_checked(body: str, name: str, value: str) -> bool:
    return bool(re.search(rf'<input[^>]*name="{name}" value="{value}"[^>]*\bchecked\b', body))


def is_selected(body: str, name: str, value: str) -> bool:
    select = re.search(rf'<select name="{name}".*?</select>', body, re.DOTALL).group(0)
    return bool(re.search(rf'<option value="{value}"[^>]*\bselected\b', select))


def post(client, url, data):
    response = client.post(url, data)
    assert response.status_code == 200, "an invalid form re-renders instead of redirecting"
    return response.content.decode()


def assert_kept_twitch_input(body, occurred_at="2025-03-01T14:30"):
    """The values typed in TestTwitchInputRules.typed are all still in the form."""
    assert f'value="{occurred_at}"' in body
    assert is_selected(body, "location", "calf")
    assert is_checked(body, "side", "left")
    assert is_checked(body, "intensity", "3")
    assert is_checked(body, "triggers", "caffeine")
    assert is_checked(body, "triggers", "stress")
    assert "Felt it in bed" in body


class TestTwitchInputRules:
    url = reverse("log")
    typed = {"intensity": "3", "triggers": ["caffeine", "stress"], "notes": "Felt it in bed"}

    def test_a_time_more_than_five_minutes_ahead_is_refused_with_the_input_kept(self, signed_in):
        body = post(signed_in, self.url, twitch_data(occurred_at="2025-03-01T15:06", **self.typed))
        error = "That time is still to come: it is 15:00 on 1 March where you are."
        assert error in error_beside(body, "id_occurred_at")
        assert body.count(error) == 1
        assert_kept_twitch_input(body, occurred_at="2025-03-01T15:06")
        assert not TwitchEntry.objects.exists()

    def test_a_time_up_to_five_minutes_ahead_is_accepted(self, signed_in, user):
        response = signed_in.post(self.url, twitch_data(occurred_at="2025-03-01T15:05"))
        assert response.status_code == 302
        assert TwitchEntry.objects.get(user=user).occurred_at == NOW + datetime.timedelta(minutes=5)

    def test_the_future_is_judged_in_the_persons_own_time_zone(self, client, make_user):
        # 15:00 UTC is 20:30 in Kolkata: 20:40 there is ten minutes ahead.
        client.force_login(make_user(email="priya@example.com", time_zone="Asia/Kolkata"))
        body = post(client, self.url, twitch_data(occurred_at="2025-03-01T20:40"))
        assert "it is 20:30 on 1 March where you are" in error_beside(body, "id_occurred_at")
        assert client.post(self.url, twitch_data(occurred_at="2025-03-01T20:30")).status_code == 302

    @pytest.mark.parametrize(
        ("zone", "typed"),
        [
            # St John's kept a clock 3:30:52 behind UTC until 1935: in year 1 its midnight
            # read back on a whole-minute offset falls off the calendar.
            ("America/St_Johns", "0001-01-01T00:00"),
            ("Pacific/Kiritimati", "0190-05-01T09:00"),
            ("Europe/London", "1899-12-31T23:59"),
        ],
    )
    def test_a_time_before_1900_is_refused_with_the_input_kept(
        self, client, make_user, zone, typed
    ):
        client.force_login(make_user(email="early@example.com", time_zone=zone))
        body = post(client, self.url, twitch_data(occurred_at=typed, **self.typed))
        error = "Enter a time from 1 January 1900 on: an earlier year is most likely a typing slip."
        assert error_beside(body, "id_occurred_at") == error
        assert_kept_twitch_input(body, occurred_at=typed)
        assert 'min="1900-01-01T00:00"' in body
        assert not TwitchEntry.objects.exists()

    def test_an_edit_to_a_time_before_1900_is_refused_and_changes_nothing(self, client, make_user):
        person = make_user(email="early@example.com", time_zone="America/St_Johns")
        client.force_login(person)
        client.post(self.url, twitch_data(occurred_at="2025-03-01T11:00"))
        twitch = TwitchEntry.objects.get(user=person)
        url = reverse("twitch_edit", args=[twitch.pk])
        body = post(client, url, twitch_data(occurred_at="0001-01-01T00:00", **self.typed))
        assert "Enter a time from 1 January 1900 on" in error_beside(body, "id_occurred_at")
        twitch.refresh_from_db()
        assert twitch.local_time.isoformat() == "2025-03-01T11:00:00-03:30"

    def test_the_first_minute_of_1900_is_accepted(self, signed_in, user):
        assert (
            signed_in.post(self.url, twitch_data(occurred_at="1900-01-01T00:00")).status_code == 302
        )
        assert TwitchEntry.objects.get(user=user).local_date == datetime.date(1900, 1, 1)

    def test_a_duration_over_24_hours_is_refused_with_the_input_kept(self, signed_in):
        body = post(signed_in, self.url, twitch_data(duration_typed="86401", **self.typed))
        error = "A twitch can be logged for up to 24 hours (86,400 seconds)."
        assert error_beside(body, "id_duration_typed") == error
        assert body.count(error) == 1
        assert 'value="86401"' in body
        assert_kept_twitch_input(body)
        assert not TwitchEntry.objects.exists()

    def test_a_duration_of_exactly_24_hours_is_accepted(self, signed_in, user):
        signed_in.post(self.url, twitch_data(duration_typed="86400"))
        assert TwitchEntry.objects.get(user=user).duration_seconds == 86400

    def test_notes_over_2000_characters_are_refused_with_the_text_kept(self, signed_in):
        notes = "Felt it in bed. " + "x" * 1990
        body = post(signed_in, self.url, twitch_data(**{**self.typed, "notes": notes}))
        error = "Notes can be up to 2,000 characters; these have 2006."
        assert error_beside(body, "id_notes") == error
        assert body.count(error) == 1
        assert notes in body
        assert not TwitchEntry.objects.exists()

    def test_line_breaks_count_as_one_character_as_in_the_browser(self, signed_in, user):
        notes = "a" * 1000 + "\r\n" + "b" * 999
        signed_in.post(self.url, twitch_data(notes=notes))
        assert TwitchEntry.objects.get(user=user).notes == "a" * 1000 + "\n" + "b" * 999

    def test_an_unknown_location_is_refused_with_the_input_kept(self, signed_in):
        body = post(signed_in, self.url, twitch_data(location="spleen", **self.typed))
        error = "Choose a place from the list, or tap it on the body map."
        assert error_beside(body, "id_location") == error
        assert body.count(error) == 1
        assert is_checked(body, "side", "left")
        assert is_checked(body, "triggers", "stress")
        assert "Felt it in bed" in body
        assert not TwitchEntry.objects.exists()

    def test_a_missing_location_asks_for_a_tap_or_a_choice(self, signed_in):
        body = post(signed_in, self.url, twitch_data(location=""))
        assert error_beside(body, "id_location") == (
            "Tap where you felt it on the body map, or choose the place here."
        )

    def test_an_unknown_trigger_is_refused_and_nothing_is_half_saved(self, signed_in):
        data = twitch_data(**{**self.typed, "triggers": ["caffeine", "moonlight"]})
        body = post(signed_in, self.url, data)
        error = "Choose the possible causes from the list shown."
        assert error_beside(body, "id_triggers") == error
        assert body.count(error) == 1
        assert is_checked(body, "triggers", "caffeine")
        assert not is_checked(body, "triggers", "stress")
        assert is_selected(body, "location", "calf")
        assert is_checked(body, "intensity", "3")
        assert "Felt it in bed" in body
        assert not TwitchEntry.objects.exists()
        assert not TwitchTrigger.objects.exists()

    def test_a_time_at_the_edge_of_the_calendar_is_an_error_not_a_crash(self, client, make_user):
        client.force_login(make_user(email="priya@example.com", time_zone="Asia/Kolkata"))
        body = post(client, self.url, twitch_data(occurred_at="0001-01-01T00:10"))
        assert error_beside(body, "id_occurred_at") == (
            "Enter a date and a time, such as 2025-03-01 14:30."
        )
        assert not TwitchEntry.objects.exists()

    def test_errors_are_also_listed_at_the_top_with_links_to_the_fields(self, signed_in):
        body = post(signed_in, self.url, twitch_data(location="spleen", duration_typed="-1"))
        summary = re.search(r'id="form-errors".*?</div>', body, re.DOTALL).group(0)
        assert "Nothing is saved yet" in summary
        assert 'href="#id_location"' in summary
        assert 'href="#id_duration_typed"' in summary
        assert error_beside(body, "id_duration_typed") == "Enter 0 seconds or more."


class TestDaylightSavingTimes:
    """Wall-clock times that a clock change repeats or skips still save, never a 500."""

    def test_a_repeated_autumn_time_is_taken_as_the_first_one(
        self, client, make_user, time_machine
    ):
        time_machine.move_to(datetime.datetime(2025, 11, 2, 12, 0, tzinfo=UTC), tick=False)
        user = make_user(email="nia@example.com", time_zone="America/New_York")
        client.force_login(user)
        response = client.post(reverse("log"), twitch_data(occurred_at="2025-11-02T01:30"))
        assert response.status_code == 302
        # 01:30 happens twice in New York that night; the first is 05:30 UTC (EDT).
        entry = TwitchEntry.objects.get(user=user)
        assert entry.occurred_at == datetime.datetime(2025, 11, 2, 5, 30, tzinfo=UTC)

    def test_a_skipped_spring_time_keeps_the_offset_from_before_the_change(
        self, client, make_user, time_machine
    ):
        time_machine.move_to(datetime.datetime(2025, 3, 9, 12, 0, tzinfo=UTC), tick=False)
        user = make_user(email="nia@example.com", time_zone="America/New_York")
        client.force_login(user)
        response = client.post(reverse("log"), twitch_data(occurred_at="2025-03-09T02:30"))
        assert response.status_code == 302
        # 02:30 never happens that night: read as EST it is 07:30 UTC, shown as 03:30.
        entry = TwitchEntry.objects.get(user=user)
        assert entry.occurred_at == datetime.datetime(2025, 3, 9, 7, 30, tzinfo=UTC)


class TestSymptomInputRules:
    url = reverse("symptom_new")

    def data(self, **overrides):
        data = {
            "noted_on": "2025-03-01",
            "kind": "weakness",
            "severity": "2",
            "onset": "gradual",
            "location": "hand",
            "side": "right",
            "notes": "Jar lids are harder to open",
        }
        return {**data, **overrides}

    def assert_kept(self, body):
        assert is_checked(body, "kind", "weakness")
        assert is_checked(body, "severity", "2")
        assert is_checked(body, "side", "right")
        assert "Jar lids are harder to open" in body

    def test_a_future_day_is_refused_with_the_input_kept(self, signed_in):
        body = post(signed_in, self.url, self.data(noted_on="2025-03-02"))
        error = "That day is still to come. Choose today or an earlier day."
        assert error_beside(body, "id_noted_on") == error
        assert body.count(error) == 1
        assert 'value="2025-03-02"' in body
        self.assert_kept(body)
        assert not SymptomEntry.objects.exists()

    def test_an_unknown_location_is_refused_with_the_input_kept(self, signed_in):
        body = post(signed_in, self.url, self.data(location="spleen"))
        error = "Choose a place from the list, or leave it empty."
        assert error_beside(body, "id_location") == error
        self.assert_kept(body)
        assert not SymptomEntry.objects.exists()

    def test_an_unknown_kind_is_refused(self, signed_in):
        body = post(signed_in, self.url, self.data(kind="sneezing"))
        assert error_beside(body, "id_kind") == "Choose one of the symptoms listed."
        assert "Jar lids are harder to open" in body

    def test_notes_over_2000_characters_are_refused_with_the_text_kept(self, signed_in):
        notes = "Jar lids are harder to open. " + "y" * 1980
        body = post(signed_in, self.url, self.data(notes=notes))
        assert error_beside(body, "id_notes") == (
            "Notes can be up to 2,000 characters; these have 2009."
        )
        assert notes in body
        assert not SymptomEntry.objects.exists()


class TestCheckInInputRules:
    def data(self, **overrides):
        data = {
            "day": "2025-02-28",
            "coffee_cups": "2",
            "tea_cups": "",
            "energy_drinks": "",
            "other_caffeine_mg": "",
            "sleep_hours": "6.5",
            "stress": "4",
            "exercise": "light",
            "alcohol_units": "",
            "water_litres": "1.5",
            "notes": "Deadline week",
            "next": "/",
        }
        return {**data, **overrides}

    def assert_kept(self, body):
        assert 'value="2"' in body
        assert 'value="6.5"' in body
        assert is_checked(body, "stress", "4")
        assert is_checked(body, "exercise", "light")
        assert "Deadline week" in body

    def test_a_second_check_in_for_the_same_day_is_refused_with_the_input_kept(
        self, signed_in, user
    ):
        existing = make_checkin(user, datetime.date(2025, 2, 28), other_caffeine_mg=47)
        body = post(signed_in, reverse("checkin"), self.data())
        error = (
            "You already have a check-in for Friday 28 February 2025. "
            "Change that one instead, or choose another day."
        )
        assert error_beside(body, "id_day") == error
        assert body.count("You already have a check-in") == 1
        assert 'value="2025-02-28"' in body
        self.assert_kept(body)
        assert list(DailyCheckIn.objects.filter(user=user)) == [existing]
        existing.refresh_from_db()
        assert existing.caffeine_mg == 47

    def test_moving_a_check_in_onto_a_day_that_has_one_is_refused(self, signed_in, user):
        make_checkin(user, datetime.date(2025, 2, 28))
        moved = make_checkin(user, datetime.date(2025, 2, 27), other_caffeine_mg=95)
        url = reverse("checkin_day", args=[moved.day])
        body = post(signed_in, url, self.data(day="2025-02-28"))
        assert "You already have a check-in for Friday 28 February 2025" in error_beside(
            body, "id_day"
        )
        moved.refresh_from_db()
        assert moved.day == datetime.date(2025, 2, 27)
        assert moved.caffeine_mg == 95

    def test_another_persons_check_in_on_that_day_is_no_obstacle(self, signed_in, user, other_user):
        make_checkin(other_user, datetime.date(2025, 2, 28))
        response = signed_in.post(reverse("checkin"), self.data())
        assert response.status_code == 302
        assert DailyCheckIn.objects.get(user=user).caffeine_mg == 190

    def test_a_future_day_is_refused(self, signed_in):
        body = post(signed_in, reverse("checkin"), self.data(day="2025-03-02"))
        assert error_beside(body, "id_day") == (
            "That day is still to come. Choose today or an earlier day."
        )
        self.assert_kept(body)
        assert not DailyCheckIn.objects.exists()

    def test_caffeine_over_2000_mg_is_refused_beside_the_first_caffeine_field(self, signed_in):
        body = post(signed_in, reverse("checkin"), self.data(coffee_cups="20", tea_cups="5"))
        assert error_beside(body, "id_coffee_cups") == (
            "That adds up to 2,135 mg of caffeine, more than the 2,000 mg a day this "
            "journal accepts. Check the numbers."
        )
        assert 'value="20"' in body
        assert 'value="5"' in body
        assert not DailyCheckIn.objects.exists()

    def test_sleep_over_24_hours_and_two_decimals_are_refused_beside_their_fields(self, signed_in):
        body = post(signed_in, reverse("checkin"), self.data(sleep_hours="25", water_litres="1.25"))
        assert error_beside(body, "id_sleep_hours") == "Enter at most 24."
        assert error_beside(body, "id_water_litres") == (
            "Use at most one decimal place, such as 1.5."
        )
        assert 'value="25"' in body
        assert 'value="1.25"' in body
        assert not DailyCheckIn.objects.exists()

    def test_notes_over_2000_characters_are_refused_with_the_text_kept(self, signed_in):
        notes = "Deadline week " + "z" * 1990
        body = post(signed_in, reverse("checkin"), self.data(notes=notes))
        assert error_beside(body, "id_notes") == (
            "Notes can be up to 2,000 characters; these have 2004."
        )
        assert notes in body
        assert not DailyCheckIn.objects.exists()
