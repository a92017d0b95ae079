"""``manage.py benchmark``: it runs end to end on a tiny journal and leaves nothing behind.

The timings themselves are never asserted (they depend on the machine); what is
checked is that every endpoint is measured, that the figures are there, and that
the throwaway database is gone afterwards, on SQLite and on PostgreSQL alike.
"""

import json
from io import StringIO
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.db import connection

from journal.management.tools import benchmark

ENDPOINTS = [
    "floor",
    "home",
    "log_get",
    "log_post",
    "journal",
    "trends_90",
    "trends_all",
    "flags",
    "history",
    "pdf_90",
    "pdf_365",
    "csv",
]


@pytest.fixture(scope="module")
def tiny_run(django_db_setup, django_db_blocker, tmp_path_factory):
    """Run the command once at 1% of the data, one run per page: (report, printed table).

    The command makes and drops its own database, so it runs outside any test's
    transaction; ``django_db_setup`` makes sure the test database it must hand the
    connection back to exists.
    """
    path = tmp_path_factory.mktemp("benchmark") / "benchmark.json"
    out, err = StringIO(), StringIO()
    with django_db_blocker.unblock():
        call_command(
            "benchmark",
            "--scale",
            "0.01",
            "--repeat",
            "1",
            "--json",
            str(path),
            stdout=out,
            stderr=err,
        )
    return json.loads(path.read_text()), out.getvalue()


@pytest.mark.django_db
def test_benchmark_measures_every_endpoint_with_figures(tiny_run):
    report, _ = tiny_run
    results = {row["key"]: row for row in report["results"]}
    assert list(results) == ENDPOINTS
    for key, row in results.items():
        assert row["available"], key
        assert row["runs"] >= 1, key
        assert 0 < row["median_ms"] <= row["p95_ms"], key
        assert row["floor_ratio"] > 0, key
        assert row["peak_mb"] > 0, key
        assert row["queries_new"] >= 1, key
        assert row["queries_light"] >= 1, key
    # Every page reads at least the session and the signed-in person.
    assert all(row["queries"] >= 2 for key, row in results.items() if key != "history")
    assert results["floor"]["floor_ratio"] == 1.0
    assert results["pdf_365"]["bytes"] > 0
    assert results["csv"]["streaming"] is True


@pytest.mark.django_db
def test_benchmark_fills_the_dense_journal_to_scale(tiny_run):
    report, _ = tiny_run
    dense = report["data"]["dense_person"]
    assert dense["twitches"] == 150
    assert dense["symptoms"] == 3
    assert dense["checkins"] == 7
    # About one and a half triggers per twitch.
    assert 150 <= dense["triggers"] <= 300
    assert report["data"]["light_people"] == 1
    assert report["data"]["light_twitches"] == benchmark.LIGHT_TWITCHES


@pytest.mark.django_db
def test_benchmark_prints_the_table_and_every_target(tiny_run):
    report, printed = tiny_run
    assert "median ms" in printed
    assert "x floor" in printed
    for row in report["results"]:
        assert row["label"] in printed
    for target in report["targets"]:
        assert target["name"] in printed
    assert {target["met"] for target in report["targets"]} <= {True, False}


@pytest.mark.django_db
def test_benchmark_leaves_no_database_behind(tiny_run):
    report, _ = tiny_run
    name = report["database"]["name"]
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT datname FROM pg_database WHERE datname LIKE 'twitchlog_bench_%%'"
            )
            assert cursor.fetchall() == []
    else:
        assert not Path(name).parent.exists()
    # The test database is back in place, without the benchmark's people.
    assert connection.settings_dict["NAME"] != name
    assert not get_user_model().objects.filter(email__endswith="@benchmark.invalid").exists()


def test_benchmark_refuses_a_scale_of_zero():
    with pytest.raises(CommandError, match="scale"):
        call_command("benchmark", "--scale", "0")


def _result(key, kind, median_ms, **figures):
    """A measured result; the floor is 2 ms unless ``floor_ratio`` says otherwise."""
    defaults = {"queries": 4, "queries_new": 4, "queries_light": 4}
    defaults |= {"peak_mb": 1.0, "peak_mb_new": 1.0, "floor_ratio": median_ms / 2.0}
    return benchmark.Result(
        key,
        key,
        kind,
        True,
        runs=5,
        median_ms=median_ms,
        p95_ms=median_ms,
        **{**defaults, **figures},
    )


def _all_met_results():
    return [
        _result("floor", "floor", 2.0),
        _result("home", "page", 19.0),
        _result("history", "call", 6.0, queries=3, queries_new=3, queries_light=3),
        _result("pdf_365", "pdf", 250.0, peak_mb=40.0),
        _result("csv", "csv", 110.0, peak_mb=1.5, peak_mb_new=0.5, streaming=True, bytes=100),
    ]


def test_targets_are_met_when_every_figure_is_within_them():
    targets = benchmark.check_targets(_all_met_results())
    assert [target.met for target in targets] == [True] * 6


def test_targets_name_the_page_over_ten_times_the_floor_and_differing_queries():
    results = _all_met_results()
    results[1] = _result("home", "page", 21.0, queries=9, queries_new=4)  # 10.5x a 2 ms floor
    targets = {target.name.split(" ")[0]: target for target in benchmark.check_targets(results)}
    assert targets["every"].met is False
    assert targets["every"].detail == "over: home (10.5x)"
    assert targets["query"].met is False
    assert targets["query"].detail == "differ: home; grow with the journal: home"


def test_history_is_held_to_three_times_the_floor_and_the_csv_to_sixty():
    results = _all_met_results()
    results[2] = _result("history", "call", 6.2, queries=3, queries_new=3, queries_light=3)
    results[4] = _result(
        "csv", "csv", 121.0, peak_mb=1.5, peak_mb_new=0.5, streaming=True, bytes=100
    )
    targets = {target.name.split(" ")[0]: target for target in benchmark.check_targets(results)}
    assert targets["history"].met is False
    assert targets["history"].detail == "3.1x the floor"
    csv_ratio = next(t for t in benchmark.check_targets(results) if "60x" in t.name)
    assert csv_ratio.met is False
    assert csv_ratio.detail == "60.5x the floor"


def test_a_count_lower_only_for_an_empty_journal_is_told_apart_from_one_that_grows():
    results = _all_met_results()
    # One query fewer for an empty journal, the same for a light and a dense one.
    results[1] = _result("home", "page", 5.0, queries=5, queries_new=4, queries_light=5)
    targets = {target.name.split(" ")[0]: target for target in benchmark.check_targets(results)}
    assert targets["query"].met is False
    assert targets["query"].detail == (
        "differ: home; dense and light journals take the same number everywhere"
    )


def test_targets_miss_a_slow_pdf_and_an_export_that_grows_with_the_journal():
    results = _all_met_results()
    results[3] = _result("pdf_365", "pdf", 320.0, peak_mb=40.0)
    results[4] = _result("csv", "csv", 6.0, peak_mb=9.0, peak_mb_new=0.5, streaming=True, bytes=1)
    targets = {target.name.split(" ")[0]: target for target in benchmark.check_targets(results)}
    assert targets["1-year"].met is False
    assert targets["1-year"].detail == "320 ms, 40.0 MB"
    memory = next(t for t in benchmark.check_targets(results) if "memory" in t.name)
    assert memory.met is False


def test_percentile_is_the_nearest_rank():
    samples = [float(n) for n in range(1, 21)]  # 1..20
    assert benchmark.percentile(samples, 0.95) == 19.0
    assert benchmark.percentile(samples, 0.5) == 10.0
    assert benchmark.percentile([4.0], 0.95) == 4.0
