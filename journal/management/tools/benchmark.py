"""The machinery behind ``manage.py benchmark``: a throwaway database, dense data, timings.

Three parts, used in this order by the command:

* ``throwaway_database()`` creates an empty, migrated database beside the configured
  one (a SQLite file in a temporary folder, or ``twitchlog_bench_<pid>`` on
  PostgreSQL), points the default connection at it, and always removes it again.
* ``populate()`` fills it: one person with two years of heavy logging (about 20
  twitches a day), fifty lighter people around them, and one new, empty person.
  The journals come from the one generator (``generator``), drawn from a seeded
  random generator, so every run builds the same journals relative to today.
* ``measure()`` asks each page in-process through Django's test client, as the
  person would: once to count queries, once under ``tracemalloc`` for peak memory,
  then ``repeat`` times with nothing attached for the timings.
"""

from __future__ import annotations

import contextlib
import copy
import gc
import math
import os
import random
import shutil
import statistics
import tempfile
import time
import tracemalloc
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass, field
from datetime import timedelta
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.db import connection, connections
from django.test import Client
from django.test.utils import CaptureQueriesContext, override_settings
from django.urls import Resolver404, resolve
from django.utils import timezone

from journal import history, rules
from journal.models import Profile

from . import generator

# The dense person of the issue: two years of logging about 20 twitches a day.
DENSE_DAYS = 730
DENSE_TWITCHES = 15_000
DENSE_SYMPTOMS = 300
DENSE_CHECKINS = 700
DENSE_TIME_ZONE = "Europe/London"

# The lighter people sharing the server: a few twitches a day for about six months.
LIGHT_PEOPLE = 50
LIGHT_DAYS = 180
LIGHT_TWITCHES = 300
LIGHT_SYMPTOMS = 10
LIGHT_CHECKINS = 90
LIGHT_TIME_ZONES = (
    "UTC",
    "Europe/London",
    "Europe/Berlin",
    "America/New_York",
    "America/Los_Angeles",
    "Asia/Kolkata",
    "Australia/Sydney",
)


@dataclass
class People:
    """Who the benchmark signs in as, and how much each one has logged."""

    dense: object
    new: object
    light: object  # the first of the lighter people
    light_count: int
    counts: dict[str, int]


def _create_people(emails_and_zones: list[tuple[str, str]]) -> list:
    """Accounts with profiles, in two queries a batch.

    The accounts get an unusable password (the benchmark signs in with
    ``force_login``), which spares fifty slow password hashes; ``bulk_create`` sends
    no ``post_save``, so the profiles are made here too.
    """
    user_model = get_user_model()
    users = user_model.objects.bulk_create(
        [
            user_model(username=email, email=email, password=make_password(None))
            for email, _ in emails_and_zones
        ],
        batch_size=generator.BATCH_SIZE,
    )
    Profile.objects.bulk_create(
        [
            Profile(user=user, time_zone=zone, display_name=email.split("@")[0].title())
            for user, (email, zone) in zip(users, emails_and_zones, strict=True)
        ],
        batch_size=generator.BATCH_SIZE,
    )
    return users


def _fill(rng, user, days: int, twitches: int, symptoms: int, checkins: int) -> dict:
    """Log ``days`` of a person's journal up to their today; returns the row counts."""
    counts = generator.build_journal(
        user,
        generator.VARIED,
        today=timezone.localdate(timezone=user.profile.tz),
        days=days,
        twitches=twitches,
        symptoms=symptoms,
        checkins=checkins,
        rng=rng,
    )
    return asdict(counts)


def fill_dense(rng, user, days: int = DENSE_DAYS, scale: float = 1.0) -> dict:
    """Log ``days`` of the dense person's journal for ``user``: as many twitches,
    symptoms and check-ins a day as DENSE_TWITCHES, DENSE_SYMPTOMS and DENSE_CHECKINS
    over DENSE_DAYS (``scale`` times that, at least one of each); returns the counts."""
    share = scale * days / DENSE_DAYS
    return _fill(
        rng,
        user,
        days,
        max(1, round(DENSE_TWITCHES * share)),
        max(1, round(DENSE_SYMPTOMS * share)),
        max(1, round(DENSE_CHECKINS * share)),
    )


def populate(scale: float = 1.0, seed: int = 8) -> People:
    """The benchmark's people: one dense journal, lighter ones around it, and a new one.

    ``scale`` multiplies the dense person's twitches, symptoms and check-ins and the
    number of lighter people (at least one of each), so a test can build a tiny copy.
    """
    rng = random.Random(seed)
    light_count = max(1, round(LIGHT_PEOPLE * scale))
    zones = [
        (f"light{n:02d}@benchmark.invalid", rng.choice(LIGHT_TIME_ZONES))
        for n in range(light_count)
    ]
    dense, new, *light = _create_people(
        [("dense@benchmark.invalid", DENSE_TIME_ZONE), ("new@benchmark.invalid", "UTC"), *zones]
    )
    counts = fill_dense(rng, dense, scale=scale)
    light_twitches = 0
    for user in light:
        light_twitches += _fill(
            rng, user, LIGHT_DAYS, LIGHT_TWITCHES, LIGHT_SYMPTOMS, LIGHT_CHECKINS
        )["twitches"]
    counts["light_twitches"] = light_twitches
    return People(dense=dense, new=new, light=light[0], light_count=light_count, counts=counts)


class BenchmarkError(Exception):
    """A page answered something other than what the benchmark expects of it."""


@dataclass
class Database:
    """The throwaway database the benchmark runs on, and its scratch folder."""

    vendor: str
    name: str
    workdir: Path


@contextlib.contextmanager
def throwaway_database() -> Iterator[Database]:
    """Point the default connection at a new, migrated database; always remove it after.

    The database engine is the configured one (SQLite unless ``DATABASE_URL`` says
    PostgreSQL): a file in a temporary folder, or ``twitchlog_bench_<pid>`` beside
    the configured PostgreSQL database. The configured database is never opened.
    Django's own test-database creation does the work; it reads the name from the
    connection's ``TEST`` settings, so a fresh connection object carries a copy of the
    settings with that name, and the original connection is put back at the end,
    whatever happened (an error, Ctrl-C or SIGTERM raised as ``SystemExit``).
    """
    alias = "default"
    original = connections[alias]
    saved_names = (settings.DATABASES[alias]["NAME"], original.settings_dict["NAME"])
    workdir = Path(tempfile.mkdtemp(prefix="twitchlog-bench-"))
    bench_settings = copy.deepcopy(original.settings_dict)
    if original.vendor == "sqlite":
        name = str(workdir / "benchmark.sqlite3")
    else:
        name = f"twitchlog_bench_{os.getpid()}"
    bench_settings["TEST"] = {**bench_settings.get("TEST", {}), "NAME": name, "MIGRATE": True}
    wrapper = type(original)(bench_settings, alias)
    connections[alias] = wrapper
    try:
        wrapper.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
        yield Database(vendor=wrapper.vendor, name=name, workdir=workdir)
    finally:
        try:
            # create_test_db renames the connection only once the database exists;
            # before that, destroying would aim at the configured database.
            if wrapper.settings_dict["NAME"] == name:
                wrapper.creation.destroy_test_db(saved_names[0], verbosity=0)
        finally:
            wrapper.close()
            connections[alias] = original
            settings.DATABASES[alias]["NAME"], original.settings_dict["NAME"] = saved_names
            # Content types were cached with the throwaway database's ids.
            ContentType.objects.clear_cache()
            shutil.rmtree(workdir, ignore_errors=True)


@contextlib.contextmanager
def production_settings(workdir: Path) -> Iterator[None]:
    """Serve pages as production does while the benchmark runs.

    DEBUG off (no query log, no debug templates) and hashed static files from a
    manifest, built here by ``collectstatic`` into the scratch folder; the test
    client's host name is allowed. The per-person limits on PDFs, downloads and imports
    are lifted: the benchmark asks for each dozens of times in a minute, on purpose.
    """
    static_root = workdir / "static"
    with override_settings(
        DEBUG=False,
        ALLOWED_HOSTS=[*settings.ALLOWED_HOSTS, "testserver"],
        PERSON_LIMITS=dict.fromkeys(settings.PERSON_LIMITS, "1000000/h"),
        STATIC_ROOT=static_root,
        STORAGES={
            **settings.STORAGES,
            "staticfiles": {
                "BACKEND": "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"
            },
        },
    ):
        call_command("collectstatic", interactive=False, verbosity=0)
        yield


@dataclass(frozen=True)
class Endpoint:
    """One thing the benchmark measures: a page, a download, or a plain function call."""

    key: str
    label: str
    kind: str  # "floor", "page", "pdf", "csv" or "call"
    path: str = ""
    method: str = "GET"
    data: dict | None = None
    expect: tuple[int, ...] = (200,)
    call: Callable | None = None

    @property
    def available(self) -> bool:
        """Whether the page's URL exists yet (a call is always available)."""
        if self.call is not None:
            return True
        try:
            resolve(self.path.split("?")[0])
        except Resolver404:
            return False
        return True


@dataclass
class Actor:
    """A signed-in person: their account and their browser (the test client)."""

    user: object
    client: Client = field(default_factory=Client)

    def sign_in(self) -> Actor:
        self.client.force_login(self.user)
        return self


@dataclass
class Result:
    """What one endpoint measured, for the table and the JSON file."""

    key: str
    label: str
    kind: str
    available: bool
    runs: int = 0
    median_ms: float | None = None
    p95_ms: float | None = None
    floor_ratio: float | None = None
    queries: int | None = None
    queries_new: int | None = None
    queries_light: int | None = None
    peak_mb: float | None = None
    peak_mb_new: float | None = None
    bytes: int | None = None
    streaming: bool | None = None

    @property
    def queries_match(self) -> bool | None:
        if self.queries is None:
            return None
        return self.queries == self.queries_new

    def as_dict(self) -> dict:
        return {**asdict(self), "queries_match": self.queries_match}


def _run(endpoint: Endpoint, actor: Actor) -> tuple[int, bool]:
    """Ask once, reading a streamed answer to its end; returns (bytes, streamed)."""
    if endpoint.call is not None:
        endpoint.call(actor.user)
        return 0, False
    if endpoint.method == "POST":
        response = actor.client.post(endpoint.path, endpoint.data)
    else:
        response = actor.client.get(endpoint.path)
    if response.status_code not in endpoint.expect:
        raise BenchmarkError(
            f"{endpoint.method} {endpoint.path} answered {response.status_code}, "
            f"expected {' or '.join(map(str, endpoint.expect))}"
        )
    if response.streaming:
        size = sum(len(chunk) for chunk in response.streaming_content)
    else:
        size = len(response.content)
    response.close()
    return size, response.streaming


def _queries(endpoint: Endpoint, actor: Actor) -> int:
    with CaptureQueriesContext(connection) as captured:
        _run(endpoint, actor)
    return len(captured.captured_queries)


def _peak_mb(endpoint: Endpoint, actor: Actor) -> float:
    """The Python heap's high-water mark during one request, above where it started."""
    gc.collect()
    tracemalloc.reset_peak()
    start = tracemalloc.get_traced_memory()[0]
    _run(endpoint, actor)
    return (tracemalloc.get_traced_memory()[1] - start) / 1_000_000


def percentile(samples: list[float], share: float) -> float:
    """The nearest-rank percentile: the smallest sample at or above ``share`` of them."""
    ordered = sorted(samples)
    return ordered[max(0, math.ceil(share * len(ordered)) - 1)]


WARM_UP_RUNS = 2
# A page slower than it should be still gets at least MIN_RUNS timed runs, but no
# more once TIME_BUDGET_SECONDS have passed, so the whole run stays within minutes.
MIN_RUNS = 5
TIME_BUDGET_SECONDS = 10


def _measure_one(endpoint: Endpoint, result: Result, people: dict[str, Actor], repeat: int):
    dense, new = people["dense"], people["new"]
    for _ in range(WARM_UP_RUNS):
        _run(endpoint, dense)
    _run(endpoint, new)
    _run(endpoint, people["light"])
    result.queries = _queries(endpoint, dense)
    result.queries_new = _queries(endpoint, new)
    result.queries_light = _queries(endpoint, people["light"])
    tracemalloc.start()
    try:
        result.peak_mb = _peak_mb(endpoint, dense)
        result.peak_mb_new = _peak_mb(endpoint, new)
    finally:
        tracemalloc.stop()
    runs = max(1, repeat // 3) if endpoint.kind == "pdf" else repeat
    gc.collect()
    samples = []
    budget_ends = time.perf_counter() + TIME_BUDGET_SECONDS
    while len(samples) < runs:
        started = time.perf_counter()
        result.bytes, result.streaming = _run(endpoint, dense)
        samples.append((time.perf_counter() - started) * 1000)
        if len(samples) >= MIN_RUNS and time.perf_counter() > budget_ends:
            break
    result.runs = len(samples)
    result.median_ms = statistics.median(samples)
    result.p95_ms = percentile(samples, 0.95)


def measure(
    endpoints: list[Endpoint],
    people: dict[str, Actor],
    repeat: int,
    log: Callable[[str], None] = lambda message: None,
) -> list[Result]:
    """Measure every endpoint for the ``"dense"`` person; count for ``"new"`` and ``"light"``.

    Each endpoint is first asked ``WARM_UP_RUNS`` times, so one-off work (imports,
    compiled templates, fonts) is not timed; then once with queries captured for
    each person (the light person shows whether a count grows with the journal or
    only differs for an empty one), and once under ``tracemalloc`` for the dense and
    the new person; then ``repeat`` times (a third of
    that for PDFs, fewer for a page that takes seconds) with nothing attached, for
    the timings. Writes (POSTs) come last, so that the new person's journal stays
    empty while the reads are counted.
    """
    results = {ep.key: Result(ep.key, ep.label, ep.kind, ep.available) for ep in endpoints}
    live = sorted((ep for ep in endpoints if ep.available), key=lambda ep: ep.method == "POST")
    for endpoint in live:
        log(f"  {endpoint.label}")
        # A fresh sign-in for each endpoint: downloads ask for the password again once
        # the last sign-in is older than REAUTHENTICATION_MINUTES.
        for actor in people.values():
            actor.sign_in()
        try:
            _measure_one(endpoint, results[endpoint.key], people, repeat)
        except Exception as error:
            # Stop at the first broken page: its timings would be those of an error.
            raise BenchmarkError(f"{endpoint.label}: {type(error).__name__}: {error}") from error
    floors = [r.median_ms for r in results.values() if r.kind == "floor" and r.median_ms]
    if floors:
        for result in results.values():
            if result.median_ms is not None:
                result.floor_ratio = result.median_ms / floors[0]
    return [results[ep.key] for ep in endpoints]


def _history_and_evaluate(user) -> list:
    return rules.evaluate(history.build_history(user), history.local_today(user))


def log_post_data(user) -> dict:
    """One twitch as the /log/ form posts it: an hour ago, a calf, with two triggers."""
    an_hour_ago = timezone.localtime(timezone.now() - timedelta(hours=1), user.profile.tz)
    return {
        "occurred_at": f"{an_hour_ago:%Y-%m-%dT%H:%M}",
        "location": "calf",
        "side": "left",
        "duration_preset": "unknown",
        "intensity": "2",
        "triggers": ["caffeine", "stress"],
    }


def build_endpoints(user) -> list[Endpoint]:
    """Every page the issue names, the floor first, as ``user`` would ask for them."""
    today = history.local_today(user)
    ninety_days = f"start={today - timedelta(days=89)}&end={today}"
    one_year = f"start={today - timedelta(days=364)}&end={today}"
    return [
        # The floor: the cheapest signed-in page that still renders base.html, i.e.
        # what sessions, auth, middleware, the nav bar and one template cost here.
        Endpoint("floor", "floor (log out page)", "floor", "/accounts/logout/"),
        Endpoint("home", "home /", "page", "/"),
        Endpoint("log_get", "/log/ GET", "page", "/log/"),
        Endpoint(
            "log_post",
            "/log/ POST",
            "page",
            "/log/",
            "POST",
            log_post_data(user),
            expect=(302, 303),
        ),
        Endpoint("journal", "/journal/", "page", "/journal/"),
        Endpoint("trends_90", "/trends/ 90 days", "page", "/trends/?range=90"),
        Endpoint("trends_all", "/trends/ all time", "page", "/trends/?range=all"),
        Endpoint("flags", "/flags/", "page", "/flags/"),
        Endpoint("history", "history + evaluate", "call", call=_history_and_evaluate),
        Endpoint("pdf_90", "PDF 90 days", "pdf", f"/report.pdf?{ninety_days}"),
        Endpoint("pdf_365", "PDF 1 year", "pdf", f"/report.pdf?{one_year}"),
        Endpoint("csv", "CSV export", "csv", "/export/journal.csv"),
    ]


# The targets, as ratios to the floor measured in the same run wherever the machine's
# speed would otherwise decide. They are reported, never asserted.
MAX_PAGE_RATIO = 10.0
MAX_HISTORY_RATIO = 3.0
MAX_CSV_RATIO = 60.0
MAX_PDF_MS = 300.0
MAX_PDF_MB = 200.0
# Streaming in constant memory: the dense person's export may use at most this much
# more memory than an empty journal's, however many rows it writes.
CONSTANT_MEMORY_SLACK_MB = 2.0


@dataclass
class Target:
    """One of the targets and whether this run met it (None: not measured)."""

    name: str
    met: bool | None
    detail: str


def _ratio_target(name: str, result: Result, limit: float) -> Target:
    if result.median_ms is None:
        return Target(name, None, "not available")
    return Target(name, result.floor_ratio <= limit, f"{result.floor_ratio:.1f}x the floor")


def check_targets(results: list[Result]) -> list[Target]:
    """Hold each measured result against the targets."""
    by_key = {result.key: result for result in results}
    measured = [r for r in results if r.median_ms is not None]
    missing = [r.label for r in results if not r.available]

    pages = [r for r in measured if r.kind == "page"]
    over = [f"{r.label} ({r.floor_ratio:.1f}x)" for r in pages if r.floor_ratio > MAX_PAGE_RATIO]
    targets = [
        Target(
            f"every page at most {MAX_PAGE_RATIO:g}x the floor (median)",
            None if not pages else not over,
            f"over: {', '.join(over)}" if over else f"{len(pages)} measured",
        )
    ]
    differ = [r.label for r in measured if r.kind != "floor" and not r.queries_match]
    # A count that differs for an empty journal but not between a light and a dense
    # one does not grow with the data: say which of the two it is.
    grows = [r.label for r in measured if r.queries_light not in (None, r.queries)]
    detail = f"differ: {', '.join(differ)}" if differ else f"{len(measured)} measured"
    if differ:
        detail += (
            f"; grow with the journal: {', '.join(grows)}"
            if grows
            else "; dense and light journals take the same number everywhere"
        )
    targets.append(
        Target(
            "query counts the same for the dense person as for a new one",
            None if not measured else not differ,
            detail,
        )
    )
    targets.append(
        _ratio_target(
            f"history + evaluate at most {MAX_HISTORY_RATIO:g}x the floor",
            by_key["history"],
            MAX_HISTORY_RATIO,
        )
    )
    pdf = by_key["pdf_365"]
    targets.append(
        Target(
            f"1-year PDF under {MAX_PDF_MS:g} ms and {MAX_PDF_MB:g} MB",
            None
            if pdf.median_ms is None
            else pdf.median_ms < MAX_PDF_MS and pdf.peak_mb < MAX_PDF_MB,
            "not available"
            if pdf.median_ms is None
            else f"{pdf.median_ms:.0f} ms, {pdf.peak_mb:.1f} MB",
        )
    )
    csv = by_key["csv"]
    targets.append(
        _ratio_target(f"CSV export under {MAX_CSV_RATIO:g}x the floor", csv, MAX_CSV_RATIO)
    )
    targets.append(
        Target(
            "CSV export streams in constant memory",
            None
            if csv.median_ms is None
            else bool(csv.streaming) and csv.peak_mb <= csv.peak_mb_new + CONSTANT_MEMORY_SLACK_MB,
            "not available"
            if csv.median_ms is None
            else (
                f"{'streamed' if csv.streaming else 'not streamed'}, "
                f"{csv.peak_mb:.1f} MB for {csv.bytes:,} bytes "
                f"(empty journal: {csv.peak_mb_new:.1f} MB)"
            ),
        )
    )
    if missing:
        targets.append(Target("every page exists", False, f"not available: {', '.join(missing)}"))
    return targets


def _figure(value: float | None, digits: int = 1) -> str:
    """A measured figure for the table, to a fixed number of decimals; "-" if none."""
    return "-" if value is None else f"{value:,.{digits}f}"


def format_table(results: list[Result]) -> str:
    """The results as an aligned text table, one row per endpoint."""
    header = (
        "endpoint",
        "runs",
        "median ms",
        "p95 ms",
        "x floor",
        "queries",
        "new",
        "light",
        "same",
        "peak MB",
        "new MB",
    )
    rows = [header]
    for r in results:
        if r.median_ms is None:
            rows.append((r.label, "not available"))
            continue
        rows.append(
            (
                r.label,
                str(r.runs),
                _figure(r.median_ms),
                _figure(r.p95_ms),
                _figure(r.floor_ratio),
                str(r.queries),
                str(r.queries_new),
                str(r.queries_light),
                "yes" if r.queries_match else "NO",
                _figure(r.peak_mb, 2),
                _figure(r.peak_mb_new, 2),
            )
        )
    widths = [
        max(len(row[i]) for row in rows if len(row) == len(header)) for i in range(len(header))
    ]
    lines = []
    for row in rows:
        if len(row) < len(header):
            lines.append(f"{row[0]:<{widths[0]}}  {row[1]}")
            continue
        cells = [f"{row[0]:<{widths[0]}}"] + [
            f"{cell:>{width}}" for cell, width in zip(row[1:], widths[1:], strict=True)
        ]
        lines.append("  ".join(cells))
    lines.insert(1, "-" * len(lines[0]))
    return "\n".join(lines)


def format_targets(targets: list[Target]) -> str:
    """One line per target: met, MISSED or not measured, with the figures behind it."""
    word = {True: "met", False: "MISSED", None: "not measured"}
    return "\n".join(f"[{word[t.met]}] {t.name}: {t.detail}" for t in targets)
