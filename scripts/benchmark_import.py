"""The largest work one request can ask for, timed: a 200,000-row import and a 5-year PDF.

    DEBUG=true .venv/bin/python scripts/benchmark_import.py            # SQLite
    DATABASE_URL=postgres://... DEBUG=true .venv/bin/python scripts/benchmark_import.py
    ... scripts/benchmark_import.py --rows 50000                       # a smaller file
    ... scripts/benchmark_import.py --only pdf                         # the PDFs alone

On a throwaway database (as ``manage.py benchmark`` makes: SQLite, or PostgreSQL with
DATABASE_URL; removed after), in this order:

The PDFs. One person with five years of dense logging (the benchmark's dense density,
about 20 twitches a day: some 37,500 twitches, 750 symptoms and 1,750 check-ins) asks
/report.pdf for the whole five years, as the summary page's form sends it, through
Django's test client: once as it is, once with "include every entry" (which lists the
latest REPORT_EVERY_ENTRY_CAP twitches). Each is asked once to warm up, ``--pdf-runs``
times for the timings (the median is shown), then once more under ``tracemalloc`` for
the peak of the Python heap above where the request started.

The import. A CSV of ``--rows`` twitches (200,000 by default: about 16 MB, under the
20 MB upload limit) imported into a new person's journal, timing each request's work as
the import views do it:

- check: the file read and checked whole, the preview worked out, the rows kept;
- confirm: the kept rows written, in batches, in one transaction;
- again: the same file checked a second time (it adds nothing, so nothing is kept).

Each step and each PDF must finish well inside gunicorn's 30 s worker timeout
(deploy/gunicorn.conf.py): the script fails when one takes over half of it. CPU seconds
(this process's, and a local PostgreSQL server's for its connection, shown apart as
"server s" too) say what a step costs on a machine busy with other work, where the wall
clock does not. "peak MB" is
the process's resident high-water mark (ru_maxrss) after each step, beside where it
started; the PDFs run first, so theirs is not the import's.
DEBUG=true only lets Django start without a SECRET_KEY: everything runs with DEBUG off.
"""

import argparse
import csv
import gc
import os
import random
import re
import resource
import statistics
import sys
import tempfile
import time
import tracemalloc
from datetime import UTC, datetime, timedelta
from pathlib import Path

import django

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "twitchlog.settings")
django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.auth import get_user_model  # noqa: E402
from django.core.files.uploadedfile import UploadedFile  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import override_settings  # noqa: E402

from journal import body, exports, history  # noqa: E402
from journal.management.tools.benchmark import (  # noqa: E402
    DENSE_TIME_ZONE,
    fill_dense,
    throwaway_database,
)
from journal.models import TwitchEntry  # noqa: E402

WORKER_TIMEOUT_SECONDS = 30
PDF_YEARS = 5
PDF_DAYS = 1826  # five years, a leap day among them
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
    """Run ``work``, adding (label, seconds, CPU seconds, the server's share of them, peak
    MB, heap MB) to ``results`` (the heap's peak is measured for the PDFs alone); returns
    what ``work`` returned."""
    started, cpu_started = time.perf_counter(), time.process_time()
    server_started = database_cpu_seconds()
    value = work()
    seconds = time.perf_counter() - started
    server = database_cpu_seconds() - server_started
    cpu = time.process_time() - cpu_started + server
    results.append((label, seconds, cpu, server, peak_mb(), None))
    return value


def pdf_pages(pdf: bytes) -> int:
    return len(re.findall(rb"/Type /Page\b(?!s)", pdf))


def time_pdfs(runs: int, results: list) -> None:
    """The 5-year PDF of a dense journal, without and with every entry (see above)."""
    person = get_user_model().objects.create_user("pdf@example.com", password=None)
    person.profile.time_zone = DENSE_TIME_ZONE
    person.profile.save()
    started = time.perf_counter()
    counts = fill_dense(random.Random(8), person, days=PDF_DAYS)
    print(
        f"{PDF_YEARS} years of dense logging: {counts['twitches']:,} twitches, "
        f"{counts['symptoms']:,} symptoms, {counts['checkins']:,} check-ins "
        f"(written in {time.perf_counter() - started:.0f} s)"
    )
    today = history.local_today(person)
    start = today - timedelta(days=PDF_DAYS - 1)
    client = Client()
    client.force_login(person)
    cap = settings.REPORT_EVERY_ENTRY_CAP
    for label, every in ((f"PDF {PDF_YEARS} y", False), (f"PDF +{cap:,}", True)):
        query = {"start": start.isoformat(), "end": today.isoformat()}
        if every:
            query["every_entry"] = "on"

        def ask(query=query):
            response = client.get("/report.pdf", query)
            expect(response.status_code == 200, f"/report.pdf answered {response.status_code}")
            return response.content

        pdf = ask()
        timings = []
        for _ in range(runs):
            timed(label, ask, timings)
        gc.collect()
        tracemalloc.start()
        try:
            heap_before = tracemalloc.get_traced_memory()[0]
            ask()
            heap_peak = (tracemalloc.get_traced_memory()[1] - heap_before) / 1_000_000
        finally:
            tracemalloc.stop()
        seconds = statistics.median(t[1] for t in timings)
        cpu = statistics.median(t[2] for t in timings)
        server = statistics.median(t[3] for t in timings)
        results.append((label, seconds, cpu, server, peak_mb(), heap_peak))
        print(f"{label}: {pdf_pages(pdf)} pages, {len(pdf) / 1_000_000:.1f} MB")


def run(rows: int, only: str, pdf_runs: int) -> list:
    results = []
    with tempfile.TemporaryDirectory(prefix="twitchlog-import-") as folder:
        path = Path(folder) / "journal.csv"
        with (
            throwaway_database() as database,
            override_settings(
                DEBUG=False,
                ALLOWED_HOSTS=[*settings.ALLOWED_HOSTS, "testserver"],
                STATIC_ROOT=folder,  # the PDF needs no static files; this one is empty
                # Asked for again and again on purpose: the per-person limits are lifted.
                PERSON_LIMITS=dict.fromkeys(settings.PERSON_LIMITS, "1000000/h"),
            ),
        ):
            print(f"on a throwaway {database.vendor} database; memory before: {peak_mb():.0f} MB")
            if only != "import":
                time_pdfs(pdf_runs, results)
            if only == "pdf":
                return results
            write_csv(path, rows)
            print(f"{rows:,} twitches, {path.stat().st_size / 1_000_000:.1f} MB of CSV")
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
    parser.add_argument("--only", choices=("import", "pdf"), help="time one of the two")
    parser.add_argument("--pdf-runs", type=int, default=3, help="timed runs of each PDF")
    options = parser.parse_args()
    results = run(options.rows, options.only, options.pdf_runs)
    # CPU seconds are this process's and, for PostgreSQL on this machine, its server
    # process's: on a busy machine the wall clock also counts the time others had the
    # processor, so this is what the same work takes on an idle one (I/O aside).
    print(f"{'step':<12} {'seconds':>8} {'CPU s':>8} {'server s':>9} {'peak MB':>8} {'heap MB':>8}")
    for label, seconds, cpu, server, peak, heap in results:
        heap_text = "-" if heap is None else f"{heap:.0f}"
        print(f"{label:<12} {seconds:>8.1f} {cpu:>8.1f} {server:>9.1f} {peak:>8.0f} {heap_text:>8}")
    slowest = max(seconds for _, seconds, *_ in results)
    if slowest > WORKER_TIMEOUT_SECONDS / 2:
        print(f"Too slow: a step took {slowest:.1f} s, over half the worker timeout.")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
