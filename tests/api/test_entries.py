"""Twitches, symptoms and check-ins through the API: each is checked by the same form,
with the same messages, as on the pages; dates carry offsets and the local date."""

import datetime
from decimal import Decimal

import pytest
import time_machine
from django.urls import reverse

from journal import body
from journal.forms import NOTES_ERROR, PLACE_ERROR, CheckInForm, SymptomForm, TwitchForm
from journal.models import DailyCheckIn, SymptomEntry, TwitchEntry, TwitchTrigger
from tests.journal_support import at, make_checkin, make_symptom, make_twitch

pytestmark = pytest.mark.django_db

# 23:30 in UTC is already the next day in Tokyo (UTC+9) and still this day in Paris.
NOW = datetime.datetime(2025, 3, 10, 23, 30, tzinfo=datetime.UTC)
TWITCHES = reverse("api:twitch-list")
SYMPTOMS = reverse("api:symptom-list")
CHECKINS = reverse("api:checkin-list")


@pytest.fixture(autouse=True)
def _frozen_clock():
    with time_machine.travel(NOW, tick=False):
        yield


def twitch_url(entry):
    return reverse("api:twitch-detail", kwargs={"pk": entry.pk})


def message(form_class, field: str, code: str) -> str:
    return form_class.base_fields[field].error_messages[code]


# Twitches


def test_logging_a_twitch_with_only_a_place_takes_the_forms_defaults(make_user, make_api):
    tokyo = make_user(email="kenji@example.com", time_zone="Asia/Tokyo")
    response = make_api(tokyo).post(TWITCHES, {"location": "calf"})

    assert response.status_code == 201
    entry = TwitchEntry.objects.get(user=tokyo)
    # Now, to the minute, as the log form fills it in; strength and length not noted.
    assert entry.occurred_at == NOW
    assert (entry.intensity, entry.duration_seconds, entry.side) == (None, None, "")
    assert response.json() == {
        "id": entry.pk,
        "occurred_at": "2025-03-11T08:30:00+09:00",
        "local_date": "2025-03-11",
        "location": "calf",
        "side": "",
        "duration_seconds": None,
        "intensity": None,
        "triggers": [],
        "notes": "",
        "created_at": "2025-03-11T08:30:00+09:00",
        "updated_at": "2025-03-11T08:30:00+09:00",
    }


def test_a_whole_twitch_is_saved_with_its_triggers(api, user):
    response = api.post(
        TWITCHES,
        {
            "occurred_at": "2025-03-10T09:15:00+01:00",
            "location": "thumb_base",
            "side": "right",
            "duration_seconds": 20,
            "intensity": 3,
            "triggers": ["stress", "caffeine"],
            "notes": "After the meeting",
        },
    )
    assert response.status_code == 201, response.json()
    entry = TwitchEntry.objects.get(user=user)
    assert entry.occurred_at == at("UTC", 2025, 3, 10, 8, 15)
    assert (entry.location, entry.side, entry.duration_seconds) == ("thumb_base", "right", 20)
    # Codes in the vocabulary's order, whatever order they were sent in.
    assert response.json()["triggers"] == entry.trigger_codes == ["caffeine", "stress"]
    assert response.json()["occurred_at"] == "2025-03-10T08:15:00Z"


FUTURE = (
    "That time is still to come: it is 23:30 on 10 March where you are. "
    "Choose now or an earlier time."
)


@pytest.mark.parametrize(
    ("data", "field", "reason"),
    [
        ({"location": "elbowish"}, "location", PLACE_ERROR),
        ({}, "location", message(TwitchForm, "location", "required")),
        ({"location": "calf", "side": "up"}, "side", message(TwitchForm, "side", "invalid_choice")),
        (
            {"location": "calf", "intensity": 4},
            "intensity",
            message(TwitchForm, "intensity", "invalid_choice"),
        ),
        (
            {"location": "calf", "duration_seconds": -1},
            "duration_seconds",
            message(TwitchForm, "duration_typed", "min_value"),
        ),
        (
            {"location": "calf", "duration_seconds": 86_401},
            "duration_seconds",
            message(TwitchForm, "duration_typed", "max_value"),
        ),
        (
            {"location": "calf", "triggers": ["moon"]},
            "triggers",
            message(TwitchForm, "triggers", "invalid_choice") % {"value": "moon"},
        ),
        (
            {"location": "calf", "occurred_at": "2025-03-10T23:36:00Z"},
            "occurred_at",
            FUTURE,
        ),
        (
            {"location": "calf", "notes": "x" * 2001},
            "notes",
            NOTES_ERROR % {"show_value": 2001, "limit_value": 2000},
        ),
        # JSON types come first: the API's own words, as no form ever sees these.
        (
            {"location": "calf", "occurred_at": "2025-03-10T09:15"},
            "occurred_at",
            "Send a date and time with its offset, such as 2025-03-01T14:30:00+01:00.",
        ),
        (
            {"location": "calf", "intensity": "3"},
            "intensity",
            "Send one of the numbers listed for this field.",
        ),
        ({"location": ["calf"]}, "location", "Send one of the codes listed for this field."),
        (
            {"location": "calf", "duration_seconds": 2.5},
            "duration_seconds",
            "Send a whole number, such as 20.",
        ),
        (
            {"location": "calf", "triggers": "stress"},
            "triggers",
            'Send a list of codes, such as ["caffeine", "stress"].',
        ),
        (
            {"location": "calf", "side": None},
            "side",
            "Leave this field out rather than sending null.",
        ),
        ({"location": "calf", "notes": 42}, "notes", "Send text."),
    ],
)
def test_a_bad_twitch_is_a_400_naming_the_field_with_the_forms_reason(api, data, field, reason):
    response = api.post(TWITCHES, data)

    assert response.status_code == 400
    errors = response.json()["errors"]
    assert reason in errors[field], errors
    assert not TwitchEntry.objects.exists()
    assert not TwitchTrigger.objects.exists()


def test_the_list_is_newest_first_paged_and_filtered_by_local_dates(make_user, make_api):
    paris = make_user(email="camille@example.com", time_zone="Europe/Paris")
    # 23:30 UTC on 1 March is 00:30 on 2 March in Paris.
    late = make_twitch(paris, at("UTC", 2025, 3, 1, 23, 30), notes="late")
    early = make_twitch(paris, at("UTC", 2025, 3, 1, 8, 0), notes="early")
    newest = make_twitch(paris, at("UTC", 2025, 3, 5, 8, 0), notes="newest")
    api = make_api(paris)

    listed = api.get(TWITCHES).json()
    assert listed["count"] == 3
    assert [item["id"] for item in listed["results"]] == [newest.pk, late.pk, early.pk]
    assert [item["local_date"] for item in listed["results"]] == [
        "2025-03-05",
        "2025-03-02",
        "2025-03-01",
    ]
    assert listed["results"][1]["occurred_at"] == "2025-03-02T00:30:00+01:00"

    march_2 = api.get(TWITCHES, {"start": "2025-03-02", "end": "2025-03-02"}).json()
    assert [item["id"] for item in march_2["results"]] == [late.pk]

    paged = api.get(TWITCHES, {"page_size": 2, "page": 2}).json()
    assert [item["id"] for item in paged["results"]] == [early.pk]
    assert paged["previous"] is not None
    assert paged["next"] is None


@pytest.mark.parametrize(
    ("params", "field", "reason"),
    [
        ({"start": "yesterday"}, "start", "Enter a date, such as 2025-03-01."),
        ({"end": "2025-02-30"}, "end", "Enter a date, such as 2025-03-31."),
        ({"start": "0001-01-01"}, "start", "Choose a date between 1900 and 2999."),
        (
            {"start": "2025-03-02", "end": "2025-03-01"},
            "end",
            "The end date is before the start date.",
        ),
    ],
)
def test_bad_list_dates_are_a_400_with_the_journal_filters_words(api, params, field, reason):
    for url in (TWITCHES, SYMPTOMS, CHECKINS):
        response = api.get(url, params)
        assert response.status_code == 400
        assert response.json()["errors"] == {field: [reason]}


def test_a_page_past_the_end_is_a_404(api, user):
    make_twitch(user, NOW)
    assert api.get(TWITCHES, {"page": 2}).status_code == 404


def test_reading_one_twitch_and_changing_only_what_is_sent(api, user):
    entry = make_twitch(
        user, at("UTC", 2025, 3, 9, 7, 0), triggers=["cold"], duration_seconds=45, intensity=3
    )
    assert api.get(twitch_url(entry)).json()["triggers"] == ["cold"]

    response = api.patch(twitch_url(entry), {"notes": "It came back"})

    assert response.status_code == 200, response.json()
    entry.refresh_from_db()
    assert entry.notes == "It came back"
    # Everything not sent stays as it was, the triggers and the typed length included.
    assert entry.occurred_at == at("UTC", 2025, 3, 9, 7, 0)
    assert (entry.duration_seconds, entry.intensity, entry.trigger_codes) == (45, 3, ["cold"])

    api.patch(twitch_url(entry), {"duration_seconds": None, "triggers": []})
    entry.refresh_from_db()
    assert (entry.duration_seconds, entry.trigger_codes) == (None, [])


def test_a_refused_change_leaves_the_twitch_as_it_was(api, user):
    entry = make_twitch(user, NOW, location="calf", notes="kept")
    response = api.patch(twitch_url(entry), {"location": "nowhere", "notes": "lost"})
    assert response.status_code == 400
    entry.refresh_from_db()
    assert (entry.location, entry.notes) == ("calf", "kept")


def test_deleting_a_twitch_takes_its_triggers_with_it(api, user):
    entry = make_twitch(user, NOW, triggers=["stress"])
    assert api.delete(twitch_url(entry)).status_code == 204
    assert not TwitchEntry.objects.exists()
    assert not TwitchTrigger.objects.exists()
    assert api.get(twitch_url(entry)).status_code == 404


@pytest.mark.parametrize("key", ["abc", "0", "-1", "9" * 30, "1.5", "\u00b2", "\u0663"])
def test_an_address_that_is_not_an_entry_is_a_404(api, key):
    response = api.get(reverse("api:twitch-detail", kwargs={"pk": key}))
    assert response.status_code == 404
    assert response.json() == {"detail": "Nothing with this address exists in your journal."}


def test_the_list_reads_in_a_fixed_number_of_queries(api, user, django_assert_num_queries):
    for hour in range(5):
        make_twitch(user, at("UTC", 2025, 3, 10, hour, 0), triggers=["cold", "stress"])
    api.get(TWITCHES)  # the token's last use is written once a minute at most
    # The token with its person and profile, the count, the page, the page's triggers.
    with django_assert_num_queries(4):
        response = api.get(TWITCHES)
    assert len(response.json()["results"]) == 5


# Again


def test_again_logs_the_latest_twitch_now_with_the_same_details(api, user):
    make_twitch(user, at("UTC", 2025, 3, 1, 9, 0), location="shin")
    make_twitch(
        user,
        at("UTC", 2025, 3, 9, 9, 0),
        location="eyelid",
        side="left",
        triggers=["poor_sleep"],
        duration_seconds=3,
        intensity=1,
    )
    response = api.post(reverse("api:twitch-again"))

    assert response.status_code == 201
    again = TwitchEntry.objects.filter(user=user).first()
    assert again.occurred_at == NOW
    assert (again.location, again.side, again.duration_seconds, again.intensity) == (
        "eyelid",
        "left",
        3,
        1,
    )
    assert again.trigger_codes == ["poor_sleep"]
    assert response.json()["id"] == again.pk
    assert response.json()["local_date"] == "2025-03-10"


def test_again_with_no_twitch_yet_is_a_404_that_writes_nothing(api):
    response = api.post(reverse("api:twitch-again"))
    assert response.status_code == 404
    assert response.json() == {"detail": "There is no twitch to repeat yet: log your first one."}
    assert not TwitchEntry.objects.exists()


# Symptoms


def test_noting_a_symptom_takes_today_in_the_persons_zone(make_user, make_api):
    tokyo = make_user(email="kenji@example.com", time_zone="Asia/Tokyo")
    response = make_api(tokyo).post(SYMPTOMS, {"kind": "numbness_tingling", "location": "hand"})

    assert response.status_code == 201, response.json()
    symptom = SymptomEntry.objects.get(user=tokyo)
    assert symptom.noted_on == datetime.date(2025, 3, 11)
    assert (symptom.severity, symptom.onset) == (1, "gradual")
    data = response.json()
    assert (data["noted_on"], data["local_date"], data["kind"]) == (
        "2025-03-11",
        "2025-03-11",
        "numbness_tingling",
    )


@pytest.mark.parametrize(
    ("data", "field", "reason"),
    [
        ({"kind": "sneezing"}, "kind", message(SymptomForm, "kind", "invalid_choice")),
        ({}, "kind", message(SymptomForm, "kind", "required")),
        (
            {"kind": "cramps", "noted_on": "2025-03-11"},
            "noted_on",
            "That day is still to come. Choose today or an earlier day.",
        ),
        (
            {"kind": "cramps", "location": "all_over"},
            "location",
            message(SymptomForm, "location", "invalid_choice"),
        ),
        (
            {"kind": "cramps", "severity": 0},
            "severity",
            message(SymptomForm, "severity", "invalid_choice"),
        ),
        (
            {"kind": "cramps", "noted_on": "10/03/2025"},
            "noted_on",
            "Send a date as YYYY-MM-DD, such as 2025-03-01.",
        ),
    ],
)
def test_a_bad_symptom_is_a_400_with_the_forms_reason(api, data, field, reason):
    response = api.post(SYMPTOMS, data)
    assert response.status_code == 400
    assert reason in response.json()["errors"][field]
    assert not SymptomEntry.objects.exists()


def test_symptoms_are_listed_by_day_changed_and_deleted(api, user):
    older = make_symptom(user, datetime.date(2025, 3, 1), kind="cramps")
    newer = make_symptom(user, datetime.date(2025, 3, 8), kind="weakness", severity=2)
    listed = api.get(SYMPTOMS, {"end": "2025-03-07"}).json()["results"]
    assert [item["id"] for item in listed] == [older.pk]
    assert [item["id"] for item in api.get(SYMPTOMS).json()["results"]] == [newer.pk, older.pk]

    url = reverse("api:symptom-detail", kwargs={"pk": newer.pk})
    assert api.patch(url, {"onset": "sudden"}).json()["onset"] == "sudden"
    newer.refresh_from_db()
    assert (newer.kind, newer.severity, newer.onset) == ("weakness", 2, "sudden")
    assert api.delete(url).status_code == 204
    assert list(SymptomEntry.objects.all()) == [older]


# Check-ins


def test_a_check_in_is_saved_for_today_with_numbers_as_numbers(api, user):
    response = api.post(
        CHECKINS, {"caffeine_mg": 190, "sleep_hours": 6.5, "stress": 4, "water_litres": 2}
    )
    assert response.status_code == 201, response.json()
    checkin = DailyCheckIn.objects.get(user=user)
    assert checkin.day == datetime.date(2025, 3, 10)
    assert (checkin.caffeine_mg, checkin.sleep_hours, checkin.stress) == (190, Decimal("6.5"), 4)
    data = response.json()
    assert (data["day"], data["local_date"], data["sleep_hours"], data["water_litres"]) == (
        "2025-03-10",
        "2025-03-10",
        6.5,
        2.0,
    )


def test_a_second_check_in_for_a_day_is_refused_in_the_forms_words(api, user):
    make_checkin(user, datetime.date(2025, 3, 10), notes="first")
    response = api.post(CHECKINS, {"day": "2025-03-10", "notes": "second"})
    assert response.status_code == 400
    assert response.json()["errors"] == {
        "day": [
            "You already have a check-in for Monday 10 March 2025. "
            "Change that one instead, or choose another day."
        ]
    }
    assert DailyCheckIn.objects.get().notes == "first"


@pytest.mark.parametrize(
    ("data", "field", "reason"),
    [
        (
            {"caffeine_mg": 2001},
            "caffeine_mg",
            message(CheckInForm, "other_caffeine_mg", "max_value"),
        ),
        ({"sleep_hours": 25}, "sleep_hours", "Enter at most 24."),
        (
            {"sleep_hours": 7.25},
            "sleep_hours",
            "Use at most one decimal place, such as 1.5.",
        ),
        ({"stress": 6}, "stress", message(CheckInForm, "stress", "invalid_choice")),
        ({"exercise": "epic"}, "exercise", message(CheckInForm, "exercise", "invalid_choice")),
        ({"sleep_hours": "7"}, "sleep_hours", "Send a number, such as 7.5."),
        ({"stress": True}, "stress", "Send one of the numbers listed for this field."),
    ],
)
def test_a_bad_check_in_is_a_400_with_the_forms_reason(api, data, field, reason):
    response = api.post(CHECKINS, data)
    assert response.status_code == 400
    assert reason in response.json()["errors"][field]
    assert not DailyCheckIn.objects.exists()


def test_a_caffeine_total_sent_replaces_the_cups_entered_on_the_page(api, user):
    make_checkin(user, datetime.date(2025, 3, 9), coffee_cups=Decimal("3"), tea_cups=1)
    url = reverse("api:checkin-detail", kwargs={"day": "2025-03-09"})
    assert api.get(url).json()["caffeine_mg"] == 332

    assert api.patch(url, {"stress": 3}).status_code == 200
    assert DailyCheckIn.objects.get().caffeine_mg == 332
    response = api.patch(url, {"caffeine_mg": 100})

    assert response.status_code == 200, response.json()
    assert response.json()["caffeine_mg"] == 100
    checkin = DailyCheckIn.objects.get()
    assert (checkin.coffee_cups, checkin.tea_cups, checkin.other_caffeine_mg) == (None, None, 100)


def test_a_check_in_is_found_by_its_day_and_changed_without_losing_its_caffeine(api, user):
    make_checkin(user, datetime.date(2025, 3, 9), other_caffeine_mg=285, sleep_hours=Decimal("7"))
    url = reverse("api:checkin-detail", kwargs={"day": "2025-03-09"})
    assert api.get(url).json()["caffeine_mg"] == 285

    response = api.patch(url, {"stress": 2})

    assert response.status_code == 200, response.json()
    checkin = DailyCheckIn.objects.get()
    assert (checkin.caffeine_mg, checkin.sleep_hours, checkin.stress) == (285, Decimal("7"), 2)
    assert api.get(reverse("api:checkin-detail", kwargs={"day": "2025-03-08"})).status_code == 404
    for other_spelling in ("someday", "20250309", "2025-W10-7", "2025-02-30"):
        url_of = reverse("api:checkin-detail", kwargs={"day": other_spelling})
        assert api.get(url_of).status_code == 404, other_spelling
    assert api.delete(url).status_code == 204
    assert not DailyCheckIn.objects.exists()


# Vocabulary


def test_the_vocabulary_lists_every_code_with_its_label_from_the_body_module(api):
    data = api.get(reverse("api:vocabulary")).json()
    locations = {item["code"]: item for item in data["locations"]}
    assert list(locations) == [code for code, _ in body.TWITCH_LOCATIONS]
    assert locations["thumb_base"] == {
        "code": "thumb_base",
        "label": "Base of thumb",
        "region": "arm",
    }
    assert locations["all_over"]["region"] is None
    assert [item["code"] for item in data["triggers"]] == [code for code, _ in body.TRIGGERS]
    assert [item["code"] for item in data["sides"]] == ["left", "right", "both", "centre"]
    assert [item["code"] for item in data["intensities"]] == [1, 2, 3]
    kinds = {item["code"]: item for item in data["symptom_kinds"]}
    assert kinds["heaviness"]["help"] == body.SYMPTOM_HELP["heaviness"]
