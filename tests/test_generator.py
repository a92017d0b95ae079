"""journal/management/tools/generator.py: the one journal generator of the demo, the
benchmark and the load test."""

import datetime
import random
from zoneinfo import ZoneInfo

import pytest

from journal import body
from journal.management.tools import generator
from journal.models import DailyCheckIn, SymptomEntry, TwitchEntry, TwitchTrigger
from tests.journal_support import UTC

pytestmark = pytest.mark.django_db

NOW = datetime.datetime(2025, 6, 15, 9, 30, tzinfo=UTC)
TODAY = datetime.date(2025, 6, 15)
LONDON = ZoneInfo("Europe/London")


@pytest.fixture(autouse=True)
def _frozen_clock(time_machine):
    time_machine.move_to(NOW, tick=False)


@pytest.fixture
def person(make_user):
    user = make_user(email="gen@example.com")
    user.profile.time_zone = "Europe/London"
    user.profile.save()
    return user


def build(user, pattern=generator.VARIED, seed=3, **sizes):
    sizes = {"days": 90, "twitches": 400, "symptoms": 12, "checkins": 60, **sizes}
    return generator.build_journal(user, pattern, today=TODAY, rng=random.Random(seed), **sizes)


def journal_of(user):
    return sorted(
        TwitchEntry.objects.filter(user=user).values_list("occurred_at", "location", "side")
    )


def test_the_journal_has_exactly_the_entries_asked_for(person):
    counts = build(person)

    assert counts.twitches == TwitchEntry.objects.filter(user=person).count() == 400
    assert counts.symptoms == SymptomEntry.objects.filter(user=person).count() == 12
    assert counts.checkins == DailyCheckIn.objects.filter(user=person).count() == 60
    assert counts.triggers == TwitchTrigger.objects.filter(entry__user=person).count()


def test_every_entry_falls_within_the_days_and_none_in_the_future(person):
    build(person, days=30)

    first = TODAY - datetime.timedelta(days=29)
    days = {t.astimezone(LONDON).date() for t, _, _ in journal_of(person)}
    assert min(days) >= first
    assert max(t for t, _, _ in journal_of(person)) <= NOW
    checkin_days = set(DailyCheckIn.objects.filter(user=person).values_list("day", flat=True))
    assert min(checkin_days) >= first
    assert TODAY not in checkin_days


def test_the_same_seed_builds_the_same_journal_and_another_seed_another(make_user, person):
    again, other = make_user(email="again@example.com"), make_user(email="other@example.com")
    for user in (again, other):
        user.profile.time_zone = "Europe/London"
        user.profile.save()
    build(person, seed=5)
    build(again, seed=5)
    build(other, seed=6)

    assert journal_of(person) == journal_of(again)
    assert journal_of(person) != journal_of(other)


def test_midline_places_have_no_left_or_right(person):
    build(person, twitches=2000)

    for _, location, side in journal_of(person):
        if location in body.MIDLINE_LOCATIONS or location == body.ALL_OVER:
            assert side in ("centre", ""), location


def test_a_spell_puts_its_places_on_its_days_only(person):
    pattern = generator.Pattern(
        places={"calf": 1},
        sides={"left": 1},
        symptoms={"cramps": 1},
        noted_triggers={0: 1},
        spells=(generator.Spell(range(5, 10), places={"forearm": 1}, share=1.0),),
    )

    build(person, pattern, days=20, twitches=200)

    forearm_days = {
        (TODAY - t.astimezone(LONDON).date()).days
        for t, location, _ in journal_of(person)
        if location == "forearm"
    }
    assert forearm_days == set(range(5, 10))
