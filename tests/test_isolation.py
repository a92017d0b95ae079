"""Health data is private: another person's entry or date is a 404, and nothing changes."""

import datetime

import pytest
from django.urls import reverse

from journal import urls as journal_urls
from journal.models import DailyCheckIn, SymptomEntry, TwitchEntry, TwitchTrigger
from journal.views import entries
from journal.views.entries import UNDO_SESSION_KEY
from tests.journal_support import UTC, make_checkin, make_symptom, make_twitch, twitch_data

pytestmark = pytest.mark.django_db

NOW = datetime.datetime(2025, 3, 1, 15, 0, tzinfo=UTC)
TODAY = NOW.date()


@pytest.fixture(autouse=True)
def _frozen_clock(time_machine):
    time_machine.move_to(NOW, tick=False)


def snapshot():
    """Every journal row, to show that nothing changed."""
    return [
        list(model.objects.order_by("pk").values())
        for model in (TwitchEntry, TwitchTrigger, SymptomEntry, DailyCheckIn)
    ]


@pytest.fixture
def owned(user):
    """One entry of each kind belonging to `user`."""
    return {
        "twitch": make_twitch(user, NOW, triggers=["cold"], notes="Ada's own note"),
        "symptom": make_symptom(user, TODAY, kind="cramps", notes="Ada's cramp"),
        "checkin": make_checkin(user, TODAY, other_caffeine_mg=95, notes="Ada's day"),
    }


def test_every_url_with_an_id_or_a_date_is_a_404_for_another_person(client, owned, other_user):
    twitch, symptom, checkin = owned["twitch"], owned["symptom"], owned["checkin"]
    symptom_data = {"noted_on": "2025-03-01", "kind": "weakness", "severity": "3"}
    symptom_data |= {"onset": "sudden", "notes": "changed"}
    checkin_data = {"day": "2025-03-01", "coffee_cups": "9", "notes": "changed"}
    walk = {
        "twitch_edit": ([twitch.pk], twitch_data(location="forearm", notes="changed")),
        "twitch_delete": ([twitch.pk], {}),
        "twitch_undo": ([twitch.pk], {}),
        "symptom_undo": ([symptom.pk], {}),
        "checkin_undo": ([checkin.day], {}),
        "symptom_edit": ([symptom.pk], symptom_data),
        "symptom_delete": ([symptom.pk], {}),
        "checkin_day": ([checkin.day], checkin_data),
        "checkin_delete": ([checkin.day], {}),
    }
    # The walk covers every journaling URL whose path carries an id or a date.
    assert set(walk) == {
        pattern.name
        for pattern in journal_urls.urlpatterns
        if pattern.pattern.converters and pattern.callback.__module__ == entries.__name__
    }
    before = snapshot()

    client.force_login(other_user)
    # Even a forged undo offer in the other person's session must not reach the entry.
    session = client.session
    session[UNDO_SESSION_KEY] = {"kind": "twitch", "pk": twitch.pk}
    session.save()
    for name, (args, data) in walk.items():
        url = reverse(name, args=args)
        if not name.endswith("_undo"):
            response = client.get(url)
            assert response.status_code == 404, url
            assert b"Ada's" not in response.content
        assert client.post(url, data).status_code == 404, url

    assert snapshot() == before


def test_a_person_never_sees_or_repeats_anothers_entries(client, owned, other_user):
    client.force_login(other_user)
    for name in ("home", "journal"):
        body = client.get(reverse(name)).content.decode()
        assert "Ada's" not in body
        assert 'id="twitch-' not in body

    response = client.post(reverse("twitch_again"))
    assert response["Location"] == reverse("log")
    assert not TwitchEntry.objects.filter(user=other_user).exists()

    # Their own check-in for the same day is theirs to create.
    client.post(reverse("checkin"), {"day": "2025-03-01", "tea_cups": "1"})
    assert DailyCheckIn.objects.get(user=other_user).caffeine_mg == 47
    assert DailyCheckIn.objects.get(user=owned["checkin"].user).caffeine_mg == 95
