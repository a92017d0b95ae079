"""A save happens once: every entry form carries a one-time key, and the same form sent
again (a double tap, a retried request, the back button) finds the entry the first one
saved and writes nothing."""

import datetime
import re
import threading

import pytest
from django.db import connections
from django.test import Client
from django.urls import reverse

from journal import once
from journal.models import DailyCheckIn, OneTimeKey, SymptomEntry, TwitchEntry
from tests.journal_support import (
    UTC,
    make_checkin,
    make_symptom,
    make_twitch,
    messages_of,
    twitch_data,
)

pytestmark = pytest.mark.django_db

NOW = datetime.datetime(2025, 3, 1, 15, 0, tzinfo=UTC)
KEY_INPUT = re.compile(r'<input type="hidden" name="one_time_key" value="([^"]+)">')


@pytest.fixture(autouse=True)
def _frozen_clock(time_machine):
    time_machine.move_to(NOW, tick=False)


def key_in(response) -> str:
    keys = KEY_INPUT.findall(response.content.decode())
    assert len(keys) == 1, keys
    return keys[0]


def symptom_data(**overrides):
    return {"noted_on": "2025-03-01", "kind": "cramps", "severity": "1", "onset": "gradual"} | (
        overrides
    )


def checkin_data(**overrides):
    return {"day": "2025-03-01", "coffee_cups": "2", "sleep_hours": "7"} | overrides


class TestEveryEntryFormCarriesAKey:
    def test_each_form_page_renders_a_new_key(self, signed_in, user):
        twitch = make_twitch(user, NOW)
        symptom = make_symptom(user, NOW.date())
        make_checkin(user, datetime.date(2025, 2, 28))
        pages = [
            reverse("log"),
            reverse("twitch_edit", args=[twitch.pk]),
            reverse("symptom_new"),
            reverse("symptom_edit", args=[symptom.pk]),
            reverse("checkin"),
            reverse("checkin_day", args=["2025-02-28"]),
            reverse("home"),  # the Again button
            reverse("journal"),  # its Again button
        ]
        keys = [key_in(signed_in.get(page)) for page in pages]
        assert all(once.is_key(key) for key in keys)
        assert len(set(keys)) == len(keys)
        assert key_in(signed_in.get(reverse("log"))) not in keys

    def test_a_form_back_with_a_problem_keeps_its_key_and_saves_with_it(self, signed_in, user):
        key = key_in(signed_in.get(reverse("log")))
        response = signed_in.post(reverse("log"), twitch_data(location="", one_time_key=key))
        assert response.status_code == 200
        assert key_in(response) == key
        signed_in.post(reverse("log"), twitch_data(one_time_key=key))
        assert TwitchEntry.objects.filter(user=user).count() == 1
        assert OneTimeKey.objects.get(user=user).entry_id == TwitchEntry.objects.get().pk


class TestSentTwice:
    def test_a_twitch_sent_twice_is_saved_once_and_the_second_answer_names_it(
        self, signed_in, user
    ):
        data = twitch_data(occurred_at="2025-03-01T14:55", one_time_key="k" * 24)
        first = signed_in.post(reverse("log"), data, follow=True)
        second = signed_in.post(reverse("log"), data, follow=True)
        assert TwitchEntry.objects.filter(user=user).count() == 1
        assert first.redirect_chain == second.redirect_chain == [(reverse("home"), 302)]
        assert messages_of(first) == ["Saved: Left calf at 14:55 today."]
        assert messages_of(second) == ["Sent twice, saved once: Left calf at 14:55 today."]

    def test_without_a_key_each_post_saves_as_before(self, signed_in, user):
        signed_in.post(reverse("log"), twitch_data())
        signed_in.post(reverse("log"), twitch_data())
        assert TwitchEntry.objects.filter(user=user).count() == 2
        assert not OneTimeKey.objects.exists()

    def test_a_form_changed_after_going_back_is_a_new_save(self, signed_in, user):
        key = "b" * 24
        signed_in.post(reverse("log"), twitch_data(location="calf", one_time_key=key))
        signed_in.post(reverse("log"), twitch_data(location="eyelid", one_time_key=key))
        places = TwitchEntry.objects.filter(user=user).values_list("location", flat=True)
        assert sorted(places) == ["calf", "eyelid"]

    def test_a_change_sent_twice_is_applied_once(self, signed_in, user):
        entry = make_twitch(user, NOW, intensity=1)
        url = reverse("twitch_edit", args=[entry.pk])
        data = twitch_data(occurred_at="2025-03-01T14:00", intensity="3", one_time_key="e" * 24)
        signed_in.post(url, data)
        # The person changes it again on another page; the old form, sent again from the
        # back button, does not undo that.
        TwitchEntry.objects.filter(pk=entry.pk).update(intensity=2)
        response = signed_in.post(url, data, follow=True)
        entry.refresh_from_db()
        assert entry.intensity == 2
        assert response.redirect_chain == [(reverse("journal"), 302)]
        assert messages_of(response)[-1] == "Sent twice, saved once: Left calf at 14:00 today."

    def test_a_symptom_and_its_change_each_save_once(self, signed_in, user):
        data = symptom_data(one_time_key="s" * 24)
        signed_in.post(reverse("symptom_new"), data)
        signed_in.post(reverse("symptom_new"), data)
        symptom = SymptomEntry.objects.get(user=user)
        url = reverse("symptom_edit", args=[symptom.pk])
        change = symptom_data(severity="3", one_time_key="t" * 24)
        signed_in.post(url, change)
        SymptomEntry.objects.filter(pk=symptom.pk).update(severity=2)
        signed_in.post(url, change)
        symptom.refresh_from_db()
        assert symptom.severity == 2
        assert OneTimeKey.objects.filter(user=user, kind="symptom").count() == 2

    def test_a_check_in_sent_twice_is_already_saved_not_a_second_for_the_day(self, signed_in, user):
        data = checkin_data(one_time_key="c" * 24)
        signed_in.post(reverse("checkin"), data)
        response = signed_in.post(reverse("checkin"), data, follow=True)
        assert DailyCheckIn.objects.filter(user=user).count() == 1
        assert response.redirect_chain == [(reverse("home"), 302)]
        assert messages_of(response)[-1] == "Sent twice, saved once: the check-in for today."

    def test_a_check_in_change_sent_twice_is_applied_once(self, signed_in, user):
        checkin = make_checkin(user, datetime.date(2025, 3, 1), stress=1)
        url = reverse("checkin_day", args=["2025-03-01"])
        data = checkin_data(stress="4", one_time_key="d" * 24)
        signed_in.post(url, data)
        DailyCheckIn.objects.filter(pk=checkin.pk).update(stress=2)
        signed_in.post(url, data)
        checkin.refresh_from_db()
        assert checkin.stress == 2

    def test_again_tapped_twice_logs_one_twitch(self, signed_in, user):
        make_twitch(user, NOW - datetime.timedelta(hours=1))
        key = key_in(signed_in.get(reverse("home")))
        signed_in.post(reverse("twitch_again"), {"one_time_key": key})
        response = signed_in.post(reverse("twitch_again"), {"one_time_key": key}, follow=True)
        assert TwitchEntry.objects.filter(user=user).count() == 2
        assert messages_of(response)[-1] == "Sent twice, saved once: Left calf at 15:00 today."
        # The page it lands on has a new key, so the next tap logs the next twitch.
        signed_in.post(reverse("twitch_again"), {"one_time_key": key_in(response)})
        assert TwitchEntry.objects.filter(user=user).count() == 3

    def test_a_key_whose_entry_was_deleted_writes_nothing(self, signed_in, user):
        data = twitch_data(one_time_key="x" * 24)
        signed_in.post(reverse("log"), data)
        TwitchEntry.objects.filter(user=user).delete()
        response = signed_in.post(reverse("log"), data, follow=True)
        assert not TwitchEntry.objects.exists()
        assert messages_of(response)[-1] == "That was saved before, and has since been deleted."

    def test_keys_are_each_persons_own(self, client, user, other_user):
        data = twitch_data(one_time_key="p" * 24)
        client.force_login(user)
        client.post(reverse("log"), data)
        client.force_login(other_user)
        client.post(reverse("log"), data)
        assert TwitchEntry.objects.filter(user=user).count() == 1
        assert TwitchEntry.objects.filter(user=other_user).count() == 1

    def test_a_malformed_key_is_ignored_not_an_error(self, signed_in, user):
        response = signed_in.post(reverse("log"), twitch_data(one_time_key="short"))
        assert response.status_code == 302
        assert TwitchEntry.objects.filter(user=user).count() == 1
        assert not OneTimeKey.objects.exists()


def run_at_once(count: int, action) -> list:
    """Run ``action()`` in ``count`` threads released together; their results."""
    barrier = threading.Barrier(count)
    results: list = [None] * count

    def run(n):
        try:
            barrier.wait()
            results[n] = action()
        except Exception as error:  # reported by the test, not lost in the thread
            results[n] = error
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(n,)) for n in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results


@pytest.mark.usefixtures("shared_database")
def test_two_posts_of_one_log_form_at_once_leave_one_row(user):
    signed_in = Client()
    signed_in.force_login(user)
    data = twitch_data(one_time_key=key_in(signed_in.get(reverse("log"))))

    def send():
        client = Client()
        client.cookies = signed_in.cookies
        return client.post(reverse("log"), data).status_code

    assert run_at_once(2, send) == [302, 302]
    assert TwitchEntry.objects.filter(user=user).count() == 1
    assert OneTimeKey.objects.filter(user=user).count() == 1


def test_a_form_sent_again_costs_a_fixed_few_queries(signed_in, user, django_assert_num_queries):
    data = twitch_data(one_time_key="q" * 24, triggers=["stress", "cold"])
    signed_in.post(reverse("log"), data)
    # Session, user, profile (time zone); the key; its entry and the entry's triggers (for
    # the message); the session saved with the message (savepoint, update, release).
    with django_assert_num_queries(9):
        response = signed_in.post(reverse("log"), data)
    assert response.status_code == 302
    assert TwitchEntry.objects.count() == 1
