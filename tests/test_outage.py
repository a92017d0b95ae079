"""When the database goes away the app answers 503 calmly, and recovers when it returns."""

import logging
import threading

import pytest
from django.db import (
    IntegrityError,
    InterfaceError,
    OperationalError,
    connection,
    connections,
    transaction,
)
from django.test import Client
from django.utils import timezone

from api.tokens import create_token
from journal import faults, once
from journal.models import TwitchEntry
from journal.views import errors as views_errors
from tests.journal_support import twitch_data

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def unreachable_database(monkeypatch):
    """Make the database unreachable, then bring it back.

    On PostgreSQL the connection really is dropped and pointed at a port where nobody
    listens. The SQLite test database lives in memory and cannot be closed, so there
    every new cursor fails as it would with the file gone.
    """
    settings_dict = connection.settings_dict
    saved = dict(settings_dict)

    def refuse(*args, **kwargs):
        raise OperationalError("unable to open database file")

    def go_away():
        if connection.vendor == "sqlite":
            monkeypatch.setattr(connection, "create_cursor", refuse)
        else:
            connection.close()
            settings_dict["PORT"] = "1"

    def come_back():
        monkeypatch.undo()
        if connection.vendor != "sqlite":
            connection.close()
            settings_dict.update(saved)

    yield go_away, come_back
    come_back()


def test_healthz_turns_503_while_the_database_is_away_and_back_after(unreachable_database):
    go_away, come_back = unreachable_database
    client = Client(raise_request_exception=False)
    assert client.get("/healthz").status_code == 200

    go_away()
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    body = response.content.decode()
    assert "cannot reach its database" in body
    assert "Traceback" not in body

    come_back()
    response = client.get("/healthz")
    assert (response.status_code, response.content) == (200, b"ok")


def test_signed_in_pages_answer_503_not_a_stack_trace(unreachable_database, user):
    go_away, _ = unreachable_database
    client = Client(raise_request_exception=False)
    client.force_login(user)
    go_away()
    response = client.get("/settings/")
    assert response.status_code == 503
    assert "Back in a moment" in response.content.decode()


def test_other_server_errors_stay_500(monkeypatch):
    client = Client(raise_request_exception=False)

    class BrokenConnection:
        def cursor(self):
            raise RuntimeError("a bug, not an outage")

    monkeypatch.setattr("journal.views.accounts.connection", BrokenConnection())
    response = client.get("/healthz")
    assert response.status_code == 500
    assert "Something went wrong" in response.content.decode()


class Busy(Exception):
    """Stands in for a driver's error of a database that answered but was busy."""

    def __init__(self, *, pgcode=None, sqlite_errorname=None):
        super().__init__("busy")
        self.pgcode = pgcode
        self.sqlite_errorname = sqlite_errorname


def _wrapped(cause, text="could not go on"):
    error = OperationalError(text)
    error.__cause__ = cause
    return error


@pytest.mark.parametrize(
    ("error", "outage", "busy"),
    [
        (OperationalError("unable to open database file"), True, False),
        (InterfaceError("connection already closed"), True, False),
        (_wrapped(Busy(pgcode="08006")), True, False),  # connection failure
        (_wrapped(Busy(pgcode="57P01")), True, False),  # the server shutting down
        (_wrapped(Busy(pgcode="55P03")), False, True),  # lock not available
        (_wrapped(Busy(pgcode="40P01")), False, True),  # deadlock
        (_wrapped(Busy(pgcode="57014")), False, True),  # statement timeout
        (_wrapped(Busy(sqlite_errorname="SQLITE_BUSY")), False, True),
        (_wrapped(Busy(sqlite_errorname="SQLITE_CANTOPEN")), True, False),
        (OperationalError("database is locked"), False, True),
        (IntegrityError("duplicate key"), False, False),
        (RuntimeError("a bug"), False, False),
    ],
)
def test_an_outage_is_told_from_a_busy_database(error, outage, busy):
    assert (faults.is_outage(error), faults.is_busy(error)) == (outage, busy)


def test_a_busy_database_is_not_called_unreachable(monkeypatch):
    class LockedConnection:
        def cursor(self):
            raise OperationalError("database is locked")

    monkeypatch.setattr("journal.views.accounts.connection", LockedConnection())
    response = Client(raise_request_exception=False).get("/healthz")
    assert response.status_code == 503
    assert response["Retry-After"] == "5"
    body = response.content.decode()
    assert "Busy for a moment" in body
    assert "cannot reach its database" not in body


@pytest.mark.usefixtures("shared_database")
def test_a_writer_waits_for_another_writers_transaction_instead_of_failing(user):
    """While another transaction holds the write lock, a save waits for it to end."""
    client = Client(raise_request_exception=False)
    client.force_login(user)
    holding, release, finished = threading.Event(), threading.Event(), threading.Event()

    def hold_the_write_lock():
        with transaction.atomic():
            TwitchEntry.objects.create(user=user, occurred_at=timezone.now(), location="calf")
            holding.set()
            release.wait(timeout=30)

    def save():
        try:
            return client.post("/log/", twitch_data()).status_code
        finally:
            finished.set()

    holder = threading.Thread(target=lambda: _closing(hold_the_write_lock))
    holder.start()
    assert holding.wait(timeout=30)
    results = []
    saver = threading.Thread(target=lambda: results.append(_closing(save)))
    saver.start()
    if connection.vendor == "sqlite":
        # SQLite has one writer at a time: the save cannot finish while the lock is held.
        assert not finished.wait(timeout=1)
    release.set()
    holder.join(timeout=30)
    saver.join(timeout=30)
    assert results == [302]
    assert TwitchEntry.objects.filter(user=user).count() == 2


def _closing(action):
    try:
        return action()
    finally:
        connections.close_all()


def _lines_of(records) -> list[str]:
    handler = logging.StreamHandler()
    handler.setFormatter(logging.Formatter("%(levelname)s %(name)s %(message)s"))
    return [handler.format(record) for record in records]


def test_an_outage_logs_one_line_per_failed_request_and_no_second_exception(
    unreachable_database, user, caplog
):
    go_away, _ = unreachable_database
    client = Client(raise_request_exception=False)
    client.force_login(user)
    go_away()
    with caplog.at_level(logging.WARNING):
        statuses = [
            client.get("/journal/").status_code,
            client.post("/log/", twitch_data()).status_code,
            Client(raise_request_exception=False).get("/healthz").status_code,
        ]
    assert statuses == [503, 503, 503]
    lines = _lines_of(caplog.records)
    assert len(lines) == 3, lines
    assert all("\n" not in line for line in lines)
    assert all("(database unreachable: OperationalError:" in line for line in lines)
    assert all("Traceback" not in line and "_session_cache" not in line for line in lines)


def test_other_errors_keep_their_traceback(monkeypatch, caplog):
    class BrokenConnection:
        def cursor(self):
            raise RuntimeError("a bug, not an outage")

    monkeypatch.setattr("journal.views.accounts.connection", BrokenConnection())
    with caplog.at_level(logging.ERROR):
        Client(raise_request_exception=False).get("/healthz")
    assert "Traceback" in "\n".join(_lines_of(caplog.records))


def test_a_save_the_database_committed_is_answered_as_saved(
    unreachable_database, user, monkeypatch, caplog
):
    """The database goes away just after the entry's transaction commits: the answer
    is still the redirect of a saved entry, never the 503 page."""
    go_away, come_back = unreachable_database
    client = Client(raise_request_exception=False)
    client.force_login(user)
    save_once = once.save_once

    def then_go_away(*args, **kwargs):
        result = save_once(*args, **kwargs)
        go_away()
        return result

    monkeypatch.setattr(once, "save_once", then_go_away)
    with caplog.at_level(logging.WARNING):
        response = client.post("/log/", twitch_data(one_time_key="z" * 24))
    assert response.status_code == 302
    assert response["Location"] == "/"
    assert len(_lines_of(caplog.records)) <= 2
    come_back()
    assert TwitchEntry.objects.filter(user=user).count() == 1


def test_an_api_save_the_database_committed_is_answered_as_saved(
    unreachable_database, user, monkeypatch
):
    """The answer's data is read before the commit, so nothing after it needs the
    database: the entry saved is answered 201, whatever happens next."""
    go_away, come_back = unreachable_database
    _, token = create_token(user, "Phone", "read+write")
    save_once = once.save_once

    def then_go_away(*args, **kwargs):
        result = save_once(*args, **kwargs)
        go_away()
        return result

    monkeypatch.setattr(once, "save_once", then_go_away)
    response = Client(raise_request_exception=False).post(
        "/api/v1/twitches/",
        '{"location": "calf", "triggers": ["stress"]}',
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {token}",
    )
    assert response.status_code == 201
    assert response.json()["triggers"] == ["stress"]
    come_back()
    assert TwitchEntry.objects.get(user=user).pk == response.json()["id"]


@pytest.fixture
def unreachable_cache(settings):
    """The shared cache configured as Redis on a port where nobody listens: every
    throttle's count fails as it does when a deployment's Redis is away."""
    from django.core.cache import caches

    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",
        }
    }
    caches["default"].close()
    yield
    caches["default"].close()


@pytest.mark.usefixtures("unreachable_cache")
def test_signing_in_without_the_shared_cache_is_the_calm_503_and_one_log_line(user, caplog):
    client = Client(raise_request_exception=False)
    with caplog.at_level(logging.WARNING):
        response = client.post("/accounts/login/", {"login": user.email, "password": "x"})
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    text = response.content.decode()
    assert "cannot reach one of the services it needs to sign people in" in text
    assert "database" not in text
    lines = _lines_of(caplog.records)
    assert len(lines) == 1, lines
    assert "(cache unreachable: ConnectionError:" in lines[0]
    assert "Traceback" not in lines[0]


@pytest.mark.usefixtures("unreachable_cache")
def test_journal_pages_do_not_need_the_shared_cache(user):
    client = Client(raise_request_exception=False)
    client.force_login(user)
    assert client.get("/journal/").status_code == 200


def _api_get(token: str, path: str = "/api/v1/vocabulary/"):
    return Client(raise_request_exception=False).get(path, HTTP_AUTHORIZATION=f"Bearer {token}")


def test_the_api_says_an_outage_in_json_with_retry_after(unreachable_database, user, caplog):
    """An API client reads every error as JSON with one sentence, a 503 included."""
    go_away, _ = unreachable_database
    _, token = create_token(user, "Phone", "read")
    go_away()
    with caplog.at_level(logging.WARNING):
        response = _api_get(token)
    assert response.status_code == 503
    assert response["Content-Type"] == "application/json"
    assert response["Retry-After"] == "30"
    assert response.json() == {"detail": views_errors.API_UNREACHABLE}
    lines = _lines_of(caplog.records)
    assert len(lines) == 1, lines
    assert "(database unreachable: OperationalError:" in lines[0]


def test_the_api_says_a_busy_database_in_json(monkeypatch, user):
    _, token = create_token(user, "Phone", "read")

    def locked(*args, **kwargs):
        raise OperationalError("database is locked")

    monkeypatch.setattr("api.views.VocabularyView.get", locked)
    response = _api_get(token)
    assert response.status_code == 503
    assert response["Retry-After"] == "5"
    assert response.json() == {"detail": views_errors.API_BUSY}


def test_the_api_says_other_server_errors_in_json_and_keeps_the_traceback(
    monkeypatch, user, caplog
):
    _, token = create_token(user, "Phone", "read")

    def broken(*args, **kwargs):
        raise RuntimeError("a bug, not an outage")

    monkeypatch.setattr("api.views.VocabularyView.get", broken)
    with caplog.at_level(logging.ERROR):
        response = _api_get(token)
    assert response.status_code == 500
    assert response.json() == {"detail": views_errors.API_SERVER_ERROR}
    assert "Traceback" in "\n".join(_lines_of(caplog.records))
    # Pages outside the API keep their HTML page.
    monkeypatch.setattr("journal.views.accounts.connection", None)
    page = Client(raise_request_exception=False).get("/healthz")
    assert page.status_code == 500
    assert "Something went wrong" in page.content.decode()


@pytest.mark.usefixtures("unreachable_cache")
def test_the_api_without_the_shared_cache_is_a_json_503_and_one_log_line(user, caplog):
    _, token = create_token(user, "Phone", "read")
    with caplog.at_level(logging.WARNING):
        response = _api_get(token)
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert response.json() == {"detail": views_errors.API_CACHE_UNREACHABLE}
    lines = _lines_of(caplog.records)
    assert len(lines) == 1, lines
    assert "(cache unreachable: ConnectionError:" in lines[0]
