"""journal/migrations: a migration keeps what people have already saved."""

from datetime import date

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
