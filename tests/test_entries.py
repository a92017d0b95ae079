"""The journaling screens: logging, Again and undo, symptoms, check-ins, the journal page,
editing and deleting, and the signed-in home page."""

import datetime
import re
from decimal import Decimal

import pytest
from django.contrib import admin
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from journal import body as vocabulary
from journal.models import DailyCheckIn, SymptomEntry, TwitchEntry, TwitchTrigger
from journal.views.entries import UNDO_WINDOW, _filter_fields
from tests.journal_support import (
    UTC,
    at,
    day_section,
    journal_days,
    make_checkin,
    make_symptom,
    make_twitch,
    messages_of,
    text_of,
    twitch_data,
)

pytestmark = pytest.mark.django_db

NOW = datetime.datetime(2025, 3, 1, 15, 0, tzinfo=UTC)
TODAY = datetime.date(2025, 3, 1)


@pytest.fixture(autouse=True)
def _frozen_clock(time_machine):
    time_machine.move_to(NOW, tick=False)


class TestLogPage:
    def test_time_defaults_to_now_in_the_persons_time_zone(self, client, make_user):
        client.force_login(make_user(email="priya@example.com", time_zone="Asia/Kolkata"))
        body = client.get(reverse("log")).content.decode()
        # 15:00 UTC is 20:30 in Kolkata.
        assert 'type="datetime-local" name="occurred_at" value="2025-03-01T20:30"' in body

    def test_body_map_offers_every_drawable_place_as_a_keyboard_button(self, signed_in):
        body = signed_in.get(reverse("log")).content.decode()
        areas = re.findall(r'<(?:rect|ellipse|g) class="body-area"[^>]*>', body)
        assert len(areas) == 63
        assert all('role="button" tabindex="0" aria-pressed="false"' in area for area in areas)
        drawn = set(re.findall(r'class="body-area" data-location="(\w+)"', body))
        assert drawn == {code for code, _ in vocabulary.LOCATIONS}
        assert re.search(
            r'data-location="calf" data-side="left"[^>]*><title>Left calf</title>', body
        )
        assert "<title>Back of right thigh</title>" in body

    def test_every_place_is_also_in_the_list_grouped_by_region(self, signed_in):
        body = signed_in.get(reverse("log")).content.decode()
        select = re.search(r'<select name="location".*?</select>', body, re.DOTALL).group(0)
        options = set(re.findall(r'<option value="(\w+)"', select))
        assert options == {code for code, _ in vocabulary.TWITCH_LOCATIONS}
        assert '<optgroup label="Lower back, hips and legs">' in select
        assert 'for="id_location"' in body

    def test_find_a_place_comes_before_the_map_and_carries_everyday_words(self, signed_in):
        body = signed_in.get(reverse("log")).content.decode()
        assert body.index('id="place-search"') < body.index('id="body-map"')
        for code, word in (("upper_arm", "bicep"), ("fingers", "pinky"), ("eyelid", "eye")):
            words = re.search(rf'<option value="{code}" data-words="([^"]*)"', body).group(1)
            assert word in words.split(",")

    def test_logging_with_defaults_saves_and_returns_home_with_undo(self, signed_in, user):
        response = signed_in.post(
            reverse("log"), twitch_data(occurred_at="2025-03-01T14:55"), follow=True
        )
        entry = TwitchEntry.objects.get(user=user)
        assert response.redirect_chain == [(reverse("home"), 302)]
        assert (entry.location, entry.side, entry.intensity) == ("calf", "left", 2)
        assert entry.duration_seconds is None
        assert entry.occurred_at == datetime.datetime(2025, 3, 1, 14, 55, tzinfo=UTC)
        assert messages_of(response) == ["Saved: Left calf at 14:55 today."]
        body = response.content.decode()
        assert f'action="{reverse("twitch_undo", args=[entry.pk])}"' in body
        assert "Added by mistake? Left calf at 14:55 today. Undo" in text_of(body)

    def test_preset_length_triggers_and_notes_are_saved(self, signed_in, user):
        signed_in.post(
            reverse("log"),
            twitch_data(
                duration_preset="30",
                intensity="3",
                triggers=["stress", "caffeine"],
                notes="At my desk",
            ),
        )
        entry = TwitchEntry.objects.get(user=user)
        assert entry.duration_seconds == 30
        assert entry.intensity == 3
        assert entry.trigger_codes == ["caffeine", "stress"]
        assert entry.notes == "At my desk"

    def test_typed_seconds_win_over_a_preset(self, signed_in, user):
        signed_in.post(reverse("log"), twitch_data(duration_preset="3", duration_typed="45"))
        assert TwitchEntry.objects.get(user=user).duration_seconds == 45

    def test_under_a_second_is_stored_as_zero(self, signed_in, user):
        signed_in.post(reverse("log"), twitch_data(duration_preset="0"))
        assert TwitchEntry.objects.get(user=user).duration_seconds == 0

    def test_visitors_are_asked_to_log_in(self, client):
        response = client.get(reverse("log"))
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))


class TestAgainAndUndo:
    def test_again_repeats_the_last_twitch_now(self, signed_in, user):
        make_twitch(user, NOW - datetime.timedelta(days=3), location="thigh_front")
        last = make_twitch(
            user,
            NOW - datetime.timedelta(hours=2),
            location="calf",
            side="right",
            duration_seconds=30,
            intensity=3,
            triggers=["caffeine", "poor_sleep"],
            notes="Only on the first one",
        )
        response = signed_in.post(reverse("twitch_again"), follow=True)
        copy = TwitchEntry.objects.exclude(pk=last.pk).get(location="calf")
        assert copy.occurred_at == NOW
        assert (copy.side, copy.duration_seconds, copy.intensity) == ("right", 30, 3)
        assert copy.trigger_codes == ["caffeine", "poor_sleep"]
        assert copy.notes == ""
        assert messages_of(response) == ["Logged again: Right calf at 15:00 today."]
        assert f'action="{reverse("twitch_undo", args=[copy.pk])}"' in response.content.decode()

    def test_again_with_nothing_logged_goes_to_the_log_page(self, signed_in):
        response = signed_in.post(reverse("twitch_again"), follow=True)
        assert response.redirect_chain == [(reverse("log"), 302)]
        assert "There is no twitch to repeat yet" in messages_of(response)[0]
        assert not TwitchEntry.objects.exists()

    def test_again_only_accepts_a_post(self, signed_in, user):
        make_twitch(user, NOW)
        assert signed_in.get(reverse("twitch_again")).status_code == 405
        assert TwitchEntry.objects.count() == 1

    def test_undo_removes_the_twitch_just_logged(self, signed_in, user):
        signed_in.post(reverse("log"), twitch_data(triggers=["stress"]))
        entry = TwitchEntry.objects.get(user=user)
        response = signed_in.post(reverse("twitch_undo", args=[entry.pk]), follow=True)
        assert not TwitchEntry.objects.exists()
        assert not TwitchTrigger.objects.exists()
        assert messages_of(response)[-1] == (
            "Undone: Left calf at 14:30 today is no longer in your journal."
        )
        assert "Added by mistake" not in response.content.decode()

    def test_undo_leaves_an_earlier_twitch_alone(self, signed_in, user):
        older = make_twitch(user, NOW - datetime.timedelta(hours=1))
        signed_in.post(reverse("log"), twitch_data())
        response = signed_in.post(reverse("twitch_undo", args=[older.pk]), follow=True)
        assert TwitchEntry.objects.count() == 2
        assert response.redirect_chain == [(reverse("journal"), 302)]
        assert "can no longer be undone here" in messages_of(response)[-1]

    def test_undo_expires_after_a_while(self, signed_in, user, time_machine):
        signed_in.post(reverse("log"), twitch_data())
        entry = TwitchEntry.objects.get(user=user)
        time_machine.move_to(NOW + UNDO_WINDOW + datetime.timedelta(seconds=1), tick=False)
        assert "Added by mistake" not in signed_in.get(reverse("home")).content.decode()
        signed_in.post(reverse("twitch_undo", args=[entry.pk]))
        assert TwitchEntry.objects.filter(pk=entry.pk).exists()

    def test_undo_applies_to_the_symptom_saved_after_a_twitch_and_names_it(self, signed_in, user):
        signed_in.post(reverse("log"), twitch_data(occurred_at="2025-03-01T14:30"))
        response = signed_in.post(
            reverse("symptom_new"),
            {"noted_on": "2025-03-01", "kind": "cramps", "severity": "1", "onset": "gradual"},
            follow=True,
        )
        symptom = SymptomEntry.objects.get(user=user)
        body = response.content.decode()
        assert f'action="{reverse("symptom_undo", args=[symptom.pk])}"' in body
        assert reverse("twitch_undo", args=[TwitchEntry.objects.get().pk]) not in body
        assert "Added by mistake? Cramps (mild) today. Undo" in text_of(body)
        response = signed_in.post(reverse("symptom_undo", args=[symptom.pk]), follow=True)
        assert not SymptomEntry.objects.exists()
        assert TwitchEntry.objects.count() == 1
        assert (
            messages_of(response)[-1] == "Undone: Cramps (mild) today is no longer in your journal."
        )

    def test_undo_applies_to_a_new_check_in(self, signed_in, user):
        response = signed_in.post(
            reverse("checkin"), {"day": "2025-03-01", "sleep_hours": "7"}, follow=True
        )
        body = response.content.decode()
        assert f'action="{reverse("checkin_undo", args=[TODAY])}"' in body
        assert "Added by mistake? The check-in for today. Undo" in text_of(body)
        signed_in.post(reverse("checkin_undo", args=[TODAY]))
        assert not DailyCheckIn.objects.exists()

    def test_a_backdated_twitch_is_the_one_undo_names_while_again_names_the_latest(
        self, signed_in, user
    ):
        latest = make_twitch(user, NOW - datetime.timedelta(hours=1), location="hand")
        signed_in.post(reverse("log"), twitch_data(occurred_at="2025-02-28T08:00", location="shin"))
        backdated = TwitchEntry.objects.get(location="shin")
        text = text_of(signed_in.get(reverse("home")).content.decode())
        assert "Added by mistake? Left shin at 08:00 yesterday." in text
        assert "Again Left hand, 14:00" in text
        body = signed_in.get(reverse("home")).content.decode()
        assert f'name="twitch" value="{latest.pk}"' in body
        assert "Logs Left hand at 14:00 today once more, now." in text_of(body)
        signed_in.post(reverse("twitch_undo", args=[backdated.pk]))
        assert list(TwitchEntry.objects.values_list("location", flat=True)) == ["hand"]

    def test_again_repeats_the_twitch_its_button_named(self, signed_in, user):
        named = make_twitch(user, NOW - datetime.timedelta(hours=1), location="hand")
        # Logged elsewhere (another device, the API) after the page was drawn.
        make_twitch(user, NOW - datetime.timedelta(minutes=5), location="shin")
        response = signed_in.post(reverse("twitch_again"), {"twitch": named.pk}, follow=True)
        assert messages_of(response) == ["Logged again: Left hand at 15:00 today."]
        assert TwitchEntry.objects.filter(location="hand").count() == 2

    def test_again_never_repeats_another_persons_twitch(self, signed_in, user, other_user):
        theirs = make_twitch(other_user, NOW, location="hand")
        make_twitch(user, NOW - datetime.timedelta(hours=1), location="shin")
        signed_in.post(reverse("twitch_again"), {"twitch": theirs.pk})
        assert TwitchEntry.objects.filter(user=user, location="shin").count() == 2
        assert TwitchEntry.objects.filter(location="hand").count() == 1

    def test_changing_another_entry_withdraws_undo_and_changing_the_new_one_renames_it(
        self, signed_in, user
    ):
        older = make_symptom(user, TODAY, kind="cramps")
        signed_in.post(reverse("log"), twitch_data(occurred_at="2025-03-01T14:30"))
        new = TwitchEntry.objects.get()
        signed_in.post(
            reverse("twitch_edit", args=[new.pk]),
            twitch_data(occurred_at="2025-03-01T09:10", location="shin"),
        )
        assert "Added by mistake? Left shin at 09:10 today." in text_of(
            signed_in.get(reverse("home")).content.decode()
        )
        signed_in.post(
            reverse("symptom_edit", args=[older.pk]),
            {"noted_on": "2025-03-01", "kind": "cramps", "severity": "2", "onset": "gradual"},
        )
        assert "Added by mistake" not in signed_in.get(reverse("home")).content.decode()
        signed_in.post(reverse("twitch_undo", args=[new.pk]))
        assert TwitchEntry.objects.filter(pk=new.pk).exists()

    def test_deleting_the_entry_just_added_takes_undo_away(self, signed_in, user):
        signed_in.post(reverse("log"), twitch_data())
        signed_in.post(reverse("twitch_delete", args=[TwitchEntry.objects.get().pk]))
        assert "Added by mistake" not in signed_in.get(reverse("home")).content.decode()

    def test_the_journals_again_names_the_twitch_it_repeats(self, signed_in, user):
        make_twitch(user, NOW - datetime.timedelta(days=1, hours=2), location="hand")
        text = text_of(signed_in.get(reverse("journal")).content.decode())
        assert "Again Left hand, yesterday" in text


class TestEditAndDeleteTwitch:
    def test_edit_form_shows_the_entry_in_local_time(self, client, make_user):
        user = make_user(email="priya@example.com", time_zone="Asia/Kolkata")
        client.force_login(user)
        entry = make_twitch(
            user,
            at("Asia/Kolkata", 2025, 2, 27, 22, 10),
            duration_seconds=45,
            triggers=["alcohol"],
        )
        body = client.get(reverse("twitch_edit", args=[entry.pk])).content.decode()
        assert 'value="2025-02-27T22:10"' in body
        assert 'name="duration_typed" value="45"' in body
        assert re.search(r'name="triggers" value="alcohol"[^>]*checked', body)
        assert not re.search(r'name="duration_preset" value="[^"]*"[^>]*checked', body)

    def test_saving_changes_replaces_the_triggers_and_returns_to_the_journal_page(
        self, signed_in, user
    ):
        entry = make_twitch(user, NOW, triggers=["alcohol", "cold"])
        next_url = reverse("journal") + "?kind=twitch&page=2"
        response = signed_in.post(
            reverse("twitch_edit", args=[entry.pk]),
            twitch_data(
                occurred_at="2025-03-01T09:15",
                location="forearm",
                side="right",
                triggers=["cold", "stress"],
                next=next_url,
            ),
        )
        assert response["Location"] == next_url
        entry.refresh_from_db()
        assert (entry.location, entry.side) == ("forearm", "right")
        assert entry.occurred_at == datetime.datetime(2025, 3, 1, 9, 15, tzinfo=UTC)
        assert entry.trigger_codes == ["stress", "cold"]

    def test_a_next_address_on_another_site_is_ignored(self, signed_in, user):
        entry = make_twitch(user, NOW)
        response = signed_in.post(
            reverse("twitch_edit", args=[entry.pk]),
            twitch_data(next="https://elsewhere.example/"),
        )
        assert response["Location"] == reverse("journal")

    def test_delete_asks_first_and_deletes_only_when_confirmed(self, signed_in, user):
        entry = make_twitch(user, NOW - datetime.timedelta(minutes=30), triggers=["cold"])
        page = signed_in.get(reverse("twitch_delete", args=[entry.pk])).content.decode()
        assert "Delete this twitch?" in page
        assert "Left calf" in page
        assert "This cannot be undone." in page
        assert TwitchEntry.objects.filter(pk=entry.pk).exists()

        response = signed_in.post(reverse("twitch_delete", args=[entry.pk]), follow=True)
        assert not TwitchEntry.objects.exists()
        assert not TwitchTrigger.objects.exists()
        assert response.redirect_chain == [(reverse("journal"), 302)]
        assert messages_of(response) == ["Deleted Left calf at 14:30 today."]


class TestSymptoms:
    def test_the_form_explains_each_kind_in_plain_words(self, signed_in):
        body = text_of(signed_in.get(reverse("symptom_new")).content.decode())
        for kind, help_text in vocabulary.SYMPTOM_HELP.items():
            assert text_of(help_text) in body, kind
        weakness = vocabulary.SYMPTOM_HELP["weakness"]
        for example in ("gripping", "buttons", "stairs", "getting up from a chair"):
            assert example in weakness
        assert "Heavy or tired limbs" in body

    def test_a_symptom_is_saved_with_todays_date_by_default(self, signed_in, user):
        body = signed_in.get(reverse("symptom_new")).content.decode()
        assert 'name="noted_on" value="2025-03-01"' in body
        response = signed_in.post(
            reverse("symptom_new"),
            {
                "noted_on": "2025-02-27",
                "kind": "heaviness",
                "severity": "1",
                "onset": "gradual",
                "location": "thigh_front",
                "side": "both",
                "notes": "",
            },
            follow=True,
        )
        symptom = SymptomEntry.objects.get(user=user)
        assert (symptom.kind, symptom.noted_on) == ("heaviness", datetime.date(2025, 2, 27))
        assert messages_of(response) == [
            "Noted: Heavy or tired limbs (mild) on Thursday 27 February."
        ]

    def test_a_symptom_can_be_changed_and_deleted(self, signed_in, user):
        symptom = make_symptom(user, TODAY, kind="cramps", location="calf", side="left")
        signed_in.post(
            reverse("symptom_edit", args=[symptom.pk]),
            {"noted_on": "2025-03-01", "kind": "cramps", "severity": "3", "onset": "sudden"},
        )
        symptom.refresh_from_db()
        assert (symptom.severity, symptom.onset, symptom.location) == (3, "sudden", "")
        page = signed_in.get(reverse("symptom_delete", args=[symptom.pk])).content.decode()
        assert "Delete this symptom?" in page
        signed_in.post(reverse("symptom_delete", args=[symptom.pk]))
        assert not SymptomEntry.objects.exists()


class TestCheckIns:
    def data(self, **overrides):
        return {"day": "2025-03-01", "coffee_cups": "3", "sleep_hours": "7", **overrides}

    def test_cups_of_coffee_are_stored_as_mg_and_the_mg_is_confirmed(self, signed_in, user):
        body = signed_in.get(reverse("checkin")).content.decode()
        assert "About 95 mg a cup." in body
        assert "About 47 mg a cup." in body
        assert "About 80 mg a 250 ml can." in body
        assert '"coffee": 95' in body  # the per-serving values, for the live total
        response = signed_in.post(reverse("checkin"), self.data(), follow=True)
        checkin = DailyCheckIn.objects.get(user=user)
        assert checkin.caffeine_mg == 285
        assert response.redirect_chain == [(reverse("home"), 302)]
        assert messages_of(response) == ["Check-in saved for today: 285 mg caffeine, 7 h sleep."]
        assert "Today's check-in is done." in text_of(response.content.decode())

    def test_cups_cans_and_mg_add_up(self, signed_in, user):
        signed_in.post(
            reverse("checkin"),
            self.data(coffee_cups="1.5", tea_cups="2", energy_drinks="1", other_caffeine_mg="30"),
        )
        assert (
            DailyCheckIn.objects.get(user=user).caffeine_mg == 347
        )  # 142.5 + 94 + 80 + 30, half up

    def test_no_caffeine_answer_is_stored_as_unknown(self, signed_in, user):
        signed_in.post(reverse("checkin"), self.data(coffee_cups=""))
        assert DailyCheckIn.objects.get(user=user).caffeine_mg is None

    def test_todays_check_in_page_opens_the_existing_one(self, signed_in, user):
        make_checkin(user, TODAY, other_caffeine_mg=285)
        response = signed_in.get(reverse("checkin"))
        assert response["Location"] == reverse("checkin_day", args=[TODAY])
        body = signed_in.get(response["Location"]).content.decode()
        assert 'name="other_caffeine_mg" value="285"' in body

    def test_editing_a_check_in_shows_the_cups_back_as_entered(self, signed_in, user):
        signed_in.post(
            reverse("checkin"), self.data(coffee_cups="3", tea_cups="1", energy_drinks="0.5")
        )
        assert DailyCheckIn.objects.get(user=user).caffeine_mg == 372

        body = signed_in.get(reverse("checkin_day", args=[TODAY])).content.decode()

        assert 'name="coffee_cups" value="3"' in body
        assert 'name="tea_cups" value="1"' in body
        assert 'name="energy_drinks" value="0.5"' in body
        assert re.search(r'<input type="number" name="other_caffeine_mg"(?![^>]*value=)', body)
        assert 'name="sleep_hours" value="7"' in body

    def test_changing_one_cup_works_the_total_out_again_from_what_is_shown(self, signed_in, user):
        signed_in.post(reverse("checkin"), self.data(coffee_cups="3", tea_cups="1"))
        signed_in.post(
            reverse("checkin_day", args=[TODAY]),
            self.data(coffee_cups="3", tea_cups="2", other_caffeine_mg="40"),
        )
        checkin = DailyCheckIn.objects.get(user=user)
        assert (checkin.coffee_cups, checkin.tea_cups, checkin.other_caffeine_mg) == (
            Decimal("3.0"),
            Decimal("2.0"),
            40,
        )
        assert checkin.caffeine_mg == 419  # 285 + 94 + 40
        signed_in.post(reverse("checkin_day", args=[TODAY]), self.data(coffee_cups=""))
        checkin.refresh_from_db()
        assert (checkin.coffee_cups, checkin.tea_cups, checkin.caffeine_mg) == (None, None, None)

    def test_a_past_day_can_be_filled_in_from_the_journal(self, signed_in, user):
        body = signed_in.get(reverse("checkin") + "?day=2025-02-20").content.decode()
        assert 'name="day" value="2025-02-20"' in body
        signed_in.post(reverse("checkin"), self.data(day="2025-02-20"))
        assert DailyCheckIn.objects.get(user=user).day == datetime.date(2025, 2, 20)

    def test_a_day_without_a_check_in_has_no_edit_page(self, signed_in):
        assert signed_in.get(reverse("checkin_day", args=["2025-02-20"])).status_code == 404
        assert signed_in.get("/checkin/2025-02-30/").status_code == 404

    def test_a_check_in_can_be_deleted_after_confirming(self, signed_in, user):
        make_checkin(user, TODAY, stress=3)
        page = signed_in.get(reverse("checkin_delete", args=[TODAY])).content.decode()
        assert "Delete this check-in?" in page
        assert "stress 3 of 5" in page
        signed_in.post(reverse("checkin_delete", args=[TODAY]))
        assert not DailyCheckIn.objects.exists()


class TestJournalPage:
    def test_entries_are_grouped_by_local_day_newest_first_all_kinds_together(
        self, signed_in, user
    ):
        make_twitch(user, at("UTC", 2025, 2, 27, 8, 5), location="calf", side="left")
        late = make_twitch(
            user, at("UTC", 2025, 3, 1, 14, 40), location="eyelid", side="right", triggers=["cold"]
        )
        early = make_twitch(user, at("UTC", 2025, 3, 1, 7, 15), location="calf", side="both")
        symptom = make_symptom(user, TODAY, kind="weakness", severity=2, location="hand")
        checkin = make_checkin(user, TODAY, other_caffeine_mg=190, stress=4)
        body = signed_in.get(reverse("journal")).content.decode()
        assert journal_days(body) == ["2025-03-01", "2025-02-27"]
        today = day_section(body, "2025-03-01")
        order = [
            today.index(f'id="checkin-{checkin.pk}"'),
            today.index(f'id="symptom-{symptom.pk}"'),
            today.index(f'id="twitch-{late.pk}"'),
            today.index(f'id="twitch-{early.pk}"'),
        ]
        assert order == sorted(order)
        text = text_of(today)
        assert "Saturday 1 March 2025 2 twitches" in text
        assert "14:40 Right eyelid" in text
        assert "Feeling cold" in text
        assert "Weakness Moderate · came on gradually · Hand" in text
        assert "190 mg caffeine · stress 4 of 5" in text
        assert f"{reverse('twitch_edit', args=[late.pk])}?next=/journal/" in today
        assert f"{reverse('checkin_delete', args=[TODAY])}?next=/journal/" in today

    def test_a_day_without_a_check_in_offers_to_add_one(self, signed_in, user):
        make_twitch(user, at("UTC", 2025, 2, 27, 8, 5))
        body = signed_in.get(reverse("journal")).content.decode()
        assert f'href="{reverse("checkin")}?day=2025-02-27">add a check-in</a>' in body

    def test_filter_by_dates(self, signed_in, user):
        for day in (20, 22, 24, 26):
            make_twitch(user, at("UTC", 2025, 2, day, 12, 0))
        body = signed_in.get(
            reverse("journal"), {"date_from": "2025-02-21", "date_to": "2025-02-25"}
        ).content.decode()
        assert journal_days(body) == ["2025-02-24", "2025-02-22"]

    def test_filter_by_region_includes_all_over_and_leaves_out_check_ins(self, signed_in, user):
        calf = make_twitch(user, at("UTC", 2025, 3, 1, 9, 0), location="calf")
        everywhere = make_twitch(user, at("UTC", 2025, 3, 1, 10, 0), location="all_over")
        arm = make_twitch(user, at("UTC", 2025, 3, 1, 11, 0), location="forearm")
        cramp = make_symptom(user, TODAY, kind="cramps", location="foot")
        make_checkin(user, TODAY)
        body = signed_in.get(reverse("journal"), {"place": "region:leg"}).content.decode()
        assert f'id="twitch-{calf.pk}"' in body
        assert f'id="twitch-{everywhere.pk}"' in body
        assert f'id="symptom-{cramp.pk}"' in body
        assert f'id="twitch-{arm.pk}"' not in body
        assert 'id="checkin-' not in body
        assert "add a check-in" not in body  # check-ins are filtered out, not missing

    def test_filter_by_one_place(self, signed_in, user):
        calf = make_twitch(user, at("UTC", 2025, 3, 1, 9, 0), location="calf")
        make_twitch(user, at("UTC", 2025, 3, 1, 10, 0), location="thigh_back")
        body = signed_in.get(reverse("journal"), {"place": "calf"}).content.decode()
        assert re.findall(r'id="twitch-(\d+)"', body) == [str(calf.pk)]

    def test_filter_by_kind(self, signed_in, user):
        make_twitch(user, at("UTC", 2025, 3, 1, 9, 0))
        symptom = make_symptom(user, datetime.date(2025, 2, 25))
        body = signed_in.get(reverse("journal"), {"kind": "symptom"}).content.decode()
        assert journal_days(body) == ["2025-02-25"]
        assert f'id="symptom-{symptom.pk}"' in body

    def test_a_bad_filter_shows_its_error_and_the_rest_still_applies(self, signed_in, user):
        make_twitch(user, at("UTC", 2025, 3, 1, 9, 0))
        make_symptom(user, TODAY)
        response = signed_in.get(
            reverse("journal"),
            {"date_from": "2025-03-02", "date_to": "2025-02-01", "kind": "twitch"},
        )
        body = response.content.decode()
        assert "The end date is before the start date." in body
        assert 'value="2025-02-01"' in body
        assert 'id="twitch-' not in body  # the valid start date still applies
        assert "Nothing in your journal matches these filters." in body

    def test_the_filter_fields_are_rendered_once_for_each_set_of_filters(self, signed_in, user):
        def filter_form(body):
            return re.search(r'<form method="get".*?</form>', body, re.S).group()

        make_twitch(user, at("UTC", 2025, 3, 1, 9, 0))
        _filter_fields.cache_clear()
        plain = signed_in.get(reverse("journal")).content.decode()
        bad = signed_in.get(reverse("journal"), {"place": "nowhere"}).content.decode()
        again = signed_in.get(reverse("journal"), {"page": "1"}).content.decode()

        # Paging asks for no filters: the second plain page reuses the first's fields.
        info = _filter_fields.cache_info()
        assert (info.misses, info.hits) == (2, 1)
        assert filter_form(again) == filter_form(plain)
        assert "Choose a place or an area from the list." in bad
        assert "Choose a place or an area from the list." not in again
        assert 'name="place" class="select form-select" id="id_place"' in again

    def test_dates_at_the_edge_of_the_calendar_are_refused_not_a_crash(self, signed_in, user):
        make_twitch(user, at("UTC", 2025, 3, 1, 9, 0))
        response = signed_in.get(
            reverse("journal"), {"date_from": "0001-01-01", "date_to": "9999-12-31"}
        )
        body = response.content.decode()
        assert response.status_code == 200
        assert body.count("Choose a date between 1900 and 2999.") == 2
        assert journal_days(body) == ["2025-03-01"]

    def test_pages_hold_whole_days_and_keep_the_filters(self, signed_in, user):
        for offset in range(9):
            day = TODAY - datetime.timedelta(days=offset)
            make_twitch(user, at("UTC", day.year, day.month, day.day, 8, 0))
            make_twitch(user, at("UTC", day.year, day.month, day.day, 20, 0))
        first = signed_in.get(reverse("journal"), {"kind": "twitch"}).content.decode()
        assert len(journal_days(first)) == 7
        assert "Page 1 of 2" in first
        assert 'href="?kind=twitch&amp;page=2"' in first
        second = signed_in.get(reverse("journal"), {"kind": "twitch", "page": "2"}).content
        assert journal_days(second.decode()) == ["2025-02-22", "2025-02-21"]
        assert day_section(second.decode(), "2025-02-21").count('class="entry ') == 2

    def test_each_entry_opens_its_edit_page_where_it_can_be_deleted(self, signed_in, user):
        twitch = make_twitch(user, NOW - datetime.timedelta(hours=1))
        symptom = make_symptom(user, TODAY)
        body = signed_in.get(reverse("journal")).content.decode()
        back = "?next=/journal/"
        for edit in (
            reverse("twitch_edit", args=[twitch.pk]),
            reverse("symptom_edit", args=[symptom.pk]),
        ):
            assert f'<a class="entry-link" href="{edit}{back}"' in body
        for edit, delete, words in (
            ("twitch_edit", "twitch_delete", "Delete this twitch"),
            ("symptom_edit", "symptom_delete", "Delete this symptom"),
        ):
            pk = twitch.pk if edit.startswith("twitch") else symptom.pk
            page = signed_in.get(reverse(edit, args=[pk]) + back).content.decode()
            link = f'href="{reverse(delete, args=[pk])}?next=/journal/"'
            assert re.search(rf"{re.escape(link)}>{words}</a>", page), words

    def test_an_empty_journal_explains_how_to_start(self, signed_in):
        body = signed_in.get(reverse("journal")).content.decode()
        assert "Your journal is empty for now" in body
        assert f'href="{reverse("log")}"' in body

    def test_query_count_does_not_grow_with_the_entries_shown(
        self, signed_in, user, django_assert_num_queries
    ):
        def add_day(offset):
            day = TODAY - datetime.timedelta(days=offset)
            for hour in (8, 13, 21):
                make_twitch(
                    user, at("UTC", day.year, day.month, day.day, hour), triggers=["stress"]
                )
            make_symptom(user, day)
            make_checkin(user, day)

        add_day(0)
        # Session, user, profile (time zone); the matching days of twitches, symptoms
        # and check-ins; then the page's twitches, their triggers, symptoms, check-ins;
        # and the latest twitch, which "Again" names.
        with django_assert_num_queries(11):
            few = signed_in.get(reverse("journal")).content.decode()
        for offset in range(1, 7):
            add_day(offset)
        with django_assert_num_queries(11):
            many = signed_in.get(reverse("journal")).content.decode()
        assert few.count('class="entry ') == 5
        assert many.count('class="entry ') == 35

    def test_an_empty_journal_asks_the_same_queries_as_a_full_one(
        self, signed_in, django_assert_num_queries
    ):
        # Session, user, profile; the matching days of each kind; then today's
        # twitches, their triggers, symptoms and check-ins, which are none; and the
        # latest twitch, for "Again" (none).
        with django_assert_num_queries(11):
            body = signed_in.get(reverse("journal")).content.decode()
        assert "Your journal is empty for now" in body

    def test_a_busy_week_is_paged_by_whole_days_of_at_most_fifty_entries(self, signed_in, user):
        # Twenty twitches a day: two days make forty entries, a third would make sixty.
        TwitchEntry.objects.bulk_create(
            TwitchEntry(
                user=user,
                occurred_at=NOW - datetime.timedelta(days=offset, minutes=20 * n + 1),
                location="calf",
            )
            for offset in range(5)
            for n in range(20)
        )
        first = signed_in.get(reverse("journal")).content.decode()
        assert journal_days(first) == ["2025-03-01", "2025-02-28"]
        assert first.count('class="entry ') == 40
        assert "Page 1 of 3" in first
        last = signed_in.get(reverse("journal"), {"page": "3"}).content.decode()
        assert journal_days(last) == ["2025-02-25"]
        assert day_section(last, "2025-02-25").count('class="entry ') == 20

    def test_a_day_busier_than_a_page_still_comes_whole(self, signed_in, user):
        TwitchEntry.objects.bulk_create(
            TwitchEntry(
                user=user, occurred_at=NOW - datetime.timedelta(minutes=n + 1), location="calf"
            )
            for n in range(60)
        )
        make_twitch(user, NOW - datetime.timedelta(days=1))
        body = signed_in.get(reverse("journal")).content.decode()
        assert journal_days(body) == ["2025-03-01"]
        assert day_section(body, "2025-03-01").count('class="entry ') == 60
        assert "Page 1 of 2" in body


class TestTimeZones:
    """A twitch belongs to the person's local day everywhere, daylight saving included."""

    def test_new_york_2330_on_the_night_dst_ends_stays_on_that_day(
        self, client, make_user, time_machine
    ):
        # 2 November 2025: clocks in New York go back at 02:00; 23:30 EST is 04:30 UTC
        # on 3 November.
        time_machine.move_to(datetime.datetime(2025, 11, 3, 4, 45, tzinfo=UTC), tick=False)
        client.force_login(make_user(email="nia@example.com", time_zone="America/New_York"))
        client.post(reverse("log"), twitch_data(occurred_at="2025-11-02T23:30"))
        entry = TwitchEntry.objects.get()
        assert entry.occurred_at == datetime.datetime(2025, 11, 3, 4, 30, tzinfo=UTC)

        body = client.get(reverse("journal")).content.decode()
        assert journal_days(body) == ["2025-11-02"]
        assert "Sunday 2 November 2025" in text_of(day_section(body, "2025-11-02"))
        assert "23:30 Left calf" in text_of(day_section(body, "2025-11-02"))
        filtered = client.get(
            reverse("journal"), {"date_from": "2025-11-02", "date_to": "2025-11-02"}
        ).content.decode()
        assert f'id="twitch-{entry.pk}"' in filtered
        home = text_of(client.get(reverse("home")).content.decode())
        assert "Sunday 2 November" in home
        assert "1 twitch logged today" in home

    def test_kolkata_late_evening_and_just_after_midnight_fall_on_their_local_days(
        self, client, make_user, time_machine
    ):
        # 01:00 on 3 November in Kolkata is 19:30 UTC on 2 November.
        time_machine.move_to(datetime.datetime(2025, 11, 2, 19, 30, tzinfo=UTC), tick=False)
        client.force_login(make_user(email="priya@example.com", time_zone="Asia/Kolkata"))
        client.post(reverse("log"), twitch_data(occurred_at="2025-11-02T23:30"))
        client.post(reverse("log"), twitch_data(occurred_at="2025-11-03T00:30", side="right"))
        evening, night = TwitchEntry.objects.order_by("occurred_at")
        assert evening.occurred_at == datetime.datetime(2025, 11, 2, 18, 0, tzinfo=UTC)
        assert night.occurred_at == datetime.datetime(2025, 11, 2, 19, 0, tzinfo=UTC)

        body = client.get(reverse("journal")).content.decode()
        assert journal_days(body) == ["2025-11-03", "2025-11-02"]
        assert f'id="twitch-{night.pk}"' in day_section(body, "2025-11-03")
        assert "00:30 Right calf" in text_of(day_section(body, "2025-11-03"))
        assert f'id="twitch-{evening.pk}"' in day_section(body, "2025-11-02")
        assert "23:30 Left calf" in text_of(day_section(body, "2025-11-02"))
        assert "1 twitch logged today" in text_of(client.get(reverse("home")).content.decode())


class TestHome:
    def test_home_shows_todays_count_checkin_state_actions_and_latest_entries(
        self, signed_in, user
    ):
        make_twitch(user, NOW - datetime.timedelta(days=1), location="shin")
        make_twitch(user, NOW - datetime.timedelta(hours=1), location="calf", duration_seconds=3)
        make_twitch(user, NOW - datetime.timedelta(hours=2), location="calf", side="right")
        make_symptom(user, TODAY, kind="cramps")
        body = signed_in.get(reverse("home")).content.decode()
        text = text_of(body)
        assert "2 twitches logged today" in text
        assert "Today's check-in is not done yet." in text
        assert f'href="{reverse("checkin")}"' in body
        assert "Again Left calf, 14:00" in text
        for name in ("log", "symptom_new", "journal"):
            assert f'href="{reverse(name)}"' in body
        assert body.count('class="entry ') == 4

    def test_a_new_person_sees_how_to_start(self, signed_in):
        body = signed_in.get(reverse("home")).content.decode()
        assert "Nothing is logged yet." in body
        assert re.search(r"<button[^>]*disabled[^>]*>\s*Again", body)
        assert "0 twitches logged today" in text_of(body)

    def test_home_query_count_does_not_grow_with_the_journal(self, signed_in, user):
        make_twitch(user, NOW)

        def count():
            with CaptureQueriesContext(connection) as queries:
                signed_in.get(reverse("home"))
            return len(queries)

        before = count()
        for hours in range(1, 30):
            make_twitch(user, NOW - datetime.timedelta(hours=hours), triggers=["cold"])
            make_symptom(user, TODAY - datetime.timedelta(days=hours))
        assert count() == before


def test_the_nav_bar_links_to_log_and_journal(signed_in):
    body = signed_in.get(reverse("home")).content.decode()
    nav = re.search(r'<ul class="navbar-nav.*?</ul>', body, re.DOTALL).group(0)
    assert f'href="{reverse("log")}">Log</a>' in nav
    assert f'href="{reverse("journal")}">Journal</a>' in nav


def test_admin_lists_every_journal_model_by_person_and_date():
    for model, date_field in (
        (TwitchEntry, "occurred_at"),
        (SymptomEntry, "noted_on"),
        (DailyCheckIn, "day"),
    ):
        model_admin = admin.site._registry[model]
        assert model_admin.list_display[:2] == ("user", date_field)
        assert model_admin.date_hierarchy == date_field


def test_a_new_twitch_and_its_triggers_save_in_a_fixed_number_of_queries(
    signed_in, user, django_assert_num_queries
):
    signed_in.post(reverse("log"), twitch_data())  # the day's first save works out the flags
    # Session, user, profile (3); two constraint checks and the insert with its triggers,
    # each in its savepoint (10): a new twitch has no triggers to remove or keep, which
    # took two more queries before; the triggers again, for the message (1); the
    # history's twitches, symptoms and the episode's earlier days (3); the kept flags
    # updated (1); the session, with the message and the offer to undo (3).
    with django_assert_num_queries(21):
        response = signed_in.post(reverse("log"), twitch_data(triggers=["stress", "caffeine"]))
    assert response.status_code == 302
    assert TwitchEntry.objects.filter(user=user).latest("id").trigger_codes == [
        "caffeine",
        "stress",
    ]
