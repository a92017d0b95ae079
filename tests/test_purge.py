"""`manage.py purge`: expired sessions, the records of ended sessions and account
activity past the kept period go; everything current stays."""

import datetime
import io

import pytest
import time_machine
from allauth.usersessions.models import UserSession
from django.contrib.sessions.models import Session
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from accounts.models import Activity
from tests.support import PASSWORD

pytestmark = pytest.mark.django_db

NOW = datetime.datetime(2026, 5, 4, 9, 0, tzinfo=datetime.UTC)


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def sign_in(user) -> str:
    """Sign in as a browser would; the session's key."""
    client = Client()
    client.post(reverse("login"), {"login": user.email, "password": PASSWORD})
    assert client.session.get("_auth_user_id") == str(user.pk)
    return client.session.session_key


def test_purge_removes_what_has_ended_and_keeps_what_is_current(user, settings):
    with time_machine.travel(NOW - datetime.timedelta(days=settings.SESSION_IDLE_DAYS + 1)):
        stale = sign_in(user)
    with time_machine.travel(NOW - datetime.timedelta(hours=1)):
        live = sign_in(user)
        gone = sign_in(user)
    Session.objects.filter(session_key=gone).delete()
    assert Session.objects.filter(session_key=stale).exists()
    assert UserSession.objects.filter(session_key=gone).exists()
    old = Activity.objects.create(
        user=user, kind=Activity.Kind.EXPORTED, created_at=NOW - datetime.timedelta(days=91)
    )
    kept = Activity.objects.create(
        user=user, kind=Activity.Kind.EXPORTED, created_at=NOW - datetime.timedelta(days=89)
    )
    out = io.StringIO()

    with time_machine.travel(NOW, tick=False):
        call_command("purge", stdout=out)

    assert not Session.objects.filter(session_key=stale).exists()
    assert Session.objects.filter(session_key=live).exists()
    assert list(UserSession.objects.values_list("session_key", flat=True)) == [live]
    assert not Activity.objects.filter(pk=old.pk).exists()
    assert Activity.objects.filter(pk=kept.pk).exists()
    assert "sign-in records of ended sessions: 1 removed" in out.getvalue().splitlines()
    assert "account activity records: 1 removed" in out.getvalue().splitlines()
