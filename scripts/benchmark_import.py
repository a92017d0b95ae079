"""How long importing a large CSV takes, and how much memory it needs, step by step.

    DEBUG=true .venv/bin/python scripts/benchmark_import.py            # SQLite
    DATABASE_URL=postgres://... DEBUG=true .venv/bin/python scripts/benchmark_import.py
    ... scripts/benchmark_import.py --rows 50000                       # a smaller file

Writes a CSV of ``--rows`` twitches (200,000 by default: about 16 MB, under the 20 MB
upload limit) and imports it into one person's journal on a throwaway database (as
``manage.py benchmark`` makes: SQLite, or PostgreSQL with DATABASE_URL; removed after),
timing each request's work as the import views do it:

- check: the file read and checked whole, the preview worked out, the rows kept;
- confirm: the kept rows written, in batches, in one transaction;
- again: the same file checked a second time (it adds nothing, so nothing is kept).

Each step must finish well inside gunicorn's 30 s worker timeout. CPU seconds (this
process's, and a local PostgreSQL server's for its connection) say what a step costs
on a machine busy with other work, where the wall clock does not. Peak memory is the
process's resident high-water mark (ru_maxrss) after each step, beside where it started.
DEBUG=true only lets Django start without a SECRET_KEY: the steps run with DEBUG off.
"""

import argparse
import csv
import os
import resource
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import django

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "twitchlog.settings")
django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.core.files.uploadedfile import UploadedFile  # noqa: E402
from django.db import connection  # noqa: E402
from django.test.utils import override_settings  # noqa: E402

from journal import body, exports  # noqa: E402
from journal.management.tools.benchmark import throwaway_database  # noqa: E402
from journal.models import TwitchEntry  # noqa: E402

WORKER_TIMEOUT_SECONDS = 30
LOCATIONS = [code for code, _ in body.TWITCH_LOCATIONS]
SIDES = ["left", "right", "both", ""]
TRIGGERS = [code for code, _ in body.TRIGGERS]
NOTES = ["", "", "", "after coffee", "while reading, stopped after a minute"]


def write_csv(path: Path, rows: int) -> None:
    """``rows`` twitches over the last two years, as an export holds them."""
    end = datetime.now(UTC) - timedelta(hours=1)
    step = timedelta(days=730) / rows
    with path.open("w", newline="", encoding="utf-8") as out:
        writer = csv.DictWriter(out, fieldnames=exports.CSV_COLUMNS)
        writer.writeheader()
        for index in range(rows):
            writer.writerow(
                {
                    "type": "twitch",
                    "occurred_at": (end - step * index).isoformat(timespec="seconds"),
                    "location": LOCATIONS[index % len(LOCATIONS)],
                    "side": SIDES[index % len(SIDES)],
                    "duration_seconds": str(index % 120) if index % 3 else "",
                    "intensity": str(index % 3 + 1),
                    "triggers": ";".join(TRIGGERS[index % 7 : index % 7 + index % 3]),
                    "notes": NOTES[index % len(NOTES)],
                }
            )


def database_cpu_seconds() -> float:
    """CPU seconds of this connection's PostgreSQL server process so far, when it runs on
    this machine (0 for SQLite, which works inside this process)."""
    if connection.vendor != "postgresql":
        return 0.0
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        pid = cursor.fetchone()[0]
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def upload(path: Path) -> UploadedFile:
    """The file as an upload over 2.5 MB reaches a view: on disk, read as it goes."""
    return UploadedFile(path.open("rb"), name="journal.csv", size=path.stat().st_size)


def expect(holds: bool, what: str) -> None:
    if not holds:
        raise SystemExit(f"The import went wrong: {what}")


def timed(label: str, work, results: list):
    started, cpu_started = time.perf_counter(), time.process_time() + database_cpu_seconds()
    value = work()
    seconds = time.perf_counter() - started
    cpu = time.process_time() + database_cpu_seconds() - cpu_started
    results.append((label, seconds, cpu, peak_mb()))
    return value


def run(rows: int) -> list:
    results = []
    with tempfile.TemporaryDirectory(prefix="twitchlog-import-") as folder:
        path = Path(folder) / "journal.csv"
        write_csv(path, rows)
        print(f"{rows:,} twitches, {path.stat().st_size / 1_000_000:.1f} MB of CSV")
        with throwaway_database() as database, override_settings(DEBUG=False):
            print(f"on a throwaway {database.vendor} database; memory before: {peak_mb():.0f} MB")
            person = get_user_model().objects.create_user("bench@example.com", password=None)

            def check():
                checked = exports.check_file(person, upload(path))
                expect(checked.ok, f"the file was refused: {checked.result.errors[:3]}")
                preview = exports.preview(person, checked)
                return exports.keep(person, checked), preview.new_count

            token, new = timed("check", check, results)
            expect(new == rows, f"the preview offers {new:,} new twitches")
            result = timed(
                "confirm",
                lambda: exports.confirm(person, token, replace_profile=False),
                results,
            )
            expect(result is not None, "the kept preview was not found")
            expect(result.added["twitch"] == rows, f"it added {result.added}")
            again = timed(
                "again",
                lambda: exports.preview(person, exports.check_file(person, upload(path))),
                results,
            )
            expect(again.new_count == 0, f"again, it offers {again.new_count:,} new entries")
            expect(again.skipped_count == rows, f"again, it skips {again.skipped_count:,}")
            stored = TwitchEntry.objects.filter(user=person).count()
            expect(stored == rows, f"the journal holds {stored:,} twitches")
    return results


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=200_000)
    rows = parser.parse_args().rows
    results = run(rows)
    # CPU seconds are this process's and, for PostgreSQL on this machine, its server
    # process's: on a busy machine the wall clock also counts the time others had the
    # processor, so this is what the same work takes on an idle one (I/O aside).
    print(f"{'step':<8} {'seconds':>8} {'CPU s':>8} {'peak MB':>8}")
    for label, seconds, cpu, peak in results:
        print(f"{label:<8} {seconds:>8.1f} {cpu:>8.1f} {peak:>8.0f}")
    slowest = max(seconds for _, seconds, _, _ in results)
    if slowest > WORKER_TIMEOUT_SECONDS / 2:
        print(f"Too slow: a step took {slowest:.1f} s, over half the worker timeout.")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
