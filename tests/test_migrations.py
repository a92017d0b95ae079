"""journal/migrations: a migration keeps what people have already saved."""

from datetime import UTC, date, datetime

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

pytestmark = pytest.mark.django_db(transaction=True)


def _migrate(target):
    """Bring the database to ``target`` (a list of nodes); its models at that point."""
    executor = MigrationExecutor(connection)
    executor.migrate(target)
    executor.loader.build_graph()
    return executor.loader.project_state(target).apps


def _servings_migration():
    graph = MigrationExecutor(connection).loader.graph
    node = next(
        key for key in graph.nodes if key[0] == "journal" and key[1].endswith("_checkin_servings")
    )
    before = [parent for parent in graph.node_map[node].parents if parent.key[0] == "journal"]
    return node, before[0].key, graph.leaf_nodes()


def test_check_ins_saved_before_servings_keep_their_total_as_other_mg():
    servings, before, latest = _servings_migration()
    try:
        apps = _migrate([before])
        person = apps.get_model("auth", "User").objects.create(username="ada@example.com")
        old = apps.get_model("journal", "DailyCheckIn").objects
        old.create(user=person, day=date(2025, 3, 1), caffeine_mg=332, stress=2)
        old.create(user=person, day=date(2025, 3, 2), caffeine_mg=0)
        old.create(user=person, day=date(2025, 3, 3), stress=4)

        apps = _migrate([servings])

        rows = apps.get_model("journal", "DailyCheckIn").objects.order_by("day")
        assert list(
            rows.values_list(
                "coffee_cups", "tea_cups", "energy_drinks", "other_caffeine_mg", "caffeine_mg"
            )
        ) == [
            (None, None, None, 332, 332),
            (None, None, None, 0, 0),
            (None, None, None, None, None),
        ]
    finally:
        _migrate(latest)


def test_twitches_saved_before_local_dates_are_placed_in_their_persons_zone():
    latest = MigrationExecutor(connection).loader.graph.leaf_nodes()
    try:
        apps = _migrate([("journal", "0003_pendingimport")])
        users = apps.get_model("auth", "User").objects
        profiles = apps.get_model("journal", "Profile").objects
        twitches = apps.get_model("journal", "TwitchEntry").objects
        york = users.create(username="york@example.com")
        profiles.create(user=york, time_zone="America/New_York")
        delhi = users.create(username="delhi@example.com")
        profiles.create(user=delhi, time_zone="Asia/Kolkata")
        # 03:30 UTC on 2 March: 22:30 on 1 March in New York, 09:00 on 2 March in Kolkata.
        moment = datetime(2025, 3, 2, 3, 30, tzinfo=UTC)
        for person in (york, delhi):
            twitches.create(user=person, occurred_at=moment, location="calf")

        apps = _migrate([("journal", "0005_twitch_local_time_flag_state")])

        rows = apps.get_model("journal", "TwitchEntry").objects.order_by("user__username")
        assert list(
            rows.values_list("user__username", "local_date", "local_hour", "utc_offset_minutes")
        ) == [
            ("delhi@example.com", date(2025, 3, 2), 9, 330),
            ("york@example.com", date(2025, 3, 1), 22, -300),
        ]
    finally:
        _migrate(latest)
