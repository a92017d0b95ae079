"""`manage.py seed_demo`: a living, mostly harmless demo journal, reset on each run."""

import datetime
import re
from collections import defaultdict
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from journal import body
from journal.management.commands.seed_demo import DEMO_EMAIL, build_journal
from journal.models import DailyCheckIn, SymptomEntry, TwitchEntry, TwitchTrigger
from tests.journal_support import UTC, make_twitch

pytestmark = pytest.mark.django_db

NOW = datetime.datetime(2025, 6, 15, 21, 0, tzinfo=UTC)
LONDON = ZoneInfo("Europe/London")
TODAY = datetime.date(2025, 6, 15)


@pytest.fixture(autouse=True)
def _frozen_clock(time_machine):
    time_machine.move_to(NOW, tick=False)


def seed(*args) -> str:
    out = StringIO()
    call_command("seed_demo", *args, stdout=out)
    return out.getvalue()


def demo_rows():
    """The demo journal as plain values, for comparing two runs."""
    user = get_user_model().objects.get(username=DEMO_EMAIL)
    twitches = [
        (t.occurred_at, t.location, t.side, t.duration_seconds, t.intensity, tuple(t.trigger_codes))
        for t in TwitchEntry.objects.filter(user=user)
        .prefetch_related("trigger_rows")
        .order_by("occurred_at", "location")
    ]
    symptoms = list(SymptomEntry.objects.filter(user=user).values_list("noted_on", "kind"))
    checkins = list(
        DailyCheckIn.objects.filter(user=user).order_by("day").values_list("day", "caffeine_mg")
    )
    return twitches, symptoms, checkins


def test_prints_a_password_that_signs_in_to_the_demo_account():
    output = seed()
    password = re.search(r"Password: (\S+)", output).group(1)
    assert "demo@example.com" in output
    user = get_user_model().objects.get(username=DEMO_EMAIL)
    assert user.check_password(password)
    assert user.profile.time_zone == "Europe/London"
    assert user.profile.habits_changed_on == TODAY - datetime.timedelta(days=21)


def test_the_demo_account_signs_in_through_the_log_in_page_at_once(client):
    """Its address counts as confirmed, so no confirmation email stands in the way."""
    password = re.search(r"Password: (\S+)", seed()).group(1)
    response = client.post("/accounts/login/", {"login": DEMO_EMAIL, "password": password})
    assert response["Location"] == "/"
    assert client.session["_auth_user_id"] == str(
        get_user_model().objects.get(username=DEMO_EMAIL).pk
    )


def test_ten_weeks_of_calf_twitches_most_days_and_a_check_in_most_days():
    seed("--password", "demo-password-1")
    user = get_user_model().objects.get(username=DEMO_EMAIL)
    twitches = list(TwitchEntry.objects.filter(user=user))
    local_days = {t.occurred_at.astimezone(LONDON).date() for t in twitches}
    calf_days = {t.occurred_at.astimezone(LONDON).date() for t in twitches if t.location == "calf"}
    first_day = TODAY - datetime.timedelta(days=69)
    assert min(local_days) >= first_day
    assert max(t.occurred_at for t in twitches) <= NOW
    assert len(calf_days) >= 0.75 * 70
    checkin_days = set(DailyCheckIn.objects.filter(user=user).values_list("day", flat=True))
    assert len(checkin_days) >= 0.8 * 69
    assert TODAY not in checkin_days  # today's check-in is left to do
    assert min(checkin_days) >= first_day


def test_stress_and_caffeine_days_come_with_more_twitches_and_their_triggers():
    seed()
    user = get_user_model().objects.get(username=DEMO_EMAIL)
    per_day = defaultdict(int)
    for t in TwitchEntry.objects.filter(user=user):
        per_day[t.occurred_at.astimezone(LONDON).date()] += 1
    checkins = DailyCheckIn.objects.filter(user=user)
    calm = [per_day[c.day] for c in checkins if c.stress <= 2 and c.caffeine_mg < 300]
    tense = [per_day[c.day] for c in checkins if c.stress >= 4 and c.caffeine_mg >= 300]
    assert sum(tense) / len(tense) > sum(calm) / len(calm) + 1
    codes = set(TwitchTrigger.objects.filter(entry__user=user).values_list("code", flat=True))
    assert {"caffeine", "stress", "poor_sleep"} <= codes


def test_one_spreading_phase_and_only_harmless_symptoms():
    seed()
    user = get_user_model().objects.get(username=DEMO_EMAIL)
    days_by_region = defaultdict(set)
    for t in TwitchEntry.objects.filter(user=user):
        for region in body.regions_for(t.location):
            days_by_region[region].add(t.occurred_at.astimezone(LONDON).date())
    # Within the last four weeks, three body regions had twitches on two days or more.
    window = {TODAY - datetime.timedelta(days=n) for n in range(28)}
    active = {region for region, days in days_by_region.items() if len(days & window) >= 2}
    assert {"arm", "trunk", "leg"} <= active
    # Earlier on, the legs alone.
    early = {TODAY - datetime.timedelta(days=n) for n in range(40, 70)}
    assert not days_by_region["arm"] & early
    kinds = set(SymptomEntry.objects.filter(user=user).values_list("kind", flat=True))
    assert kinds == {"cramps", "heaviness"}


def test_running_again_resets_the_demo_and_builds_the_same_journal(make_user):
    someone = make_user(email="someone@example.com")
    theirs = make_twitch(someone, NOW)
    seed("--password", "first-password-1")
    first = demo_rows()
    first_ids = set(TwitchEntry.objects.filter(user__username=DEMO_EMAIL).values_list("pk"))
    output = seed("--password", "second-password-2")
    assert demo_rows() == first
    assert not first_ids & set(
        TwitchEntry.objects.filter(user__username=DEMO_EMAIL).values_list("pk")
    )
    assert get_user_model().objects.filter(username=DEMO_EMAIL).count() == 1
    assert get_user_model().objects.get(username=DEMO_EMAIL).check_password("second-password-2")
    assert f"{len(first[0])} twitches, 6 symptoms and {len(first[2])} check-ins" in output
    assert TwitchEntry.objects.get(user=someone) == theirs


def test_build_journal_gives_each_seed_its_own_journal(make_user):
    one, two = make_user(email="one@example.com"), make_user(email="two@example.com")
    counts = build_journal(one, today=TODAY, seed=1)
    build_journal(two, today=TODAY, seed=2)
    assert counts.twitches == TwitchEntry.objects.filter(user=one).count() > 100
    assert counts.checkins == DailyCheckIn.objects.filter(user=one).count()
    times = {user: set(user.twitches.values_list("occurred_at", flat=True)) for user in (one, two)}
    assert times[one] != times[two]
