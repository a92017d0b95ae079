"""Who may use the API and how much: Bearer tokens and their scopes, revocation and
expiry, the browser's session with CSRF, rate limits and the size of a request."""

import datetime
import json

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from api.models import ApiToken
from api.permissions import TokenScope
from journal.models import DailyCheckIn, SymptomEntry, TwitchEntry
from tests.journal_support import make_checkin, make_symptom, make_twitch

pytestmark = pytest.mark.django_db

NOW = datetime.datetime(2025, 3, 10, 12, 0, tzinfo=datetime.UTC)
TWITCHES = reverse("api:twitch-list")


@pytest.fixture(autouse=True)
def _frozen_clock():
    with time_machine.travel(NOW, tick=False):
        yield


def rows():
    return [
        list(model.objects.order_by("pk").values())
        for model in (TwitchEntry, SymptomEntry, DailyCheckIn)
    ]


def test_a_request_without_a_token_is_a_401_naming_the_scheme(make_api):
    response = make_api().get(TWITCHES)
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == 'Bearer realm="api"'
    assert response.json() == {"detail": "Authentication credentials were not provided."}


@pytest.mark.parametrize(
    "header",
    ["Bearer", "Bearer two words", "Bearer tl_00000000_" + "a" * 43, "Bearer caf\u00e9"],
)
def test_a_malformed_or_unknown_token_is_a_calm_401(client, user, header):
    response = client.get(TWITCHES, HTTP_AUTHORIZATION=header.encode().decode("latin-1"))
    assert response.status_code == 401
    assert "detail" in response.json()


def test_revoking_a_token_in_settings_refuses_it_on_the_very_next_request(client, user, api):
    assert api.get(TWITCHES).status_code == 200
    token = ApiToken.objects.get(user=user)

    client.force_login(user)
    client.post(reverse("token_revoke", kwargs={"pk": token.pk}))
    client.logout()

    response = api.get(TWITCHES)
    assert response.status_code == 401
    assert "revoked" in response.json()["detail"]


def test_an_expired_token_is_refused(make_api, user):
    api = make_api(user, expires_at=NOW + datetime.timedelta(days=30))
    assert api.get(TWITCHES).status_code == 200
    with time_machine.travel(NOW + datetime.timedelta(days=30), tick=False):
        assert api.get(TWITCHES).status_code == 401


@pytest.fixture
def owned(user):
    return {
        "twitch": make_twitch(user, NOW, notes="own"),
        "symptom": make_symptom(user, NOW.date()),
        "checkin": make_checkin(user, NOW.date()),
    }


def write_calls(owned):
    """Every request that would change the journal, one per address and method."""
    twitch, symptom = owned["twitch"].pk, owned["symptom"].pk
    day = owned["checkin"].day
    return [
        ("post", reverse("api:twitch-list"), {"location": "calf"}),
        ("post", reverse("api:twitch-again"), None),
        ("patch", reverse("api:twitch-detail", kwargs={"pk": twitch}), {"notes": "x"}),
        ("delete", reverse("api:twitch-detail", kwargs={"pk": twitch}), None),
        ("post", reverse("api:symptom-list"), {"kind": "cramps"}),
        ("patch", reverse("api:symptom-detail", kwargs={"pk": symptom}), {"notes": "x"}),
        ("delete", reverse("api:symptom-detail", kwargs={"pk": symptom}), None),
        ("post", reverse("api:checkin-list"), {"day": "2025-03-01"}),
        ("patch", reverse("api:checkin-detail", kwargs={"day": day}), {"notes": "x"}),
        ("delete", reverse("api:checkin-detail", kwargs={"day": day}), None),
    ]


def test_a_read_token_reads_everything_but_any_write_is_a_403_that_writes_nothing(
    make_api, user, owned
):
    api = make_api(user, scope=ApiToken.Scope.READ)
    for name in ("api:twitch-list", "api:symptom-list", "api:checkin-list", "api:vocabulary"):
        assert api.get(reverse(name)).status_code == 200, name
    before = rows()
    for method, url, data in write_calls(owned):
        response = api.send(method, url, data)
        assert response.status_code == 403, (method, url)
        assert response.json() == {"detail": TokenScope.message}
    assert rows() == before


def test_a_read_write_token_may_make_each_of_those_changes(api, owned):
    for method, url, data in write_calls(owned):
        assert api.send(method, url, data).status_code in (200, 201, 204), (method, url)


def test_the_browser_session_works_with_its_csrf_token_and_not_without(user):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(user)
    assert browser.get(TWITCHES).status_code == 200

    body = json.dumps({"location": "calf"})
    refused = browser.post(TWITCHES, body, content_type="application/json")
    assert refused.status_code == 403
    assert "CSRF" in refused.json()["detail"]
    assert not TwitchEntry.objects.exists()

    browser.get(reverse("api:docs"))  # any page sets the CSRF cookie
    csrf = browser.cookies["csrftoken"].value
    saved = browser.post(TWITCHES, body, content_type="application/json", HTTP_X_CSRFTOKEN=csrf)
    assert saved.status_code == 201
    assert TwitchEntry.objects.get().user == user


def test_too_many_requests_with_one_token_is_a_calm_429_with_retry_after(
    make_api, user, other_user, settings
):
    settings.API_RATE = "3/minute"
    api = make_api(user)
    assert [api.get(TWITCHES).status_code for _ in range(3)] == [200, 200, 200]
    response = api.get(TWITCHES)
    assert response.status_code == 429
    wait = int(response["Retry-After"])
    assert 0 < wait <= 60
    assert response.json() == {
        "detail": f"Too many requests in a short time. Try again in {wait} seconds."
    }
    # The limit is per token: another token, of another person or the same one, is unaffected.
    assert make_api(other_user).get(TWITCHES).status_code == 200
    assert make_api(user).get(TWITCHES).status_code == 200
    # A minute later the token may ask again.
    with time_machine.travel(NOW + datetime.timedelta(seconds=61), tick=False):
        assert api.get(TWITCHES).status_code == 200


def test_retry_after_is_rounded_up_so_a_client_that_waits_it_gets_through(make_api, user, settings):
    settings.API_RATE = "2/minute"
    api = make_api(user)
    api.get(TWITCHES)
    api.get(TWITCHES)
    with time_machine.travel(NOW + datetime.timedelta(seconds=0.5), tick=False):
        response = api.get(TWITCHES)
    assert response.status_code == 429
    # 59.5 seconds remain: the client is told 60, in the header and the sentence alike.
    assert response["Retry-After"] == "60"
    assert (
        response.json()["detail"] == "Too many requests in a short time. Try again in 60 seconds."
    )
    with time_machine.travel(NOW + datetime.timedelta(seconds=0.5 + 59), tick=False):
        assert api.get(TWITCHES).status_code == 429
    with time_machine.travel(NOW + datetime.timedelta(seconds=0.5 + 60), tick=False):
        assert api.get(TWITCHES).status_code == 200


def test_the_rate_limit_covers_writes_downloads_and_the_browser_session_too(api, user, settings):
    settings.API_RATE = "2/minute"
    assert api.post(TWITCHES, {"location": "calf"}).status_code == 201
    assert api.get(reverse("api:export")).status_code == 200
    refused = api.post(TWITCHES, {"location": "calf"})
    assert refused.status_code == 429
    assert "Retry-After" in refused
    assert TwitchEntry.objects.count() == 1
    browser = Client()
    browser.force_login(user)
    assert [browser.get(TWITCHES).status_code for _ in range(3)] == [200, 200, 429]


def test_a_request_body_over_the_limit_is_a_413_and_writes_nothing(api, settings):
    settings.API_MAX_BODY_BYTES = 1024
    response = api.post(TWITCHES, {"location": "calf", "notes": "x" * 2000})
    assert response.status_code == 413
    assert response.json() == {
        "detail": "The request body is larger than 1 KB. Send one entry at a time."
    }
    assert not TwitchEntry.objects.exists()


def test_a_body_past_what_django_reads_into_memory_is_the_same_calm_413(api, settings):
    settings.API_MAX_BODY_BYTES = 1024
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 2048
    response = api.post(TWITCHES, {"location": "calf", "notes": "x" * 4096})
    assert response.status_code == 413
    assert response.json() == {
        "detail": "The request body is larger than 1 KB. Send one entry at a time."
    }
    assert not TwitchEntry.objects.exists()


def test_a_body_of_exactly_the_limit_is_accepted(api, settings):
    settings.API_MAX_BODY_BYTES = 1024
    body = json.dumps({"location": "calf"})
    body += " " * (1024 - len(body))
    response = api.client.post(
        TWITCHES, body, content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {api.token}"
    )
    assert response.status_code == 201
    assert TwitchEntry.objects.count() == 1


@pytest.mark.parametrize(
    ("body", "content_type", "status"),
    [
        ("location=calf", "application/x-www-form-urlencoded", 415),
        ("{not json", "application/json", 400),
        ('{"location": NaN}', "application/json", 400),
        ('["calf"]', "application/json", 400),
        ("", "application/json", 400),
    ],
)
def test_a_body_that_is_not_a_json_object_is_refused_calmly(api, body, content_type, status):
    response = api.client.post(
        TWITCHES, body, content_type=content_type, HTTP_AUTHORIZATION=f"Bearer {api.token}"
    )
    assert response.status_code == status
    assert response.json()["detail"]
    assert not TwitchEntry.objects.exists()


@pytest.mark.parametrize("size", ["0", "-3", "many", "\u00b2", "\u0663"])
def test_a_page_size_that_is_not_a_whole_number_from_1_is_a_400(api, size):
    response = api.get(TWITCHES, {"page_size": size})
    assert response.status_code == 400
    assert response.json()["errors"] == {
        "page_size": ["Send page_size as a whole number from 1 to 200."]
    }
