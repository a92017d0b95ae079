"""history.py: journal rows become a rules.History, by the person's local day, in few queries."""

import zoneinfo
from datetime import UTC, date, datetime, timedelta

import pytest
import time_machine

from journal import rules
from journal.history import LOOKBACK_DAYS, build_history, local_today, window_start
from journal.models import SymptomEntry, TwitchEntry

pytestmark = pytest.mark.django_db

BOGOTA = zoneinfo.ZoneInfo("America/Bogota")  # UTC-5 all year
NEW_YORK = zoneinfo.ZoneInfo("America/New_York")
TODAY = date(2025, 3, 31)
START = window_start(TODAY)  # 2025-01-01


def at(day: date, hour: int = 12, minute: int = 0, tz=BOGOTA) -> datetime:
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=tz)


def add_twitch(user, when: datetime, location: str = "calf", **fields) -> TwitchEntry:
    return TwitchEntry.objects.create(user=user, occurred_at=when, location=location, **fields)


def add_symptom(user, day: date, kind: str = "weakness", **fields) -> SymptomEntry:
    return SymptomEntry.objects.create(user=user, noted_on=day, kind=kind, **fields)


@pytest.fixture
def bogota_user(make_user):
    return make_user(email="lucia@example.com", time_zone="America/Bogota")


def test_window_is_the_ninety_days_ending_today():
    assert LOOKBACK_DAYS == 90
    assert window_start(TODAY) == date(2025, 1, 1)
    assert (TODAY - START).days == LOOKBACK_DAYS - 1


def test_twitch_at_half_past_eleven_at_night_counts_on_its_local_day(bogota_user):
    # 23:30 in Bogota is 04:30 UTC on the next day.
    entry = add_twitch(bogota_user, at(date(2025, 3, 20), 23, 30), side="left", intensity=3)
    assert entry.occurred_at.astimezone(UTC).date() == date(2025, 3, 21)

    history = build_history(bogota_user, TODAY)

    assert history.twitches == (
        rules.TwitchRecord(day=date(2025, 3, 20), location="calf", entry_id=entry.pk),
    )


def test_late_evening_twitches_on_two_local_days_make_two_twitch_days(bogota_user):
    add_twitch(bogota_user, at(date(2025, 3, 20), 23, 30))
    add_twitch(bogota_user, at(date(2025, 3, 21), 0, 30))

    days = [record.day for record in build_history(bogota_user, TODAY).twitches]

    assert days == [date(2025, 3, 20), date(2025, 3, 21)]


def test_local_days_stay_right_across_the_spring_daylight_saving_change(make_user):
    person = make_user(email="nyc@example.com", time_zone="America/New_York")
    # Clocks went forward on 2025-03-09: 23:30 is UTC-4 that night, UTC-5 the night before.
    before = add_twitch(person, at(date(2025, 3, 8), 23, 30, tz=NEW_YORK))
    after = add_twitch(person, at(date(2025, 3, 9), 23, 30, tz=NEW_YORK))

    records = build_history(person, TODAY).twitches

    assert [(r.day, r.entry_id) for r in records] == [
        (date(2025, 3, 8), before.pk),
        (date(2025, 3, 9), after.pk),
    ]


def test_twitches_are_read_from_local_midnight_on_the_first_day_to_the_end_of_today(
    bogota_user,
):
    # The earliest kept day is 14 or more days after the window opens, so no earlier
    # day could join its episode and nothing before the window is read.
    first = START + timedelta(days=rules.EPISODE_GAP_DAYS)
    add_twitch(bogota_user, at(START - timedelta(days=1), 23, 59))
    kept_first = add_twitch(bogota_user, at(first, 0, 0))
    kept_last = add_twitch(bogota_user, at(TODAY, 23, 59))
    add_twitch(bogota_user, at(TODAY + timedelta(days=1), 0, 0))

    history = build_history(bogota_user, TODAY)

    assert [(r.entry_id, r.day) for r in history.twitches] == [
        (kept_first.pk, first),
        (kept_last.pk, TODAY),
    ]


def test_eyelid_twitches_are_read_for_the_whole_window(bogota_user):
    add_twitch(bogota_user, at(START, 8), location="eyelid")
    add_twitch(bogota_user, at(START - timedelta(days=1), 8), location="eyelid")

    history = build_history(bogota_user, TODAY)

    assert [(r.location, r.day) for r in history.twitches] == [("eyelid", START)]


def test_symptoms_are_read_from_the_first_day_of_the_window_to_today(bogota_user):
    add_symptom(bogota_user, START - timedelta(days=1))
    first = add_symptom(
        bogota_user, START, kind="speech", severity=2, onset="sudden", location="tongue"
    )
    last = add_symptom(bogota_user, TODAY, location="hand", side="right", severity=3)
    add_symptom(bogota_user, TODAY + timedelta(days=1))

    history = build_history(bogota_user, TODAY)

    assert history.symptoms == (
        rules.SymptomRecord(
            day=START,
            kind="speech",
            severity=2,
            onset="sudden",
            location="tongue",
            side=None,
            entry_id=first.pk,
        ),
        rules.SymptomRecord(
            day=TODAY,
            kind="weakness",
            severity=3,
            onset="gradual",
            location="hand",
            side="right",
            entry_id=last.pk,
        ),
    )


def test_another_persons_entries_are_never_read(bogota_user, other_user):
    add_twitch(other_user, at(TODAY, 9))
    add_symptom(other_user, TODAY)
    mine = add_twitch(bogota_user, at(TODAY, 9), location="hand")

    history = build_history(bogota_user, TODAY)

    assert [r.entry_id for r in history.twitches] == [mine.pk]
    assert history.symptoms == ()


@pytest.mark.parametrize(
    ("family_history", "expected"),
    [
        ("als_mnd", True),
        ("muscular_dystrophy", True),
        ("other_neuromuscular", True),
        ("unknown", False),
        ("none", False),
    ],
)
def test_family_history_counts_only_a_yes_answer(make_user, family_history, expected):
    person = make_user(family_history=family_history)
    assert build_history(person, TODAY).family_history is expected


def test_reassurance_date_comes_from_the_profile(make_user):
    person = make_user(reassured_on=date(2025, 2, 1))
    assert build_history(person, TODAY).reassured_on == date(2025, 2, 1)


def test_episode_reaches_back_before_the_window_across_gaps_of_up_to_fourteen_days(
    bogota_user,
):
    # Twitch-days, counted back from the window's first day; the 15-day gap ends the episode.
    add_twitch(bogota_user, at(START + timedelta(days=3), 10))
    joined = [START - timedelta(days=11), START - timedelta(days=25)]  # gaps of 14 and 14
    add_twitch(bogota_user, at(joined[0], 10), location="hand")
    add_twitch(bogota_user, at(joined[0], 11), location="hand")
    add_twitch(bogota_user, at(joined[0], 12), location="calf")
    add_twitch(bogota_user, at(joined[1], 23, 30), location="thigh_front")
    add_twitch(bogota_user, at(START - timedelta(days=18), 9), location="eyelid")
    add_twitch(bogota_user, at(START - timedelta(days=40), 9))  # 15 days before joined[1]
    add_twitch(bogota_user, at(START - timedelta(days=200), 9))

    history = build_history(bogota_user, TODAY)

    # Before the window, the days alone: the rules count days there, not places.
    assert history.earlier_days == (joined[1], joined[0])
    assert [(r.day, r.location) for r in history.twitches] == [(START + timedelta(days=3), "calf")]
    assert history.twitches[-1].entry_id is not None


def test_episode_before_the_window_makes_persistence_count_from_its_true_start(bogota_user):
    today = date(2025, 3, 31)
    start = window_start(today)
    for offset in (-20, -8, 5, 19, 33, 47, 61, 75, 89):
        add_twitch(bogota_user, at(start + timedelta(days=offset), 9))

    flags = rules.evaluate(build_history(bogota_user, today), today)

    persistence = next(flag for flag in flags if flag.rule == "PERSISTENCE")
    assert persistence.evidence[0].days[0] == start - timedelta(days=20)
    assert persistence.evidence[0].days[-1] == today
    assert "109 days" in persistence.message


@time_machine.travel(datetime(2025, 1, 15, 3, 0, tzinfo=UTC), tick=False)
def test_today_defaults_to_the_persons_local_date(bogota_user):
    # 03:00 UTC on Jan 15 is 22:00 on Jan 14 in Bogota.
    late = add_twitch(bogota_user, at(date(2025, 1, 14), 21, 0))

    history = build_history(bogota_user)

    assert local_today(bogota_user) == date(2025, 1, 14)
    assert [r.entry_id for r in history.twitches] == [late.pk]


def _fill_journal(user, size: int, today: date) -> None:
    """``size`` twitches in one unbroken episode that ends today and began before the window.

    A small journal has one twitch every 12 days; a big one several every day.
    """
    step, per_day = (12, 1) if size <= 100 else (1, -(-size // 1500))
    locations = ("calf", "hand", "thigh_front", "tongue", "upper_back")
    TwitchEntry.objects.bulk_create(
        TwitchEntry(
            user=user,
            occurred_at=at(today - timedelta(days=(n // per_day) * step), 8 + n % per_day),
            location=locations[n % len(locations)],
        )
        for n in range(size)
    )
    SymptomEntry.objects.bulk_create(
        SymptomEntry(user=user, noted_on=today - timedelta(days=n * 7), kind="cramps")
        for n in range(min(size, 200))
    )


@pytest.mark.parametrize("size", [10, 5000])
def test_building_a_history_takes_the_same_queries_for_10_or_5000_entries(
    bogota_user, django_user_model, django_assert_num_queries, size
):
    today = date(2025, 3, 31)
    _fill_journal(bogota_user, size, today)
    person = django_user_model.objects.get(pk=bogota_user.pk)

    # 1 profile, 2 twitches in the window, 3 symptoms in the window,
    # 4 the earlier days of the episode (grouped by local day, newest first).
    with django_assert_num_queries(4):
        history = build_history(person, today)

    first_day = TwitchEntry.objects.filter(user=person).earliest("occurred_at").occurred_at
    expected_start = first_day.astimezone(BOGOTA).date()
    persistence = next(f for f in rules.evaluate(history, today) if f.rule == "PERSISTENCE")
    assert persistence.evidence[0].days[0] == expected_start
    assert all(r.day >= window_start(today) for r in history.symptoms)


def test_a_journal_whose_episode_starts_inside_the_window_reads_no_earlier_day(
    bogota_user, django_user_model, django_assert_num_queries
):
    add_twitch(bogota_user, at(TODAY - timedelta(days=5), 9))
    add_twitch(bogota_user, at(START - timedelta(days=2), 9))
    person = django_user_model.objects.get(pk=bogota_user.pk)

    # 1 profile, 2 twitches, 3 symptoms, 4 the episode's earlier days (an empty walk).
    with django_assert_num_queries(4):
        history = build_history(person, TODAY)

    assert [r.day for r in history.twitches] == [TODAY - timedelta(days=5)]


def test_an_empty_journal_takes_the_same_four_queries_as_a_full_one(
    bogota_user, django_user_model, django_assert_num_queries
):
    person = django_user_model.objects.get(pk=bogota_user.pk)

    # 1 profile, 2 twitches, 3 symptoms, 4 the episode's earlier days: every journal
    # asks the same questions, and an empty one gets empty answers.
    with django_assert_num_queries(4):
        history = build_history(person, TODAY)

    assert (history.twitches, history.symptoms) == ((), ())


def test_recent_twitches_come_one_record_per_day_and_place_with_first_and_last_ids(
    bogota_user,
):
    day = TODAY - timedelta(days=2)
    calves = [add_twitch(bogota_user, at(day, hour)) for hour in (8, 12, 20)]
    hand = add_twitch(bogota_user, at(day, 9), location="hand")
    add_twitch(bogota_user, at(day, 10), location="hand", side="right")

    history = build_history(bogota_user, TODAY)

    # Sides never split a place for the rules. A place twitching several times that
    # day comes with its first and last entry, so evidence still reads "entries".
    assert [(r.day, r.location, r.entry_id) for r in history.twitches] == [
        (day, "calf", calves[0].pk),
        (day, "calf", calves[-1].pk),
        (day, "hand", hand.pk),
        (day, "hand", hand.pk + 1),
    ]


def test_older_days_of_the_window_come_as_one_record_for_the_eyelid_and_one_for_the_rest(
    bogota_user,
):
    # Before the last 28 days the rules count twitch-days, not places or regions.
    day = TODAY - timedelta(days=rules.WINDOW_DAYS + 5)
    first = add_twitch(bogota_user, at(day, 8), location="thigh_front")
    add_twitch(bogota_user, at(day, 9), location="calf")
    last = add_twitch(bogota_user, at(day, 10), location="hand")
    eyelid = add_twitch(bogota_user, at(day, 11), location="eyelid")

    history = build_history(bogota_user, TODAY)

    assert [(r.day, r.location, r.entry_id) for r in history.twitches] == [
        (day, "calf", first.pk),
        (day, "calf", last.pk),
        (day, "eyelid", eyelid.pk),
    ]


def test_the_episode_walk_finds_each_local_day_when_the_clocks_go_back_over_midnight(
    make_user,
):
    # St John's, Newfoundland, 7 November 2010: at 00:01 the clocks went back to 23:01
    # on the 6th, so a twitch an hour after one on the 7th is back on the 6th.
    tz = zoneinfo.ZoneInfo("America/St_Johns")
    person = make_user(email="nl@example.com", time_zone="America/St_Johns")
    today = date(2011, 2, 20)
    start = window_start(today)
    assert start == date(2010, 11, 23)
    add_twitch(person, datetime(start.year, start.month, start.day, 9, tzinfo=tz))
    add_twitch(person, datetime(2010, 11, 20, 9, tzinfo=tz))
    on_the_seventh = datetime(2010, 11, 7, 0, 0, 30, tzinfo=tz).astimezone(UTC)
    back_on_the_sixth = datetime(2010, 11, 6, 23, 30, tzinfo=tz, fold=1).astimezone(UTC)
    assert back_on_the_sixth - on_the_seventh == timedelta(minutes=29, seconds=30)
    add_twitch(person, on_the_seventh)
    add_twitch(person, back_on_the_sixth, location="hand")

    history = build_history(person, today)

    assert history.earlier_days == (date(2010, 11, 6), date(2010, 11, 7), date(2010, 11, 20))


def test_the_episode_walk_stops_at_the_first_gap_of_more_than_fourteen_days(bogota_user):
    add_twitch(bogota_user, at(START, 9))
    add_twitch(bogota_user, at(START - timedelta(days=14), 9))  # joins: 14 days
    add_twitch(bogota_user, at(START - timedelta(days=29), 9), location="eyelid")
    add_twitch(bogota_user, at(START - timedelta(days=29), 23, 59))  # 15 days: too far
    add_twitch(bogota_user, at(START - timedelta(days=35), 9))

    history = build_history(bogota_user, TODAY)

    assert history.earlier_days == (START - timedelta(days=14),)
    assert [r.day for r in history.twitches] == [START]
