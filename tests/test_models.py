"""Model invariants: migrations match the models, and the database enforces the ranges."""

from datetime import date, timedelta
from decimal import Decimal
from io import StringIO

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import IntegrityError, transaction
from django.utils import timezone

from journal.models import (
    DailyCheckIn,
    SymptomEntry,
    TwitchEntry,
    caffeine_from_servings,
    validate_reassured_on,
)

pytestmark = pytest.mark.django_db


def test_migrations_match_the_models():
    out = StringIO()
    call_command("makemigrations", "--check", "--dry-run", stdout=out)
    assert "No changes detected" in out.getvalue()


@pytest.mark.parametrize(
    ("model", "fields"),
    [
        pytest.param(TwitchEntry, {"intensity": 4}, id="twitch-intensity-over-3"),
        pytest.param(TwitchEntry, {"duration_seconds": 86_401}, id="twitch-duration-over-a-day"),
        pytest.param(TwitchEntry, {"location": "elbw"}, id="twitch-unknown-location"),
        pytest.param(SymptomEntry, {"severity": 0}, id="symptom-severity-under-1"),
        pytest.param(SymptomEntry, {"kind": "fever"}, id="symptom-unknown-kind"),
        pytest.param(DailyCheckIn, {"stress": 6}, id="checkin-stress-over-5"),
        pytest.param(DailyCheckIn, {"sleep_hours": 25}, id="checkin-sleep-over-24"),
        pytest.param(DailyCheckIn, {"coffee_cups": 21}, id="checkin-coffee-over-20"),
        pytest.param(DailyCheckIn, {"energy_drinks": -1}, id="checkin-energy-under-0"),
        pytest.param(DailyCheckIn, {"other_caffeine_mg": 2001}, id="checkin-other-mg-over-2000"),
        pytest.param(
            DailyCheckIn,
            {"coffee_cups": 20, "tea_cups": 3},
            id="checkin-caffeine-adding-up-over-2000",
        ),
    ],
)
def test_database_refuses_values_out_of_range(user, model, fields):
    defaults = {
        TwitchEntry: {"occurred_at": timezone.now(), "location": "calf"},
        SymptomEntry: {"noted_on": date.today(), "kind": "cramps"},
        DailyCheckIn: {"day": date.today()},
    }[model]
    with pytest.raises(IntegrityError), transaction.atomic():
        model.objects.create(user=user, **{**defaults, **fields})


def test_one_check_in_per_person_per_day(user, other_user):
    today = date.today()
    DailyCheckIn.objects.create(user=user, day=today)
    DailyCheckIn.objects.create(user=other_user, day=today)
    DailyCheckIn.objects.create(user=user, day=today - timedelta(days=1))
    with pytest.raises(IntegrityError), transaction.atomic():
        DailyCheckIn.objects.create(user=user, day=today)


def test_triggers_are_stored_one_row_each_and_replaced(user):
    entry = TwitchEntry.objects.create(user=user, occurred_at=timezone.now(), location="calf")
    entry.set_triggers(["stress", "caffeine"])
    entry.set_triggers(["caffeine", "poor_sleep"])
    assert entry.trigger_codes == ["caffeine", "poor_sleep"]


@pytest.mark.parametrize(
    ("days_after_today", "refused"),
    [
        pytest.param(None, False, id="no-date"),
        pytest.param(-400, False, id="long-ago"),
        pytest.param(0, False, id="today"),
        pytest.param(1, True, id="tomorrow"),
    ],
)
def test_a_reassurance_date_after_today_is_refused(days_after_today, refused):
    today = date(2025, 3, 31)
    day = None if days_after_today is None else today + timedelta(days=days_after_today)
    if refused:
        with pytest.raises(ValidationError, match="This date is in the future"):
            validate_reassured_on(day, today)
    else:
        validate_reassured_on(day, today)


@pytest.mark.parametrize(
    ("entered", "mg"),
    [
        ({}, None),  # not answered, which is not 0 mg
        ({"other_caffeine_mg": 0}, 0),
        ({"coffee_cups": Decimal("0")}, 0),
        ({"coffee_cups": Decimal("3"), "tea_cups": Decimal("1")}, 332),
        ({"coffee_cups": Decimal("1.5")}, 143),  # 142.5, half up as the page shows it
        ({"tea_cups": Decimal("0.5")}, 24),  # 23.5
        ({"energy_drinks": Decimal("2"), "other_caffeine_mg": 40}, 200),
        ({"coffee_cups": Decimal("20"), "other_caffeine_mg": 100}, 2000),
    ],
)
def test_caffeine_mg_is_worked_out_from_what_was_entered(entered, mg):
    assert caffeine_from_servings(**entered) == mg


def test_a_saved_check_in_works_its_caffeine_out_from_its_servings(user):
    checkin = DailyCheckIn.objects.create(
        user=user, day=date(2025, 3, 1), coffee_cups=Decimal("3"), tea_cups=Decimal("1")
    )
    assert DailyCheckIn.objects.get(pk=checkin.pk).caffeine_mg == 332

    checkin.tea_cups = None
    checkin.save(update_fields=["tea_cups"])
    assert DailyCheckIn.objects.get(pk=checkin.pk).caffeine_mg == 285


def test_the_database_keeps_a_caffeine_total_only_beside_what_it_came_from(user):
    # A bulk insert skips save(): a total with nothing entered, or entries without their
    # total, are refused by the database itself.
    for fields in ({"caffeine_mg": 300}, {"coffee_cups": 1}):
        with pytest.raises(IntegrityError), transaction.atomic():
            DailyCheckIn.objects.bulk_create([DailyCheckIn(user=user, day=date.today(), **fields)])
