"""Two app servers, one PostgreSQL, one Redis: what one server knows, the other honours.

Starts two gunicorn processes on two loopback ports, as two machines behind nginx would
run them, against one throwaway PostgreSQL database (made next to the database that
DATABASE_URL names when that is PostgreSQL, else on 127.0.0.1:5432, and dropped at the
end) and the Redis on 127.0.0.1:6379, in database 12, which it empties before and
after. It shows that a lock-out reached on one server holds on the other and that a
session made on one works, and ends, on the other.

The servers need a real PostgreSQL and Redis whichever database the rest of the suite
runs on: without them the test is skipped, except under CI=true, where it fails.
"""

import datetime
import json
import os
import re
import secrets
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from concurrent.futures import ThreadPoolExecutor
from contextlib import closing
from pathlib import Path
from types import SimpleNamespace

import dj_database_url
import psycopg2
import pytest
import redis
from django.conf import settings
from psycopg2 import sql

from tests.support import PASSWORD

ROOT = Path(__file__).resolve().parent.parent
REDIS_URL = "redis://127.0.0.1:6379/12"
PAUSED = "password checks are paused after several wrong tries"

# The servers' settings: the project's own, with static files served as the test suite
# serves them (tests/conftest.py), so that no collectstatic is needed. DEBUG stays off.
SERVER_SETTINGS = """
from twitchlog.settings import *  # noqa: F403

STORAGES = {
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
"""

# The people the tests sign in as, made in the throwaway database; prints an API token
# of ada's.
MAKE_PEOPLE = """
from django.contrib.auth import get_user_model
from accounts.emails import mark_email_verified
from api.tokens import create_token
for email in ("bob@example.com", "ada@example.com"):
    person = get_user_model().objects.create_user(username=email, email=email, password=%r)
    mark_email_verified(person)
print(create_token(person, "cluster", "read+write")[1])
"""
KEY_INPUT = re.compile(r'<input type="hidden" name="one_time_key" value="([^"]+)">')


def unavailable(reason):
    if os.environ.get("CI") == "true":
        pytest.fail(reason)
    pytest.skip(reason)


def postgres_server():
    """Connection settings of a PostgreSQL server to make the throwaway database on."""
    default = settings.DATABASES["default"]
    if default["ENGINE"] == "django.db.backends.postgresql":
        server = {k: default[k] for k in ("HOST", "PORT", "USER", "PASSWORD")}
    else:
        server = dj_database_url.parse("postgres://postgres@127.0.0.1:5432/postgres")
    return {
        "host": server["HOST"] or "127.0.0.1",
        "port": server["PORT"] or 5432,
        "user": server["USER"] or "postgres",
        "password": server["PASSWORD"] or None,
    }


def run_admin(connection_settings, statement):
    connection = psycopg2.connect(dbname="postgres", connect_timeout=5, **connection_settings)
    try:
        connection.autocommit = True
        with connection.cursor() as cursor:
            cursor.execute(statement)
    finally:
        connection.close()


@pytest.fixture(scope="module")
def database_url():
    server = postgres_server()
    try:
        run_admin(server, "SELECT 1")
    except psycopg2.OperationalError:
        unavailable(f"PostgreSQL is not answering on {server['host']}:{server['port']}")
    name = f"twitchlog_cluster_{uuid.uuid4().hex[:12]}"
    run_admin(server, sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    password = f":{urllib.parse.quote(server['password'])}" if server["password"] else ""
    yield f"postgres://{server['user']}{password}@{server['host']}:{server['port']}/{name}"
    run_admin(server, sql.SQL("DROP DATABASE {} WITH (FORCE)").format(sql.Identifier(name)))


@pytest.fixture(scope="module")
def shared_redis():
    client = redis.Redis.from_url(REDIS_URL)
    try:
        client.ping()
    except redis.exceptions.ConnectionError:
        unavailable("Redis is not answering on 127.0.0.1:6379")
    client.flushdb()
    yield client
    client.flushdb()


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="module")
def cluster(database_url, shared_redis, tmp_path_factory):
    """Two app servers sharing the database and Redis: their base URLs (`first`,
    `second`), the database's URL and an API token of ada's."""
    folder = tmp_path_factory.mktemp("cluster")
    (folder / "cluster_settings.py").write_text(SERVER_SETTINGS)
    unset = {"PYTEST_VERSION", "DJANGO_SETTINGS_MODULE"}
    env = {k: v for k, v in os.environ.items() if k not in unset}
    env.update(
        {
            "PYTHONPATH": os.pathsep.join([str(folder), str(ROOT)]),
            "DJANGO_SETTINGS_MODULE": "cluster_settings",
            "DEBUG": "false",
            "SECRET_KEY": secrets.token_urlsafe(40),
            "ALLOWED_HOSTS": "127.0.0.1",
            "DATABASE_URL": database_url,
            "REDIS_URL": REDIS_URL,
            "CACHE_KEY_PREFIX": "twitchlog-cluster-test",
            "LOG_LEVEL": "ERROR",
            # Emails (none here) to the console: a throwaway run, not a deployment.
            "EMAIL_BACKEND": "console",
        }
    )
    python = str(Path(sys.executable))
    subprocess.run(
        [python, "manage.py", "migrate", "--no-input", "-v0"], cwd=ROOT, env=env, check=True
    )
    made = subprocess.run(
        [python, "manage.py", "shell", "-c", MAKE_PEOPLE % PASSWORD],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    token = made.stdout.strip().splitlines()[-1]
    # The deployment's gunicorn settings, one worker each: two servers, not two workers.
    gunicorn = [str(Path(sys.executable).parent / "gunicorn"), "-c", "deploy/gunicorn.conf.py"]
    gunicorn += ["twitchlog.wsgi", "--workers", "1", "--no-control-socket"]
    processes, urls, logs = [], [], []
    try:
        for number in (1, 2):
            port = free_port()
            logs.append(open(folder / f"app{number}.log", "wb"))  # noqa: SIM115 (closed below)
            processes.append(
                subprocess.Popen(
                    [*gunicorn, "--bind", f"127.0.0.1:{port}"],
                    cwd=ROOT,
                    env=env,
                    stdout=logs[-1],
                    stderr=subprocess.STDOUT,
                )
            )
            urls.append(f"http://127.0.0.1:{port}")
        for process, url in zip(processes, urls, strict=True):
            await_healthz(process, url, folder)
        yield SimpleNamespace(first=urls[0], second=urls[1], database_url=database_url, token=token)
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            process.wait(timeout=30)
        for log in logs:
            log.close()


def await_healthz(process, url, folder):
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            logs = "".join(log.read_text() for log in folder.glob("app*.log"))
            pytest.fail(f"an app server did not start:\n{logs}")
        try:
            with urllib.request.urlopen(f"{url}/healthz", timeout=5) as answer:
                if answer.status == 200:
                    return
        except OSError:
            pass
        time.sleep(0.2)
    pytest.fail(f"no answer from {url}/healthz")


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


class Browser:
    """One browser's cookies, sent to whichever server it is pointed at."""

    def __init__(self, cookies=None):
        # Django takes the unmasked CSRF secret, sent as cookie and form field alike.
        self.cookies = dict(cookies or {"csrftoken": secrets.token_hex(16)})
        self.opener = urllib.request.build_opener(NoRedirect)

    def request(self, url, data=None):
        """(status, Location header, body) of one request, redirects not followed."""
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        body = None
        if data is not None:
            body = urllib.parse.urlencode(
                {**data, "csrfmiddlewaretoken": self.cookies["csrftoken"]}
            ).encode()
        try:
            answer = self.opener.open(urllib.request.Request(url, body, headers), timeout=60)
        except urllib.error.HTTPError as error:
            answer = error
        with answer:
            for header in answer.headers.get_all("Set-Cookie") or []:
                name, value = header.split(";", 1)[0].split("=", 1)
                self.cookies[name] = value
            return answer.status, answer.headers.get("Location", ""), answer.read().decode()

    def sign_in(self, server, email, password):
        return self.request(f"{server}/accounts/login/", {"login": email, "password": password})


def signed_in(server, email="ada@example.com"):
    browser = Browser()
    status, location, _ = browser.sign_in(server, email, PASSWORD)
    assert (status, location) == (302, "/")
    return browser


def twitches(cluster, email="ada@example.com"):
    """How many twitches the person has, counted in the shared database."""
    with (
        closing(psycopg2.connect(cluster.database_url)) as connection,
        connection.cursor() as cursor,
    ):
        cursor.execute(
            "SELECT count(*) FROM journal_twitchentry t JOIN auth_user u"
            " ON u.id = t.user_id WHERE u.email = %s",
            [email],
        )
        return cursor.fetchone()[0]


def log_form(browser, server):
    """A filled-in log form as `server` rendered it, with its one-time key."""
    _, _, page = browser.request(f"{server}/log/")
    when = datetime.datetime.now(datetime.UTC) - datetime.timedelta(minutes=5)
    return {
        "occurred_at": f"{when:%Y-%m-%dT%H:%M}",
        "location": "calf",
        "side": "left",
        "duration_preset": "3",
        "intensity": "2",
        "one_time_key": KEY_INPUT.search(page).group(1),
    }


def api_post(server, token, key, payload):
    """(status, Idempotent-Replayed header, JSON body) of an API POST with a key."""
    request = urllib.request.Request(
        f"{server}/api/v1/twitches/",
        json.dumps(payload).encode(),
        {
            "Authorization": f"Bearer {token}",
            "Content-Type": "application/json",
            "Idempotency-Key": key,
        },
    )
    with urllib.request.urlopen(request, timeout=60) as answer:
        return answer.status, answer.headers.get("Idempotent-Replayed"), json.loads(answer.read())


def signed_in_as(browser, server):
    """The email the settings page shows as signed in, or None when it asks to sign in."""
    status, location, body = browser.request(f"{server}/settings/")
    if status == 302:
        assert "/accounts/login/" in location
        return None
    assert status == 200
    return re.search(r"[a-z]+@example\.com", body).group(0)


def test_a_lock_out_reached_on_one_server_holds_on_the_other(cluster):
    first, second = cluster.first, cluster.second
    attacker = Browser()
    for _ in range(5):
        status, _, body = attacker.sign_in(first, "bob@example.com", "not-the-password")
        assert status == 200
        assert PAUSED not in body

    owner = Browser()
    status, _, body = owner.sign_in(second, "bob@example.com", PASSWORD)

    assert PAUSED in body
    assert signed_in_as(owner, second) is None
    assert signed_in_as(owner, first) is None


def test_a_session_made_on_one_server_works_and_ends_on_the_other(cluster):
    first, second = cluster.first, cluster.second
    browser = signed_in(first)

    assert signed_in_as(browser, second) == "ada@example.com"

    session = browser.cookies["sessionid"]
    status, _, _ = browser.request(f"{second}/accounts/logout/", {})
    assert status == 302
    # The session itself ended, not only the cookie: sent again, the first refuses it.
    browser.cookies["sessionid"] = session
    assert signed_in_as(browser, first) is None


def test_a_form_saved_on_one_server_and_sent_again_to_the_other_is_saved_once(cluster):
    browser = signed_in(cluster.first)
    form = log_form(browser, cluster.first)
    before = twitches(cluster)

    status, location, _ = browser.request(f"{cluster.first}/log/", form)
    assert (status, location) == (302, "/")
    # Its answer lost, the same form goes again, and nginx sends it to the other server.
    status, location, _ = browser.request(f"{cluster.second}/log/", form)

    assert (status, location) == (302, "/")
    assert "Sent twice, saved once: " in browser.request(f"{cluster.second}/")[2]
    assert twitches(cluster) == before + 1


def test_one_form_sent_to_both_servers_at_once_is_saved_once(cluster):
    browser = signed_in(cluster.second)
    form = log_form(browser, cluster.second)
    before = twitches(cluster)
    together = threading.Barrier(2)

    def send(server):
        copy = Browser(browser.cookies)
        together.wait()
        return copy.request(f"{server}/log/", form)[:2]

    with ThreadPoolExecutor(2) as pool:
        answers = list(pool.map(send, [cluster.first, cluster.second]))

    assert answers == [(302, "/"), (302, "/")]
    assert twitches(cluster) == before + 1


def test_an_idempotency_key_used_on_one_server_is_honoured_on_the_other(cluster):
    key = str(uuid.uuid4())
    before = twitches(cluster)

    first = api_post(cluster.first, cluster.token, key, {"location": "calf", "side": "left"})
    second = api_post(cluster.second, cluster.token, key, {"location": "calf", "side": "left"})

    assert first[:2] == (201, None)
    assert second[:2] == (201, "true")
    assert second[2] == first[2]
    assert twitches(cluster) == before + 1
