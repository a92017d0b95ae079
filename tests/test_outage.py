"""When the database goes away the app answers 503 calmly, and recovers when it returns."""

import pytest
from django.db import OperationalError, connection
from django.test import Client

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
