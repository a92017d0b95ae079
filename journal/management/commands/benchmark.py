"""``manage.py benchmark``: how fast the journal stays for two years of heavy logging.

Builds a throwaway database (SQLite, or PostgreSQL when DATABASE_URL is set), fills
it with one dense journal and fifty lighter ones, measures every page in-process,
prints a table of median and p95 milliseconds, queries, peak memory and each
page's ratio to the floor, checks the targets, and removes the database again.
"""

import json
import os
import platform
import signal
import threading
import time
from datetime import UTC, datetime
from pathlib import Path

import django
from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from journal.management.tools import benchmark


def _positive_float(value: str) -> float:
    number = float(value)
    if number <= 0:
        raise ValueError(value)
    return number


def _positive_int(value: str) -> int:
    number = int(value)
    if number < 1:
        raise ValueError(value)
    return number


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown CPU"


class Command(BaseCommand):
    help = (
        "Measure every page for one person with two years of dense data, on a throwaway "
        "database that is removed afterwards. Prints a table; --json writes it to a file."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--scale",
            type=_positive_float,
            default=1.0,
            help="Multiply the amount of data (1.0: 15,000 twitches and 50 lighter people).",
        )
        parser.add_argument(
            "--repeat",
            type=_positive_int,
            default=30,
            help="Timed runs per page (a third of that for PDFs), after two warm-up runs.",
        )
        parser.add_argument("--seed", type=int, default=8, help="Seed of the data generator.")
        parser.add_argument("--json", dest="json_path", help="Also write the results here.")

    def handle(self, *args, scale, repeat, seed, json_path, **options):
        started = time.perf_counter()
        terminated = []

        def stop(signum, frame):
            # SIGTERM ends the run as Ctrl-C does: through the `finally` that drops
            # the database. Inside an SQLite function the exit turns into a database
            # error, hence the note of it here.
            terminated.append(signum)
            raise SystemExit(128 + signum)

        in_main_thread = threading.current_thread() is threading.main_thread()
        previous_handler = signal.signal(signal.SIGTERM, stop) if in_main_thread else None
        try:
            report = self._run(scale, repeat, seed)
        except benchmark.BenchmarkError as error:
            if terminated:
                raise CommandError("Stopped; the throwaway database is removed.") from error
            raise CommandError(str(error)) from error
        finally:
            if in_main_thread:
                signal.signal(signal.SIGTERM, previous_handler)
        report["total_seconds"] = round(time.perf_counter() - started, 1)

        self.stdout.write(self._text(report))
        if json_path:
            Path(json_path).write_text(json.dumps(report, indent=2) + "\n")
            self.stderr.write(f"Wrote {json_path}")

    def _run(self, scale: float, repeat: int, seed: int) -> dict:
        with benchmark.throwaway_database() as database:
            self.stderr.write(f"Created a throwaway {database.vendor} database: {database.name}")
            with benchmark.production_settings(database.workdir):
                filling = time.perf_counter()
                people = benchmark.populate(scale=scale, seed=seed)
                fill_seconds = time.perf_counter() - filling
                self.stderr.write(f"Filled it in {fill_seconds:.1f} s; measuring:")
                actors = {
                    role: benchmark.Actor(getattr(people, role)).sign_in()
                    for role in ("dense", "new", "light")
                }
                endpoints = benchmark.build_endpoints(people.dense)
                results = benchmark.measure(endpoints, actors, repeat, self.stderr.write)
                vendor = connection.display_name
                version = ".".join(map(str, connection.get_database_version()))
        self.stderr.write("Removed the throwaway database.")
        return {
            "date": datetime.now(UTC).isoformat(timespec="seconds"),
            "machine": {
                "cpus": os.cpu_count(),
                "cpu": _cpu_model(),
                "platform": platform.platform(),
                "python": platform.python_version(),
                "django": django.get_version(),
            },
            "database": {
                "vendor": vendor,
                "version": version,
                "name": database.name,
            },
            "scale": scale,
            "repeat": repeat,
            "seed": seed,
            "data": {
                "dense_person": {
                    key: people.counts[key]
                    for key in ("twitches", "triggers", "symptoms", "checkins")
                },
                "dense_days": benchmark.DENSE_DAYS,
                "light_people": people.light_count,
                "light_twitches": people.counts["light_twitches"],
                "fill_seconds": round(fill_seconds, 1),
            },
            "results": [result.as_dict() for result in results],
            "targets": [vars(target) for target in benchmark.check_targets(results)],
        }

    def _text(self, report: dict) -> str:
        machine, data, dense = report["machine"], report["data"], report["data"]["dense_person"]
        results = [benchmark.Result(**_fields(row)) for row in report["results"]]
        targets = [benchmark.Target(**row) for row in report["targets"]]
        return "\n".join(
            [
                f"TwitchLog benchmark, {report['date']}",
                f"Machine: {machine['cpus']} CPUs ({machine['cpu']}), {machine['platform']}, "
                f"Python {machine['python']}, Django {machine['django']}",
                f"Database: {report['database']['vendor']} {report['database']['version']}",
                f"Dense person: {dense['twitches']:,} twitches ({dense['triggers']:,} triggers), "
                f"{dense['symptoms']:,} symptoms, {dense['checkins']:,} check-ins over "
                f"{data['dense_days']} days; {data['light_people']} lighter people with "
                f"{data['light_twitches']:,} twitches; filled in {data['fill_seconds']} s.",
                f"Median and p95 of {report['repeat']} runs ({max(1, report['repeat'] // 3)} "
                "for PDFs) after warm-up. Queries and peak MB (Python heap, tracemalloc) for "
                "the dense person, a new one with an empty journal, and (queries) a lighter "
                "one; 'same' compares dense and new.",
                "",
                benchmark.format_table(results),
                "",
                "Targets:",
                benchmark.format_targets(targets),
                f"Total time: {report['total_seconds']} s",
                "",
            ]
        )


def _fields(row: dict) -> dict:
    return {key: value for key, value in row.items() if key != "queries_match"}
