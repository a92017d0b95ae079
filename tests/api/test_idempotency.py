"""The Idempotency-Key header: a POST sent again with its key writes nothing more and
answers as the first did, by the same per-person keys as the forms (journal.once)."""

import datetime
import json

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from api.idempotency import BAD_KEY, DELETED, OTHER_REQUEST
from api.tokens import create_token
from journal.models import DailyCheckIn, OneTimeKey, SymptomEntry, TwitchEntry
from tests.journal_support import make_twitch, twitch_data
from tests.test_save_once import run_at_once

pytestmark = pytest.mark.django_db

NOW = datetime.datetime(2025, 3, 10, 12, 0, tzinfo=datetime.UTC)
TWITCHES = reverse("api:twitch-list")
SYMPTOMS = reverse("api:symptom-list")
CHECKINS = reverse("api:checkin-list")
AGAIN = reverse("api:twitch-again")
KEY = "6f1c0f0e-8a57-4d2b-9f7e-2b8c4a1e9d30"


@pytest.fixture(autouse=True)
def _frozen_clock():
    with time_machine.travel(NOW, tick=False):
        yield


def with_key(key=KEY):
    return {"HTTP_IDEMPOTENCY_KEY": key}


@pytest.mark.parametrize(
    ("url", "data", "model"),
    [
        (TWITCHES, {"location": "calf", "triggers": ["stress"]}, TwitchEntry),
        (SYMPTOMS, {"kind": "cramps", "noted_on": "2025-03-10"}, SymptomEntry),
        (CHECKINS, {"day": "2025-03-10", "coffee_cups": 2}, DailyCheckIn),
    ],
)
def test_a_post_sent_twice_with_its_key_saves_once_and_answers_the_same(
    api, user, url, data, model
):
    first = api.post(url, data, **with_key())
    second = api.post(url, data, **with_key())
    assert (first.status_code, second.status_code) == (201, 201)
    assert second.json() == first.json()
    assert second["Idempotent-Replayed"] == "true"
    assert not first.has_header("Idempotent-Replayed")
    assert model.objects.filter(user=user).count() == 1
    assert OneTimeKey.objects.get(user=user).entry_id == first.json()["id"]


def test_without_a_key_each_post_saves(api, user):
    api.post(TWITCHES, {"location": "calf"})
    api.post(TWITCHES, {"location": "calf"})
    assert TwitchEntry.objects.filter(user=user).count() == 2


def test_again_sent_twice_with_its_key_logs_one_twitch(api, user):
    make_twitch(user, NOW - datetime.timedelta(hours=1))
    first = api.post(AGAIN, **with_key())
    second = api.post(AGAIN, **with_key())
    assert second.status_code == 201
    assert second.json() == first.json()
    assert TwitchEntry.objects.filter(user=user).count() == 2


def test_the_key_sent_with_another_body_or_address_is_refused(api, user):
    api.post(TWITCHES, {"location": "calf"}, **with_key())
    for url, data in ((TWITCHES, {"location": "eyelid"}), (SYMPTOMS, {"kind": "cramps"})):
        response = api.post(url, data, **with_key())
        assert response.status_code == 409
        assert response.json() == {"detail": OTHER_REQUEST}
    assert TwitchEntry.objects.count() == 1
    assert not SymptomEntry.objects.exists()


def test_the_same_body_in_another_key_order_is_the_same_request(api, user):
    api.post(TWITCHES, {"location": "calf", "side": "left"}, **with_key())
    response = api.post(TWITCHES, {"side": "left", "location": "calf"}, **with_key())
    assert response.status_code == 201
    assert TwitchEntry.objects.count() == 1


def test_a_key_whose_entry_was_deleted_is_refused(api, user):
    entry_id = api.post(TWITCHES, {"location": "calf"}, **with_key()).json()["id"]
    assert api.delete(reverse("api:twitch-detail", kwargs={"pk": entry_id})).status_code == 204
    response = api.post(TWITCHES, {"location": "calf"}, **with_key())
    assert (response.status_code, response.json()) == (409, {"detail": DELETED})
    assert not TwitchEntry.objects.exists()


@pytest.mark.parametrize("key", ["short", "x" * 101, "with space in it", "caf\u00e9-caf\u00e9-1"])
def test_a_key_that_is_not_one_is_a_400_naming_the_header(api, key):
    response = api.post(TWITCHES, {"location": "calf"}, **with_key(key))
    assert response.status_code == 400
    assert response.json()["errors"] == {"Idempotency-Key": [BAD_KEY]}
    assert not TwitchEntry.objects.exists()


def test_a_refused_entry_does_not_use_up_its_key(api, user):
    bad = api.post(TWITCHES, {"location": "nowhere"}, **with_key())
    assert bad.status_code == 400
    good = api.post(TWITCHES, {"location": "nowhere"}, **with_key())
    assert good.status_code == 400
    assert not OneTimeKey.objects.exists()


def test_keys_are_each_persons_own(make_api, user, other_user):
    make_api(user).post(TWITCHES, {"location": "calf"}, **with_key())
    response = make_api(other_user).post(TWITCHES, {"location": "calf"}, **with_key())
    assert response.status_code == 201
    assert not response.has_header("Idempotent-Replayed")
    assert TwitchEntry.objects.filter(user=other_user).count() == 1


def test_a_form_key_and_an_api_key_never_meet(api, signed_in, user):
    """The same text as a form's key and as a header are two different keys."""
    response = signed_in.post(
        reverse("log"), twitch_data(occurred_at="2025-03-10T11:00", one_time_key=KEY)
    )
    assert response.status_code == 302
    response = api.post(TWITCHES, {"location": "calf"}, **with_key())
    assert response.status_code == 201
    assert TwitchEntry.objects.filter(user=user).count() == 2


@pytest.mark.usefixtures("shared_database")
def test_two_posts_with_one_key_at_once_leave_one_row(user):
    _, token = create_token(user, "Phone", "read+write")
    body = json.dumps({"location": "calf"})

    def send():
        response = Client().post(
            TWITCHES,
            body,
            content_type="application/json",
            HTTP_AUTHORIZATION=f"Bearer {token}",
            **with_key(),
        )
        return response.status_code, response.json()["id"]

    results = run_at_once(2, send)
    assert [status for status, _ in results] == [201, 201]
    assert results[0][1] == results[1][1]
    assert TwitchEntry.objects.filter(user=user).count() == 1
