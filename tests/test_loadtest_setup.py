"""`manage.py loadtest_setup`: the people, sessions and log form that `make loadtest` uses."""

import io
from urllib.parse import parse_qsl

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import Client

from journal.models import TwitchEntry

pytestmark = pytest.mark.django_db


@pytest.fixture
def prepared(tmp_path, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    call_command("loadtest_setup", users=3, out=str(tmp_path), stdout=io.StringIO())
    sessions = [line.split() for line in (tmp_path / "sessions.txt").read_text().splitlines()]
    body = (tmp_path / "log_body.txt").read_text().strip()
    return sessions, body


def test_each_person_has_a_journal_and_a_signed_in_session_of_their_own(prepared):
    sessions, _ = prepared
    people = get_user_model().objects.filter(email__endswith="@loadtest.invalid")
    assert people.count() == len(sessions) == 3
    for person in people:
        assert TwitchEntry.objects.filter(user=person).count() > 20
    greeted = set()
    for session_key, _ in sessions:
        client = Client()
        client.cookies["sessionid"] = session_key
        response = client.get("/")
        assert response.status_code == 200
        greeted.add(response.context["user"].email)
    assert greeted == set(people.values_list("email", flat=True))


def test_the_log_post_is_accepted_with_csrf_checks_on_and_writes_one_row(prepared):
    """What wrk sends: the CSRF secret as cookie and as form token, as a browser would."""
    sessions, body = prepared
    session_key, csrf = sessions[0]
    client = Client(enforce_csrf_checks=True)
    client.cookies["sessionid"] = session_key
    client.cookies["csrftoken"] = csrf
    before = TwitchEntry.objects.count()

    response = client.post(
        "/log/",
        f"{body}&csrfmiddlewaretoken={csrf}",
        content_type="application/x-www-form-urlencoded",
    )

    assert response.status_code == 302
    assert not response["Location"].startswith("/accounts/login/")
    assert TwitchEntry.objects.count() == before + 1
    entry = TwitchEntry.objects.latest("id")
    assert (entry.location, entry.side, sorted(entry.trigger_codes)) == (
        "calf",
        "left",
        ["caffeine", "stress"],
    )
    assert dict(parse_qsl(body))["notes"] == entry.notes


def test_running_it_again_replaces_the_earlier_people(prepared, tmp_path):
    call_command("loadtest_setup", users=2, out=str(tmp_path), stdout=io.StringIO())
    assert get_user_model().objects.filter(email__endswith="@loadtest.invalid").count() == 2
